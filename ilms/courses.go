package ilms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// CoursesService covers the Courses section of the document.
type CoursesService service

// Course is a course as Get All Courses and Get A Course return it. The
// API writes Credits and Hours as strings here ("10"); Number reads either.
type Course struct {
	ID                     string          `json:"ID"`
	Name                   string          `json:"Name"`
	Type                   string          `json:"Type"` // iComposer, SCORM, ILT, Event, …
	DeliveryType           string          `json:"DeliveryType"`
	DefaultRequirementType string          `json:"DefaultRequirementType"`
	Credits                Number          `json:"Credits"`
	Hours                  Number          `json:"Hours"`
	Status                 string          `json:"Status"` // Active or Inactive
	DefaultDueDateSettings DueDateSettings `json:"DefaultDueDateSettings"`
}

// Course types accepted by the courseType filter.
const (
	CourseTypeIComposer = "iComposer"
	CourseTypeSCORM     = "SCORM"
	CourseTypeILT       = "ILT"
	CourseTypeEvents    = "EVENTS"
)

// CourseListOptions filter Get All Courses.
type CourseListOptions struct {
	CourseType        string // one of the CourseType constants; empty for all
	IncludeHistorical bool   // include historical courses
	Search            string // like search in name, description, outline and keywords
	Sort              string // "name" (default) or "-name"
}

// List returns the courses matching opts. GET /organizations/{orgID}/courses
func (s *CoursesService) List(opts CourseListOptions) *Pager[Course] {
	q := url.Values{}
	var err error
	if opts.CourseType != "" {
		switch strings.ToLower(opts.CourseType) {
		case "icomposer", "scorm", "ilt", "events":
		default:
			err = fmt.Errorf("ilms: course type %q is not one of iComposer, SCORM, ILT, EVENTS", opts.CourseType)
		}
		q.Set("courseType", opts.CourseType)
	}
	if opts.IncludeHistorical {
		q.Set("includeHistorical", "true")
	}
	if opts.Search != "" {
		q.Set("search", opts.Search)
	}
	if opts.Sort != "" {
		if strings.TrimPrefix(opts.Sort, "-") != "name" && err == nil {
			err = fmt.Errorf("ilms: courses sort by name or -name, not %q", opts.Sort)
		}
		q.Set("sort", opts.Sort)
	}
	return newPager[Course](s.client, s.client.orgPath("courses"), q, err)
}

