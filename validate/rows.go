package validate

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Transcript is a transcript row of an input file by meaning: the status,
// score and requirement type, and the dates, as the user wrote them.
type Transcript struct {
	Status          string
	Score           string
	RequirementType string
	Dates           [NumTranscriptDates]string
}

// The dates of a transcript row, in the order of Transcript.Dates.
const (
	EnrollmentDate = iota
	StartDate
	DueDate
	CompletionDate
	LicenseExpirationDate
	CertificationExpirationDate
	NumTranscriptDates
)

// TranscriptDateFields names the dates as problems name them.
var TranscriptDateFields = [NumTranscriptDates]string{
	"EnrollmentDate", "StartDate", "DueDate", "CompletionDate", "LicenseExpirationDate", "CertificationExpirationDate",
}

// CheckTranscript applies the document's rules for Modify User's
// Transcript to one row and rewrites its values in the form to send: the
// status and requirement type in the API's words, the score as a whole
// number, dates as yyyy-MM-ddTHH:mm:ss. layout is the --date-format, if any.
//
// The status decides what else may be given: a score and a completion date
// only with pass or fail, a start date not with "not started". A row
// without a status is checked against the record's status when the import
// plans it. A due date may be cleared with ClearToken.
func CheckTranscript(t *Transcript, layout string) Problems {
	var ps Problems
	t.Status = strings.TrimSpace(t.Status)
	status := ""
	var rules StatusRules // decided here only when the row gives a status
	if t.Status != "" {
		s, ok := TranscriptStatus(t.Status)
		if !ok {
			p := problem("Status", t.Status, ErrInvalid, Error, "is not a transcript status; use not started, pass, fail or waived")
			p.Suggestion = Suggest(t.Status, []string{"not started", "pass", "fail", "waived"})
			ps = append(ps, p)
		} else {
			status = s
			t.Status = strings.ToLower(s)
			rules = RulesFor(s, "")
		}
	}
	if v := strings.TrimSpace(t.Score); v != "" {
		n, ok := parseScore(v)
		switch {
		case !ok:
			ps = append(ps, problem("Score", v, ErrInvalid, Error, "is not a score; use a whole number from %d to %d", MinScore, MaxScore))
		case !ScoreInRange(n):
			ps = append(ps, problem("Score", v, ErrInvalid, Error, "is out of range; a score is from %d to %d", MinScore, MaxScore))
		case status != "" && rules.Score != Allowed:
			ps = append(ps, problem("Score", v, ErrConflict, Error, "is only valid with status pass or fail, not %s", strings.ToLower(status)))
		default:
			t.Score = strconv.Itoa(n)
		}
	}
	if v := strings.TrimSpace(t.RequirementType); v != "" {
		if rt, ok := RequirementType(v); ok {
			t.RequirementType = strings.ToLower(rt)
		} else {
			p := problem("RequirementType", v, ErrInvalid, Error, "is not a requirement type; use mandatory or optional")
			p.Suggestion = Suggest(v, []string{"mandatory", "optional"})
			ps = append(ps, p)
		}
	}
	var parsed [NumTranscriptDates]time.Time
	for i := range t.Dates {
		v := strings.TrimSpace(t.Dates[i])
		if v == "" {
			continue
		}
		if v == ClearToken {
			if i != DueDate {
				ps = append(ps, problem(TranscriptDateFields[i], v, ErrInvalid, Error, "cannot be cleared; only the due date can"))
			}
			continue
		}
		d, err := ParseDate(v, layout)
		if err != nil {
			ps = append(ps, dateProblem(TranscriptDateFields[i], v, err))
			continue
		}
		parsed[i] = d
		t.Dates[i] = FormatDate(d)
	}
	// A status the record would ignore them with is refused too: the
	// user wrote them to be kept.
	if t.Dates[StartDate] != "" && status != "" && rules.StartDate != Allowed {
		ps = append(ps, problem("StartDate", t.Dates[StartDate], ErrConflict, Error, "is not valid with status not started"))
	}
	if t.Dates[CompletionDate] != "" && status != "" && rules.CompletionDate != Allowed {
		ps = append(ps, problem("CompletionDate", t.Dates[CompletionDate], ErrConflict, Error, "is only valid with status pass or fail, not %s", strings.ToLower(status)))
	}
	if s, c := parsed[StartDate], parsed[CompletionDate]; !s.IsZero() && !c.IsZero() && c.Before(s) {
		ps = append(ps, problem("CompletionDate", t.Dates[CompletionDate], ErrConflict, Error, "is before the start date %s", t.Dates[StartDate]))
	}
	if c := parsed[CompletionDate]; !c.IsZero() && c.After(time.Now().Add(24*time.Hour)) {
		ps = append(ps, problem("CompletionDate", t.Dates[CompletionDate], ErrInvalid, Warning, "is in the future"))
	}
	return ps
}

// parseScore reads 85, 85%, 85.0 or " 85 ".
func parseScore(v string) (int, bool) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	if n, err := strconv.Atoi(v); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// Target is what an enrollment or transcript row is about and whom.
type Target struct {
	UserID     string // iLMS user ID
	Email      string // F015
	EmployeeID string // F004
	Course     string // course ID or exact name
	Curriculum string // curriculum ID or exact name
	Session    string // session ID, with Course
}

// Enrollment actions.
const (
	ActionEnroll   = "enroll"
	ActionUnenroll = "unenroll"
)

// EnrollmentAction reads an action, enroll when blank.
func EnrollmentAction(v string) (string, bool) {
	switch fold(v) {
	case "", "enroll", "enrol", "add":
		return ActionEnroll, true
	case "unenroll", "un-enroll", "unenrol", "remove", "drop":
		return ActionUnenroll, true
	}
	return "", false
}

// CheckTarget checks that a row names a user (by ID, email or employee ID)
// and exactly one course, curriculum, or course and session.
func CheckTarget(t *Target) Problems {
	var ps Problems
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	trim(&t.UserID)
	trim(&t.Email)
	trim(&t.EmployeeID)
	trim(&t.Course)
	trim(&t.Curriculum)
	trim(&t.Session)
	switch {
	case t.UserID == "" && t.Email == "" && t.EmployeeID == "":
		ps = append(ps, problem("User", "", ErrRequired, Error, "no user: give a user ID, an email (F015) or an employee ID (F004)"))
	case t.UserID != "" && !isDigits(t.UserID):
		ps = append(ps, problem("UserID", t.UserID, ErrInvalid, Error, "is not an iLMS user ID (a number)"))
	}
	if t.Email != "" {
		if err := checkEmail(t.Email); err != nil {
			ps = append(ps, problem("F015", t.Email, ErrEmail, Error, "is not an email address: %v", err))
		}
	}
	switch {
	case t.Course == "" && t.Curriculum == "":
		ps = append(ps, problem("Course", "", ErrRequired, Error, "no course or curriculum: give one"))
	case t.Course != "" && t.Curriculum != "":
		ps = append(ps, problem("Curriculum", t.Curriculum, ErrConflict, Error, "a row names one course or one curriculum, not both (course %s)", Quote(t.Course)))
	}
	if t.Session != "" {
		switch {
		case !isDigits(t.Session):
			ps = append(ps, problem("Session", t.Session, ErrInvalid, Error, "is not a session ID (a number)"))
		case t.Course == "":
			ps = append(ps, problem("Session", t.Session, ErrConflict, Error, "a session needs its ILT course in the same row"))
		}
	}
	return ps
}

func isDigits(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
