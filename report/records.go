package report

import (
	"strconv"

	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// EnrollmentRecord is a row of an enrollments export: the record with its
// user's basic profile flattened into columns named as the document names
// the fields.
type EnrollmentRecord struct {
	CourseID        string `csv:"Course ID"`
	CourseName      Cell   `csv:"Course Name"`
	SessionID       string `csv:"Session ID"`
	SessionName     Cell   `csv:"Session Name"`
	UserID          int64  `csv:"User ID"`
	UserStatus      string `csv:"User Status"`
	FirstName       Cell   `csv:"First Name"`
	LastName        Cell   `csv:"Last Name"`
	EmployeeID      Cell   `csv:"Employee ID"`
	Email           Cell   `csv:"Email ID"`
	Language        Cell   `csv:"User Language"`
	Region          Cell   `csv:"Region"`
	Division        Cell   `csv:"Division"`
	Department      Cell   `csv:"Department"`
	RequirementType string `csv:"Requirement Type"`
	Status          string `csv:"Status"`
	EnrollmentDate  Date   `csv:"Enrollment Date"`
	DueDate         Date   `csv:"Due Date"`
	StartDate       Date   `csv:"Start Date"`
	CompletionDate  Date   `csv:"Completion Date"`
	Score           Int    `csv:"Score"`
	TimeSpent       int    `csv:"Time Spent"`
}

// NewEnrollmentRecord flattens an enrollment.
func NewEnrollmentRecord(e *ilms.Enrollment) EnrollmentRecord {
	p := e.User.Profile_Basic
	r := EnrollmentRecord{
		CourseID: e.CourseID, CourseName: Cell(e.CourseName), SessionName: Cell(e.SessionName),
		UserID: e.User.ID, UserStatus: e.User.UserStatus,
		FirstName: Cell(p.F001), LastName: Cell(p.F003), EmployeeID: Cell(p.F004), Email: Cell(p.F015), Language: Cell(p.F006),
		Region: Cell(p.F019), Division: Cell(p.F020), Department: Cell(p.F021),
		RequirementType: e.RequirementType, Status: e.CourseStatus,
		EnrollmentDate: DateOf(e.EnrollmentDate), DueDate: DateOf(e.DueDate), StartDate: DateOf(e.StartDate), CompletionDate: DateOf(e.CompletionDate),
		Score: IntOf(e.Score), TimeSpent: e.TimeSpent,
	}
	if e.SessionID != nil && *e.SessionID != 0 {
		r.SessionID = strconv.FormatInt(*e.SessionID, 10)
	}
	return r
}

// TranscriptRecord is a row of a transcripts export: the user, then the
// transcript line.
type TranscriptRecord struct {
	UserID                      int64   `csv:"User ID"`
	EmployeeID                  Cell    `csv:"Employee ID"`
	Email                       Cell    `csv:"Email ID"`
	FirstName                   Cell    `csv:"First Name"`
	LastName                    Cell    `csv:"Last Name"`
	CourseID                    string  `csv:"Course ID"`
	CourseName                  Cell    `csv:"Course Name"`
	SessionID                   string  `csv:"Session ID"`
	SessionName                 Cell    `csv:"Session Name"`
	RequirementType             string  `csv:"Requirement Type"`
	Status                      string  `csv:"Status"`
	Score                       Int     `csv:"Score"`
	EnrollmentDate              Date    `csv:"Enrollment Date"`
	DueDate                     Date    `csv:"Due Date"`
	StartDate                   Date    `csv:"Start Date"`
	CompletionDate              Date    `csv:"Completion Date"`
	LicenseExpirationDate       Date    `csv:"License Expiration Date"`
	CertificationStatus         Cell    `csv:"Certification Status"`
	CertificationExpirationDate Date    `csv:"Certification Expiration Date"`
	TimeSpent                   int     `csv:"Time Spent"`
	Credits                     float64 `csv:"Credits"`
	Hours                       float64 `csv:"Hours"`
}

// NewTranscriptRecord joins a user and one line of their transcript.
func NewTranscriptRecord(u *ilms.User, t *ilms.Transcript) TranscriptRecord {
	r := TranscriptRecord{
		UserID: u.ID, EmployeeID: Cell(u.Profile.F004), Email: Cell(u.Profile.F015), FirstName: Cell(u.Profile.F001), LastName: Cell(u.Profile.F003),
		CourseID: t.CourseID, CourseName: Cell(t.CourseName), SessionName: Cell(t.SessionName),
		RequirementType: t.RequirementType, Status: t.Status, Score: IntOf(t.Score),
		EnrollmentDate: DateOf(t.EnrollmentDate), DueDate: DateOf(t.DueDate), StartDate: DateOf(t.StartDate), CompletionDate: DateOf(t.CompletionDate),
		LicenseExpirationDate: DateOf(t.LicenseExpirationDate), CertificationExpirationDate: DateOf(t.CertificationExpirationDate),
		TimeSpent: t.TimeSpent, Credits: float64(t.Credits), Hours: float64(t.Hours),
	}
	if t.SessionID != nil && *t.SessionID != 0 {
		r.SessionID = strconv.FormatInt(*t.SessionID, 10)
	}
	if t.CertificationStatus != nil {
		r.CertificationStatus = Cell(*t.CertificationStatus)
	}
	return r
}

// SummaryRecord is a row of the enrollment summary report, with the
// completion the report implies.
type SummaryRecord struct {
	CourseID          string  `csv:"Course ID"`
	CourseName        Cell    `csv:"Course Name"`
	CourseType        string  `csv:"Course Type"`
	ParentCurriculum  Cell    `csv:"Parent Curriculum"`
	ParentID          string  `csv:"Parent Curriculum ID"`
	SessionID         string  `csv:"Session ID"`
	SessionName       Cell    `csv:"Session Name"`
	Enrolled          int     `csv:"Enrolled"`
	NotStarted        int     `csv:"Not Started"`
	InProgress        int     `csv:"In Progress"`
	Passed            int     `csv:"Passed"`
	Failed            int     `csv:"Failed"`
	Waived            int     `csv:"Waived"`
	CompletionPercent Percent `csv:"Completion %"`
}

// NewSummaryRecord converts a report row; completion is passed or waived
// over enrolled.
func NewSummaryRecord(r ilms.SummaryRow) SummaryRecord {
	s := SummaryRecord{
		CourseID: r.CourseID, CourseName: Cell(r.CourseName), CourseType: r.CourseType,
		ParentCurriculum: Cell(r.ParentCurriculumNameOfCourse), ParentID: r.ParentCurriculumIDOfCourse, SessionName: Cell(r.SessionName),
		Enrolled: r.Enrolled, NotStarted: r.NotStarted, InProgress: r.InProgress, Passed: r.Passed, Failed: r.Failed, Waived: r.Waived,
	}
	if r.SessionID != 0 {
		s.SessionID = strconv.FormatInt(r.SessionID, 10)
	}
	if r.Enrolled > 0 {
		s.CompletionPercent = Percent(float64(r.Passed+r.Waived) / float64(r.Enrolled))
	}
	return s
}

// MarshalCSV writes a share as a percentage with one decimal: 87.5.
func (p Percent) MarshalCSV() (string, error) {
	return strconv.FormatFloat(float64(p)*100, 'f', 1, 64), nil
}
