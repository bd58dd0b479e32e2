package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// State is everything the sandbox knows about its one organization. It is
// what the seed file and the --state file hold, as JSON.
type State struct {
	OrgID          string            `json:"org_id"`
	APILoginID     string            `json:"api_login_id"`
	TransactionKey string            `json:"transaction_key"`
	Settings       validate.Settings `json:"settings"`
	// DisabledFeatures are API areas answered with 403 Forbidden ("users",
	// "groups", "hierarchy", "transcripts", "courses", "curricula",
	// "sessions", "enrollments", "reports").
	DisabledFeatures []string `json:"disabled_features,omitempty"`
	NextID           int64    `json:"next_id"`

	Regions     []*Region     `json:"regions"`
	Users       []*User       `json:"users"`
	Groups      []*Group      `json:"groups"`
	Courses     []*Course     `json:"courses"`
	Curricula   []*Curriculum `json:"curricula"`
	Enrollments []*Enrollment `json:"enrollments"`
}

// Region, Division and Department form the user hierarchy.
type Region struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	Divisions []*Division `json:"divisions"`
}

// Division is a division of a region.
type Division struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	Departments []*Department `json:"departments"`
}

// Department is a department of a division.
type Department struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// User is a user account. Profile holds the text fields by code; the
// hierarchy is held by ID so that renaming a region renames it for every
// user. The password is kept only as a SHA-256 digest.
type User struct {
	ID           int64             `json:"id"`
	Status       string            `json:"status"` // Active, Inactive, Deleted
	Profile      map[string]string `json:"profile"`
	RegionID     int64             `json:"region_id"`
	DivisionID   int64             `json:"division_id"`
	DepartmentID int64             `json:"department_id"`
	Registration string            `json:"registration_type"` // F031
	Registered   time.Time         `json:"registered"`        // F032

	PasswordSHA256            string `json:"password_sha256,omitempty"`
	ChangePasswordAtNextLogin bool   `json:"change_password_at_next_login,omitempty"`
	RegistrationMailSent      bool   `json:"registration_mail_sent,omitempty"`
}

// Group is a group with its membership rule, explicit lists and courses.
type Group struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// Rule makes members of the users whose profile fields equal the
	// values (case-insensitive), applied on refresh.
	Rule    map[string]string `json:"rule,omitempty"`
	Manual  []int64           `json:"manual,omitempty"`  // added through members
	Include []int64           `json:"include,omitempty"` // explicit inclusion list
	Exclude []int64           `json:"exclude,omitempty"` // explicit exclusion list
	Members []int64           `json:"members"`           // as of the last refresh or change
	Courses []*GroupCourse    `json:"courses,omitempty"`
}

// GroupCourse is a course of a group with the group's defaults.
type GroupCourse struct {
	CourseID        string  `json:"course_id"`
	RequirementType string  `json:"requirement_type"`
	DueDate         DueDate `json:"due_date"`
}

// DueDate is a default due date: fixed, days after enrollment, or none.
type DueDate struct {
	Date *time.Time `json:"date,omitempty"`
	Days *int       `json:"days,omitempty"`
}

// Course is a course of any type; ILT and event courses have sessions.
type Course struct {
	ID                     string     `json:"id"`
	Name                   string     `json:"name"`
	Type                   string     `json:"type"` // iComposer, SCORM, ILT, Event
	DeliveryType           string     `json:"delivery_type"`
	DefaultRequirementType string     `json:"default_requirement_type"`
	Credits                string     `json:"credits"`
	Hours                  string     `json:"hours"`
	Status                 string     `json:"status"` // Active, Inactive
	DueDate                DueDate    `json:"due_date"`
	Description            string     `json:"description,omitempty"`
	Outline                string     `json:"outline,omitempty"`
	Keywords               string     `json:"keywords,omitempty"`
	Historical             bool       `json:"historical,omitempty"`
	Certification          bool       `json:"certification,omitempty"`
	LicenseDays            int        `json:"license_days,omitempty"`
	Sessions               []*Session `json:"sessions,omitempty"`
}

// Session is a session of an ILT or event course.
type Session struct {
	ID          int64     `json:"id"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	RoomName    string    `json:"room_name"`
	Location    string    `json:"location"`
	TimeZone    string    `json:"time_zone"`
	Instructors []int64   `json:"instructors,omitempty"`
}

// Curriculum is a curriculum and the courses it is made of.
type Curriculum struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	DueDate   DueDate  `json:"due_date"`
	CourseIDs []string `json:"course_ids"`
}

// Enrollment is one user's record in one course or curriculum (and, for an
// ILT, the session they are in). It is their transcript line too.
type Enrollment struct {
	UserID                      int64      `json:"user_id"`
	CourseID                    string     `json:"course_id"`
	SessionID                   int64      `json:"session_id,omitempty"`
	RequirementType             string     `json:"requirement_type"`
	Status                      string     `json:"status"` // Not Started, In Progress, Pass, Fail, Waived
	Score                       *int       `json:"score,omitempty"`
	EnrollmentDate              time.Time  `json:"enrollment_date"`
	DueDate                     *time.Time `json:"due_date,omitempty"`
	StartDate                   *time.Time `json:"start_date,omitempty"`
	CompletionDate              *time.Time `json:"completion_date,omitempty"`
	LicenseExpirationDate       *time.Time `json:"license_expiration_date,omitempty"`
	CertificationStatus         *string    `json:"certification_status,omitempty"`
	CertificationExpirationDate *time.Time `json:"certification_expiration_date,omitempty"`
	TimeSpent                   int        `json:"time_spent"`
}

// ReadState decodes a state (or seed) from r.
func ReadState(r io.Reader) (*State, error) {
	var st State
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("sandbox state: %w", err)
	}
	if st.OrgID == "" || st.APILoginID == "" || st.TransactionKey == "" {
		return nil, fmt.Errorf("sandbox state: org_id, api_login_id and transaction_key are required")
	}
	return &st, nil
}

// LoadState reads a state file.
func LoadState(path string) (*State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := ReadState(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

// WriteFile writes the state to path atomically (a temporary file renamed
// over it), so a crash never leaves half a state.
func (st *State) WriteFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".state-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", " ")
	if err := enc.Encode(st); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
