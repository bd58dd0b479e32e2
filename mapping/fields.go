// Package mapping resolves a file's column headers to the fields of the
// API (F001 … F034 for users; the course, session, status, score and date
// fields of enrollments and transcripts) and turns each row into values by
// field: column renames, value maps, defaults and constants from a mapping
// file. It never calls the network.
package mapping

import (
	"fmt"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Kind is the kind of file: what its rows are.
type Kind int

// Kinds of files.
const (
	Users Kind = iota
	Enrollments
	Transcripts
)

func (k Kind) String() string {
	return [...]string{"users", "enrollments", "transcripts"}[k]
}

// ParseKind reads users, enrollments or transcripts.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "users", "user":
		return Users, nil
	case "enrollments", "enrollment", "enrolments":
		return Enrollments, nil
	case "transcripts", "transcript":
		return Transcripts, nil
	}
	return 0, fmt.Errorf("kind %q is not users, enrollments or transcripts", s)
}

// Field is a field a column can map to.
type Field struct {
	ID      string   // F001 … for profile fields, or a name such as "Course"
	Name    string   // the document's name, or a plain one: "First Name", "Course ID"
	Aliases []string // other headers people write for it
	// Info fields may be in a file for the reader's sake (a learner's name
	// in an enrollment file) and are not sent.
	Info bool
}

// Extra fields of a users file, after the profile fields.
const (
	UserID  = "ID"      // the iLMS user ID (exports carry it)
	Status  = "Status"  // active or inactive
	Groups  = "Groups"  // group names or IDs, ; separated
	Courses = "Courses" // course, curriculum or course/session names or IDs, ; separated
)

// Fields of enrollment and transcript files.
const (
	Course          = "Course"
	CourseName      = "CourseName"
	Curriculum      = "Curriculum"
	CurriculumName  = "CurriculumName"
	Session         = "Session"
	Action          = "Action"
	Score           = "Score"
	RequirementType = "RequirementType"
)

var profileAliases = map[string][]string{
	"F001": {"First Name", "FirstName", "first_name", "Given Name", "Forename", "First"},
	"F002": {"Middle Name", "Middle", "Middle Initial", "MI"},
	"F003": {"Last Name", "LastName", "last_name", "Surname", "Family Name", "Last"},
	"F004": {"Employee ID", "Employee Number", "Employee No", "Employee #", "Emp ID", "EmpID", "Staff ID", "Personnel Number", "Badge Number"},
	"F005": {"Hire Date", "Date of Hire", "Hired", "Date Hired", "Hire"},
	"F006": {"User Language", "Language", "Preferred Language"},
	"F007": {"Job Title", "Title", "Position", "Job"},
	"F008": {"Address 1", "Address", "Address Line 1", "Street", "Street Address"},
	"F009": {"Address 2", "Address Line 2", "Suite", "Apartment"},
	"F010": {"City", "Town"},
	"F011": {"Country", "Country Code", "Nation"},
	"F012": {"State (US or Canada)", "State", "Province", "State/Province", "State Code", "Province Code"},
	"F013": {"State/Province/Region (Non US or Candadian)", "State/Province/Region (Non US or Canadian)", "State/Province/Region", "County", "Prefecture"},
	"F014": {"Zip Code/Postal Code", "Zip", "Zip Code", "Postal Code", "Postcode", "Post Code"},
	"F015": {"Email ID", "Email", "E-mail", "Email Address", "E-mail Address", "Mail", "Work Email"},
	"F016": {"Password", "Pwd", "Initial Password"},
	"F017": {"Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Work Phone"},
	"F018": {"Fax", "Fax Number"},
	"F019": {"Region"},
	"F020": {"Division"},
	"F021": {"Department", "Dept"},
	"F022": {"Company/Employer", "Company", "Employer", "Company Name", "Organisation", "Organization"},
	"F023": {"Time Zone", "TimeZone", "TZ"},
	"F024": {"Custom Field 1", "Custom 1", "Custom1"},
	"F025": {"Custom Field 2", "Custom 2", "Custom2"},
	"F026": {"Custom Field 3", "Custom 3", "Custom3"},
	"F027": {"Custom Field 4", "Custom 4", "Custom4"},
	"F031": {"Registration Type"},
	"F032": {"Registration Date"},
	"F033": {"Supervisor Name", "Supervisor", "Manager", "Manager Name", "Reports To"},
	"F034": {"Supervisor Email", "Supervisor E-mail", "Manager Email", "Manager E-mail"},
}

func profileField(code string) Field {
	f := validate.FieldByCode(code)
	return Field{ID: code, Name: f.Name, Aliases: profileAliases[code]}
}

// userFields are the fields of a users file: F001 … F034 in Fields order
// (so the profile part lines up with validate.Fields), then the extras.
var userFields = func() []Field {
	var fs []Field
	for _, f := range validate.Fields {
		fs = append(fs, profileField(f.Code))
	}
	return append(fs,
		Field{ID: UserID, Name: "ID", Aliases: []string{"User ID", "iLMS ID", "iLMS User ID", "UserID"}},
		Field{ID: Status, Name: "Status", Aliases: []string{"User Status", "UserStatus", "Account Status", "Active"}},
		Field{ID: Groups, Name: "Groups", Aliases: []string{"Group Names", "Group IDs"}},
		Field{ID: Courses, Name: "Courses", Aliases: []string{"Enroll In", "Enrollments", "Course IDs", "Curricula"}},
	)
}()

