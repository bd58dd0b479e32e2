package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// The answers' shapes, member for member and type for type as the response
// examples of docs/ilms-api.txt print them (line numbers below). They are
// the sandbox's own, never the client's structs: a client that decodes a
// member wrongly must meet the document's JSON here, not its own mistake
// encoded back by the same struct. ilms/internal/apidoc's examples are
// compared with these answers by TestAnswersHaveTheDocumentsShapes.

// userJSON is a user (Get All Users, Get a User, the group member lists;
// line 141). Its Profile is a map because encoding/json writes map
// keys in order, and the document's order F001 … F019, F019_ID, F020 …
// F034 is that order.
type userJSON struct {
	ID         int64          `json:"ID"`
	UserStatus string         `json:"UserStatus"`
	Profile    map[string]any `json:"Profile"`
}

// groupJSON is a group (line 855).
type groupJSON struct {
	ID              int64  `json:"ID"`
	Name            string `json:"Name"`
	Description     string `json:"Description"`
	NumberOfCourses int    `json:"NumberOfCourses"`
	NumberOfUsers   int    `json:"NumberOfUsers"`
}

// dueDateJSON is DefaultDueDateSettings, and the answer of Get Only Due
// Date Settings of a Course (lines 1245, 3412).
type dueDateJSON struct {
	DefaultDueDate      *string `json:"DefaultDueDate"`
	DaysAfterEnrollment *int    `json:"DaysAfterEnrollment"`
}

// groupCourseJSON is a course of a group (line 1245).
type groupCourseJSON struct {
	ID                     string      `json:"ID"`
	Name                   string      `json:"Name"`
	DefaultRequirementType string      `json:"DefaultRequirementType"`
	DefaultDueDateSettings dueDateJSON `json:"DefaultDueDateSettings"`
}

// unitJSON is a region, division or department (line 2056).
type unitJSON struct {
	ID            int64  `json:"ID"`
	Name          string `json:"Name"`
	NumberOfUsers int    `json:"NumberOfUsers"`
}

// transcriptJSON is a transcript line (line 2852): SessionID 0 and
// SessionName "" outside a session, Score a number (0 before any), and
// Credits and Hours numbers with a decimal point (0.0) where the course
// gives them as strings.
type transcriptJSON struct {
	CourseName                  string  `json:"CourseName"`
	CourseID                    string  `json:"CourseID"`
	SessionName                 string  `json:"SessionName"`
	SessionID                   int64   `json:"SessionID"`
	RequirementType             string  `json:"RequirementType"`
	LicenseExpirationDate       *string `json:"LicenseExpirationDate"`
	EnrollmentDate              *string `json:"EnrollmentDate"`
	DueDate                     *string `json:"DueDate"`
	StartDate                   *string `json:"StartDate"`
	CompletionDate              *string `json:"CompletionDate"`
	Score                       int     `json:"Score"`
	Status                      string  `json:"Status"`
	TimeSpent                   int     `json:"TimeSpent"`
	CertificationStatus         *string `json:"CertificationStatus"`
	CertificationExpirationDate *string `json:"CertificationExpirationDate"`
	Credits                     decimal `json:"Credits"`
	Hours                       decimal `json:"Hours"`
}

// courseJSON is a course (line 3270): Credits and Hours as strings.
type courseJSON struct {
	ID                     string      `json:"ID"`
	Name                   string      `json:"Name"`
	Type                   string      `json:"Type"`
	DeliveryType           string      `json:"DeliveryType"`
	DefaultRequirementType string      `json:"DefaultRequirementType"`
	Credits                string      `json:"Credits"`
	Hours                  string      `json:"Hours"`
	Status                 string      `json:"Status"`
	DefaultDueDateSettings dueDateJSON `json:"DefaultDueDateSettings"`
}

// curriculumJSON is a curriculum (line 3651).
type curriculumJSON struct {
	ID                     string      `json:"ID"`
	Name                   string      `json:"Name"`
	DefaultDueDateSettings dueDateJSON `json:"DefaultDueDateSettings"`
}

// sessionJSON is an ILT or event session (line 3866).
type sessionJSON struct {
	CourseName    string           `json:"CourseName"`
	CourseID      string           `json:"CourseID"`
	SessionID     int64            `json:"SessionID"`
	StartDateTime string           `json:"StartDateTime"`
	EndDateTime   string           `json:"EndDateTime"`
	RoomName      string           `json:"RoomName"`
	Location      locationJSON     `json:"Location"`
	Instructors   []instructorJSON `json:"Instructors"`
}

type locationJSON struct {
	Name         string `json:"Name"`
	TimeZoneName string `json:"TimeZoneName"`
}

type instructorJSON struct {
	ID   int64  `json:"ID"`
	F001 string `json:"F001"`
	F003 string `json:"F003"`
	F015 string `json:"F015"`
	F004 string `json:"F004"`
}

// enrollmentJSON is an enrollment record (line 4120): SessionID and
// Score null when there are none.
type enrollmentJSON struct {
	User            enrollmentUserJSON `json:"User"`
	CourseName      string             `json:"CourseName"`
	CourseID        string             `json:"CourseID"`
	SessionName     string             `json:"SessionName"`
	SessionID       *int64             `json:"SessionID"`
	RequirementType string             `json:"RequirementType"`
	DueDate         *string            `json:"DueDate"`
	StartDate       *string            `json:"StartDate"`
	CompletionDate  *string            `json:"CompletionDate"`
	Score           *int               `json:"Score"`
	CourseStatus    string             `json:"CourseStatus"`
	EnrollmentDate  string             `json:"EnrollmentDate"`
	TimeSpent       int                `json:"TimeSpent"`
}

