package ilms

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// TranscriptsService covers the Transcripts section of the document.
type TranscriptsService service

// Transcript is one line of a user's transcript: a course, curriculum or
// session with its dates, status and score. The document shows SessionID 0
// outside a session and Score 0 before any; a server that sends null for
// either leaves the pointer nil, never a made-up 0. Credits and Hours are
// numbers here (0.0); Number reads a string as well.
type Transcript struct {
	CourseName                  string  `json:"CourseName"`
	CourseID                    string  `json:"CourseID"`
	SessionName                 string  `json:"SessionName"`
	SessionID                   *int64  `json:"SessionID"`
	RequirementType             string  `json:"RequirementType"`
	LicenseExpirationDate       *Date   `json:"LicenseExpirationDate"`
	EnrollmentDate              *Date   `json:"EnrollmentDate"`
	DueDate                     *Date   `json:"DueDate"`
	StartDate                   *Date   `json:"StartDate"`
	CompletionDate              *Date   `json:"CompletionDate"`
	Score                       *int    `json:"Score"`
	Status                      string  `json:"Status"` // Not Started, In Progress, Pass, Fail, Waived
	TimeSpent                   int     `json:"TimeSpent"`
	CertificationStatus         *string `json:"CertificationStatus"`
	CertificationExpirationDate *Date   `json:"CertificationExpirationDate"`
	Credits                     Number  `json:"Credits"`
	Hours                       Number  `json:"Hours"`
}

// TranscriptUpdate is the body of Modify User's Transcript. Only the fields
// set are sent. Status has priority on the server: "not started" makes it
// ignore dates, "pass" without dates sets today and a score of 100.
type TranscriptUpdate struct {
	EnrollmentDate              *Date
	LicenseExpirationDate       *Date
	StartDate                   *Date // only with a status other than not started
	DueDate                     *Date
	ClearDueDate                bool  // send "duedate": null to remove the due date
	CompletionDate              *Date // only with pass or fail
	CertificationExpirationDate *Date
	RequirementType             string // mandatory or optional
	Status                      string // not started, pass, fail or waived
	Score                       *int   // 0–100, only with pass or fail
}

// IsEmpty reports whether the update would change nothing.
func (u TranscriptUpdate) IsEmpty() bool {
	return u.EnrollmentDate == nil && u.LicenseExpirationDate == nil && u.StartDate == nil &&
		u.DueDate == nil && !u.ClearDueDate && u.CompletionDate == nil &&
		u.CertificationExpirationDate == nil && u.RequirementType == "" && u.Status == "" && u.Score == nil
}

// MarshalJSON writes the document's example form: lower-case keys, dates as
// yyyy-MM-ddTHH:mm:ss (with their fraction of a second, if any), and the
// score as a string ("score":"100").
func (u TranscriptUpdate) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	put := func(key string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		val, _ := json.Marshal(v)
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	dates := []struct {
		key string
		d   *Date
	}{
		{"enrollmentdate", u.EnrollmentDate},
		{"licenseexpirationdate", u.LicenseExpirationDate},
		{"startdate", u.StartDate},
		{"duedate", u.DueDate},
		{"completiondate", u.CompletionDate},
		{"certificationexpirationdate", u.CertificationExpirationDate},
	}
	for _, d := range dates {
		switch {
		case d.d != nil:
			put(d.key, d.d.wire())
		case d.key == "duedate" && u.ClearDueDate:
			put(d.key, nil)
		}
	}
	if u.RequirementType != "" {
		put("requirementtype", u.RequirementType)
	}
	if u.Status != "" {
		put("status", u.Status)
	}
	if u.Score != nil {
		put("score", strconv.Itoa(*u.Score))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes (a saved plan keeps an
// update that way): the document's keys, dates as Date reads them, the
// score as a string or a number, and "duedate": null as ClearDueDate.
func (u *TranscriptUpdate) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*u = TranscriptUpdate{}
	dates := map[string]**Date{"enrollmentdate": &u.EnrollmentDate, "licenseexpirationdate": &u.LicenseExpirationDate, "startdate": &u.StartDate,
		"duedate": &u.DueDate, "completiondate": &u.CompletionDate, "certificationexpirationdate": &u.CertificationExpirationDate}
	for key, raw := range m {
		switch key = strings.ToLower(key); {
		case key == "duedate" && string(bytes.TrimSpace(raw)) == "null":
			u.ClearDueDate = true
		case dates[key] != nil:
			d := new(Date)
			if err := json.Unmarshal(raw, d); err != nil {
				return fmt.Errorf("transcript update %s: %w", key, err)
			}
			*dates[key] = d
		case key == "requirementtype":
			json.Unmarshal(raw, &u.RequirementType)
		case key == "status":
			json.Unmarshal(raw, &u.Status)
		case key == "score":
			var text string
			if json.Unmarshal(raw, &text) != nil {
				text = string(raw)
			}
			n, err := strconv.Atoi(strings.TrimSpace(text))
			if err != nil {
				return fmt.Errorf("transcript update score %s: not a whole number", raw)
			}
			u.Score = &n
		}
	}
	return nil
}

// oneOrMany decodes a JSON array of T or a single T (Get Transcripts Of A
// User For A Specific Session answers with one object).
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*o = []T{one}
		return nil
	}
	var many []T
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*o = many
	return nil
}