// Get returns one course. GET /organizations/{orgID}/courses/{courseID}
func (s *CoursesService) Get(ctx context.Context, courseID string) (*Course, error) {
	var c Course
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("courses", courseID), nil, nil, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// DueDate returns a course's default due date settings.
// GET /organizations/{orgID}/courses/{courseID}/duedate
func (s *CoursesService) DueDate(ctx context.Context, courseID string) (*DueDateSettings, error) {
	var d DueDateSettings
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("courses", courseID, "duedate"), nil, nil, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// SetDueDate modifies a course's default due date settings.
// PUT /organizations/{orgID}/courses/{courseID}/DueDate
func (s *CoursesService) SetDueDate(ctx context.Context, courseID string, d DueDateSettings) error {
	_, err := s.client.do(ctx, http.MethodPut, s.client.orgPath("courses", courseID, "DueDate"), nil, d, nil)
	return err
}

// Activate activates a course. PUT /organizations/{orgID}/courses/{courseID}/Activate
func (s *CoursesService) Activate(ctx context.Context, courseID string) error {
	_, err := s.client.do(ctx, http.MethodPut, s.client.orgPath("courses", courseID, "Activate"), nil, nil, nil)
	return err
}

// Inactivate inactivates a course. The document's examples send
// DELETE /organizations/{orgID}/courses/{courseID}/Activate, its URL line
// DELETE /organizations/{orgID}/courses/{courseID}: the client sends the
// first, and the second once if the server has no such path.
func (s *CoursesService) Inactivate(ctx context.Context, courseID string) error {
	_, err := s.client.doForms(ctx, "courses.inactivate", http.MethodDelete, [2]pathForm{
		{path: s.client.orgPath("courses", courseID, "Activate")},
		{path: s.client.orgPath("courses", courseID)},
	}, nil, nil)
	return err
}

// CurriculaService covers the Curricula section of the document.
type CurriculaService service

// Curriculum is a curriculum as Get All Curricula and Get A Curriculum
// return it.
type Curriculum struct {
	ID                     string          `json:"ID"`
	Name                   string          `json:"Name"`
	DefaultDueDateSettings DueDateSettings `json:"DefaultDueDateSettings"`
}

// List returns the curricula whose name contains name (all when empty).
// GET /organizations/{orgID}/curricula
func (s *CurriculaService) List(name string) *Pager[Curriculum] {
	q := url.Values{}
	if name != "" {
		q.Set("name", name)
	}
	return newPager[Curriculum](s.client, s.client.orgPath("curricula"), q, nil)
}

// Get returns one curriculum. GET /organizations/{orgID}/curricula/{curriculumID}
func (s *CurriculaService) Get(ctx context.Context, curriculumID string) (*Curriculum, error) {
	var c Curriculum
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("curricula", curriculumID), nil, nil, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// SetDueDate modifies a curriculum's default due date settings.
// PUT /organizations/{orgID}/curriculum/{curriculumID}/DueDate, singular as
// the document prints it; if the server has no such path, once
// …/curricula/{curriculumID}/DueDate, as every other curriculum path is.
func (s *CurriculaService) SetDueDate(ctx context.Context, curriculumID string, d DueDateSettings) error {
	_, err := s.client.doForms(ctx, "curricula.duedate", http.MethodPut, [2]pathForm{
		{path: s.client.orgPath("curriculum", curriculumID, "DueDate")},
		{path: s.client.orgPath("curricula", curriculumID, "DueDate")},
	}, d, nil)
	return err
}

// SessionsService covers Instructor-Lead Training Sessions.
type SessionsService service

// Session is an ILT or event session.
type Session struct {
	CourseName    string       `json:"CourseName"`
	CourseID      string       `json:"CourseID"`
	SessionID     int64        `json:"SessionID"`
	StartDateTime *Date        `json:"StartDateTime"`
	EndDateTime   *Date        `json:"EndDateTime"`
	RoomName      string       `json:"RoomName"`
	Location      Location     `json:"Location"`
	Instructors   []Instructor `json:"Instructors"`
}

// Location is where a session takes place.
type Location struct {
	Name         string `json:"Name"`
	TimeZoneName string `json:"TimeZoneName"`
}

// Instructor is a user teaching a session.
type Instructor struct {
	ID   int64  `json:"ID"`
	F001 string `json:"F001"`
	F003 string `json:"F003"`
	F015 string `json:"F015"`
	F004 string `json:"F004"`
}

// SessionListOptions filter Get All Sessions of a ILT/Event.
type SessionListOptions struct {
	StartDate time.Time // sessions starting on or after; zero for no bound
	EndDate   time.Time // sessions ending on or before; zero for no bound
	// Sort is sessionstartdate (default), sessionenddate, locationname or
	// roomname, with a leading dash for descending.
	Sort string
}

// sessionDate writes a filter date the way the document's example does: a
// bare date at midnight, the full form otherwise.
func sessionDate(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(DateLayout)
}

// List returns the sessions of an ILT or event course.
// GET /organizations/{orgID}/courses/{courseid}/sessions
func (s *SessionsService) List(courseID string, opts SessionListOptions) *Pager[Session] {
	q := url.Values{}
	var err error
	if !opts.StartDate.IsZero() {
		q.Set("sessionstartdate", sessionDate(opts.StartDate))
	}
	if !opts.EndDate.IsZero() {
		q.Set("sessionenddate", sessionDate(opts.EndDate))
	}
	if opts.Sort != "" {
		switch strings.TrimPrefix(opts.Sort, "-") {
		case "sessionstartdate", "sessionenddate", "locationname", "roomname":
		default:
			err = fmt.Errorf("ilms: sessions sort by sessionstartdate, sessionenddate, locationname or roomname, not %q", opts.Sort)
		}
		q.Set("sort", opts.Sort)
	}
	return newPager[Session](s.client, s.client.orgPath("courses", courseID, "sessions"), q, err)
}

// Get returns one session. GET /organizations/{orgID}/courses/{courseid}/sessions/{sessionid}
func (s *SessionsService) Get(ctx context.Context, courseID string, sessionID int64) (*Session, error) {
	var out Session
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("courses", courseID, "sessions", id(sessionID)), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