type enrollmentUserJSON struct {
	ID           int64            `json:"ID"`
	UserStatus   string           `json:"UserStatus"`
	ProfileBasic profileBasicJSON `json:"Profile_Basic"`
}

type profileBasicJSON struct {
	F001    string `json:"F001"`
	F003    string `json:"F003"`
	F004    string `json:"F004"`
	F015    string `json:"F015"`
	F006    string `json:"F006"`
	F019    string `json:"F019"`
	F019_ID int64  `json:"F019_ID"` //nolint:revive // the document's name
	F020    string `json:"F020"`
	F020_ID int64  `json:"F020_ID"` //nolint:revive // the document's name
	F021    string `json:"F021"`
	F021_ID int64  `json:"F021_ID"` //nolint:revive // the document's name
}

// summaryJSON is a row of the enrollment summary report (line 4937).
type summaryJSON struct {
	CourseName                   string `json:"CourseName"`
	CourseType                   string `json:"CourseType"`
	CourseID                     string `json:"CourseID"`
	ParentCurriculumNameOfCourse string `json:"ParentCurriculumNameOfCourse"`
	ParentCurriculumIDOfCourse   string `json:"ParentCurriculumIDOfCourse"`
	SessionID                    int64  `json:"SessionID"`
	SessionName                  string `json:"SessionName"`
	Enrolled                     int    `json:"Enrolled"`
	NotStarted                   int    `json:"NotStarted"`
	InProgress                   int    `json:"InProgress"`
	Passed                       int    `json:"Passed"`
	Failed                       int    `json:"Failed"`
	Waived                       int    `json:"Waived"`
}

// decimal is a JSON number written with a decimal point, as the document
// writes transcript credits and hours ("Credits": 0.0), so that a client
// that reads them into an integer fails here as it would on the server.
type decimal float64

func (d decimal) MarshalJSON() ([]byte, error) {
	s := strconv.FormatFloat(float64(d), 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return []byte(s), nil
}

// decimalOf reads a course's credits or hours ("10", "1.5", "") as a number.
func decimalOf(s string) decimal {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0
	}
	return decimal(f)
}

// answerDateLayout is how the answers write a date: to the millisecond,
// trailing zeros dropped, no zone, as the document's examples do
// ("2013-10-23T13:30:38.22", "2013-12-08T10:05:59.877",
// "2014-01-01T04:00:00"; lines 177, 4152, 2861).
const answerDateLayout = "2006-01-02T15:04:05.999"

// requestDateLayout is the form the document asks of every date a request
// sends: "iso8601 UTC string Format: yyyy-MM-ddTHH:mm:ss" (line 1403).
const requestDateLayout = "2006-01-02T15:04:05"

func answerDate(t time.Time) string { return t.UTC().Format(answerDateLayout) }

func answerDatePtr(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := answerDate(*t)
	return &s
}

// parseRequestDate reads a date a request sends: yyyy-MM-ddTHH:mm:ss, with
// the fraction of a second the answers themselves carry (a client that
// writes back a date it read sends it). No zone: the document's dates are
// UTC without one. bare also allows a date alone, which the sessions
// filter's example sends (sessionstartdate=2009-10-10, line 3834).
func parseRequestDate(s string, bare bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	layout := requestDateLayout
	if i := strings.IndexByte(s, '.'); i > 0 {
		layout += "." + strings.Repeat("9", len(s)-i-1)
	}
	if t, err := time.Parse(layout, s); err == nil && len(s) >= len(requestDateLayout) {
		return t, nil
	}
	if bare {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not of the form yyyy-MM-ddTHH:mm:ss", s)
}

// profileDate renders a profile date the state holds as text (the
// validator's yyyy-MM-ddTHH:mm:ss), or null.
func profileDate(v string) any {
	if v == "" {
		return nil
	}
	if t, err := parseRequestDate(v, true); err == nil {
		return answerDate(t)
	}
	return v
}

// userSortFields and enrollmentSortFields are the field codes the user and
// enrollment lists sort on (lines 99, 4083), the sandbox's own copy of the
// document's lists.
var (
	userSortFields       = []string{"F001", "F002", "F003", "F004", "F006", "F011", "F012", "F015", "F019", "F020", "F021"}
	enrollmentSortFields = []string{"F001", "F003", "F004", "F015", "F019", "F020", "F021"}
)

// parseSort reads a sort parameter: a field, a leading dash for descending.
func parseSort(v string) (field string, desc bool) {
	v = strings.TrimSpace(v)
	if rest, ok := strings.CutPrefix(v, "-"); ok {
		return rest, true
	}
	return v, false
}

// profileCodes are the members of a user's Profile: the document's field
// codes (validate's table) and the hierarchy IDs beside F019–F021.
var profileCodes = func() []string {
	var codes []string
	for _, f := range validate.Fields {
		codes = append(codes, f.Code)
		switch f.Code {
		case "F019", "F020", "F021":
			codes = append(codes, f.Code+"_ID")
		}
	}
	return codes
}()