func (s *TranscriptsService) get(ctx context.Context, path string) ([]Transcript, error) {
	var out oneOrMany[Transcript]
	if _, err := s.client.do(ctx, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *TranscriptsService) put(ctx context.Context, path string, u TranscriptUpdate) error {
	_, err := s.client.do(ctx, http.MethodPut, path, nil, u, nil)
	return err
}

// OfUser returns a user's whole transcript.
// GET /organizations/{orgID}/users/{userid}/transcripts
func (s *TranscriptsService) OfUser(ctx context.Context, userID int64) ([]Transcript, error) {
	return s.get(ctx, s.client.orgPath("users", id(userID), "transcripts"))
}

// ForCourse returns a user's transcript for a course.
// GET /organizations/{orgID}/users/{userID}/courses/{courseID}/transcripts
func (s *TranscriptsService) ForCourse(ctx context.Context, userID int64, courseID string) ([]Transcript, error) {
	return s.get(ctx, s.client.orgPath("users", id(userID), "courses", courseID, "transcripts"))
}

// ForCurriculum returns a user's transcript for a curriculum.
// GET /organizations/{orgID}/users/{userID}/curricula/{courseID}/transcripts
func (s *TranscriptsService) ForCurriculum(ctx context.Context, userID int64, curriculumID string) ([]Transcript, error) {
	return s.get(ctx, s.client.orgPath("users", id(userID), "curricula", curriculumID, "transcripts"))
}

// ForSession returns a user's transcript for an ILT session.
// GET /organizations/{orgID}/users/{userID}/courses/{courseID}/sessions/{sessionID}/transcripts
func (s *TranscriptsService) ForSession(ctx context.Context, userID int64, courseID string, sessionID int64) (*Transcript, error) {
	path := s.client.orgPath("users", id(userID), "courses", courseID, "sessions", id(sessionID), "transcripts")
	ts, err := s.get(ctx, path)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, &APIError{StatusCode: http.StatusNotFound, Method: http.MethodGet, Path: "/" + path, Message: "the server returned no transcript for this session"}
	}
	return &ts[0], nil
}

// byQuery is the form of Modify User's Transcript the document's examples
// send: PUT …/users/{userID}/transcripts?courseid={courseID}, for a course
// or a curriculum.
func (s *TranscriptsService) byQuery(userID int64, courseID string) pathForm {
	return pathForm{path: s.client.orgPath("users", id(userID), "transcripts"), query: url.Values{"courseid": {courseID}}}
}

// UpdateCourse modifies a user's transcript for a course.
// PUT /organizations/{orgID}/users/{userID}/courses/{courseID}/transcripts,
// as the URL section prints it; if the server has no such path, once
// PUT …/users/{userID}/transcripts?courseid={courseID}, as the examples do.
func (s *TranscriptsService) UpdateCourse(ctx context.Context, userID int64, courseID string, u TranscriptUpdate) error {
	_, err := s.client.doForms(ctx, "transcripts.updatecourse", http.MethodPut, [2]pathForm{
		{path: s.client.orgPath("users", id(userID), "courses", courseID, "transcripts")},
		s.byQuery(userID, courseID),
	}, u, nil)
	return err
}

// UpdateCurriculum modifies a user's transcript for a curriculum.
// PUT /organizations/{orgID}/users/{userID}/curricula/{courseID}/transcripts;
// if the server has no such path, once the examples' query form.
func (s *TranscriptsService) UpdateCurriculum(ctx context.Context, userID int64, curriculumID string, u TranscriptUpdate) error {
	_, err := s.client.doForms(ctx, "transcripts.updatecurriculum", http.MethodPut, [2]pathForm{
		{path: s.client.orgPath("users", id(userID), "curricula", curriculumID, "transcripts")},
		s.byQuery(userID, curriculumID),
	}, u, nil)
	return err
}

// UpdateSession modifies a user's transcript for an ILT session. The
// document prints this one path only for a session (its query form names
// no session), so there is nothing else to try.
// PUT /organizations/{orgID}/users/{userID}/courses/{courseID}/sessions/{sessionID}/transcripts
func (s *TranscriptsService) UpdateSession(ctx context.Context, userID int64, courseID string, sessionID int64, u TranscriptUpdate) error {
	return s.put(ctx, s.client.orgPath("users", id(userID), "courses", courseID, "sessions", id(sessionID), "transcripts"), u)
}