// targetFields name the user and the course of enrollment and transcript
// rows.
var targetFields = []Field{
	{ID: UserID, Name: "User ID", Aliases: []string{"ID", "iLMS ID", "iLMS User ID", "UserID"}},
	profileField("F015"),
	profileField("F004"),
	{ID: Course, Name: "Course ID", Aliases: []string{"Course", "CourseID", "Course Code", "ILT ID", "Event ID"}},
	{ID: CourseName, Name: "Course Name", Aliases: []string{"Course Title"}},
	{ID: Curriculum, Name: "Curriculum ID", Aliases: []string{"Curriculum", "CurriculumID"}},
	{ID: CurriculumName, Name: "Curriculum Name", Aliases: []string{"Curriculum Title"}},
	{ID: Session, Name: "Session ID", Aliases: []string{"Session", "SessionID", "ILT Session", "Session Number"}},
	{ID: "F001", Name: "First Name", Aliases: profileAliases["F001"], Info: true},
	{ID: "F003", Name: "Last Name", Aliases: profileAliases["F003"], Info: true},
	{ID: "FullName", Name: "Name", Aliases: []string{"Full Name", "Learner", "Learner Name", "User Name", "Employee Name"}, Info: true},
}

var enrollmentFields = append(append([]Field(nil), targetFields...),
	Field{ID: Action, Name: "Action", Aliases: []string{"Operation", "Enroll/Unenroll", "Enrollment Action"}},
)

var transcriptFields = append(append([]Field(nil), targetFields...),
	Field{ID: Status, Name: "Status", Aliases: []string{"Course Status", "Completion Status", "Result"}},
	Field{ID: Score, Name: "Score", Aliases: []string{"Score %", "Percent", "Percentage", "Grade"}},
	Field{ID: RequirementType, Name: "Requirement Type", Aliases: []string{"Requirement", "RequirementType", "Mandatory/Optional"}},
	Field{ID: "EnrollmentDate", Name: "Enrollment Date", Aliases: []string{"Enrolled", "Enrolled On", "Date Enrolled"}},
	Field{ID: "StartDate", Name: "Start Date", Aliases: []string{"Started", "Started On", "Date Started"}},
	Field{ID: "DueDate", Name: "Due Date", Aliases: []string{"Due", "Due On", "Deadline"}},
	Field{ID: "CompletionDate", Name: "Completion Date", Aliases: []string{"Completed", "Completed On", "Date Completed", "Completion"}},
	Field{ID: "LicenseExpirationDate", Name: "License Expiration Date", Aliases: []string{"License Expiration", "License Expires"}},
	Field{ID: "CertificationExpirationDate", Name: "Certification Expiration Date", Aliases: []string{"Certification Expiration", "Certification Expires", "Cert Expiration"}},
)

// FieldsOf returns the fields of a kind of file, in a fixed order.
func FieldsOf(k Kind) []Field {
	switch k {
	case Enrollments:
		return enrollmentFields
	case Transcripts:
		return transcriptFields
	}
	return userFields
}

// normalize is the comparison key of headers: lower case, without spaces,
// _, - or . (so "First_Name", "first-name" and "FirstName" meet).
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case ' ', '_', '-', '.', '\t', '\u00a0', '\ufeff':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dictionary maps a normalized header to a field position.
type dictionary struct {
	fields []Field
	byKey  map[string]int
	names  []string // every name and alias, for suggestions
	owner  []int    // field of each name
}

var dictionaries = map[Kind]*dictionary{}

func init() {
	for _, k := range []Kind{Users, Enrollments, Transcripts} {
		d := &dictionary{fields: FieldsOf(k), byKey: map[string]int{}}
		for i, f := range d.fields {
			for _, n := range append([]string{f.ID, f.Name}, f.Aliases...) {
				if _, taken := d.byKey[normalize(n)]; !taken {
					d.byKey[normalize(n)] = i
				}
				d.names = append(d.names, n)
				d.owner = append(d.owner, i)
			}
		}
		dictionaries[k] = d
	}
}

// Resolve finds the field a header names in a kind of file, or -1.
func Resolve(k Kind, header string) int {
	if i, ok := dictionaries[k].byKey[normalize(header)]; ok {
		return i
	}
	return -1
}

// Suggest names the field of a kind of file closest to an unknown
// header, or "".
func Suggest(k Kind, header string) string {
	d := dictionaries[k]
	best := validate.Suggest(header, d.names)
	if best == "" {
		return ""
	}
	for i, n := range d.names {
		if n == best {
			f := d.fields[d.owner[i]]
			if strings.HasPrefix(f.ID, "F") && len(f.ID) == 4 {
				return fmt.Sprintf("%s (%s)", f.Name, f.ID)
			}
			return f.Name
		}
	}
	return best
}
