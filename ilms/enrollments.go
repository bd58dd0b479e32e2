package ilms

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// EnrollmentsService covers the Enrollments section: listing, enrolling and
// un-enrolling users for courses, curricula and ILT sessions.
type EnrollmentsService service

// Enrollment is one enrollment record with the basic profile of its user.
type Enrollment struct {
	User            EnrollmentUser `json:"User"`
	CourseName      string         `json:"CourseName"`
	CourseID        string         `json:"CourseID"`
	SessionName     string         `json:"SessionName"`
	SessionID       *int64         `json:"SessionID"`
	RequirementType string         `json:"RequirementType"`
	DueDate         *Date          `json:"DueDate"`
	StartDate       *Date          `json:"StartDate"`
	CompletionDate  *Date          `json:"CompletionDate"`
	Score           *int           `json:"Score"`
	CourseStatus    string         `json:"CourseStatus"` // Not Started, In Progress, Pass, Fail, Waived
	EnrollmentDate  *Date          `json:"EnrollmentDate"`
	TimeSpent       int            `json:"TimeSpent"`
}

// EnrollmentUser is the user of an enrollment record.
type EnrollmentUser struct {
	ID            int64        `json:"ID"`
	UserStatus    string       `json:"UserStatus"`
	Profile_Basic ProfileBasic `json:"Profile_Basic"` //nolint:revive // the API's name
}

// ProfileBasic is the subset of the profile an enrollment record carries.
type ProfileBasic struct {
	F001    string `json:"F001"`
	F003    string `json:"F003"`
	F004    string `json:"F004"`
	F015    string `json:"F015"`
	F006    string `json:"F006"`
	F019    string `json:"F019"`
	F019_ID int64  `json:"F019_ID"`
	F020    string `json:"F020"`
	F020_ID int64  `json:"F020_ID"`
	F021    string `json:"F021"`
	F021_ID int64  `json:"F021_ID"`
}

// EnrollmentListOptions filter the enrollment lists.
type EnrollmentListOptions struct {
	IncludeInactiveUsers bool
	Sort                 Sort // F001, F003 (default), F004, F015, F019, F020, F021
}

func (o EnrollmentListOptions) values() (url.Values, error) {
	q, err := userSortQuery(o.Sort, EnrollmentSortFields)
	if o.IncludeInactiveUsers {
		q.Set("includeInactiveUsers", "true")
	}
	return q, err
}

func (s *EnrollmentsService) list(path string, opts EnrollmentListOptions) *Pager[Enrollment] {
	q, err := opts.values()
	return newPager[Enrollment](s.client, path, q, err)
}

func (s *EnrollmentsService) change(ctx context.Context, method, path string, userID int64) error {
	_, err := s.client.do(ctx, method, path, nil, refUser(userID), nil)
	return err
}

// Course lists the enrollments of a course.
// GET /organizations/{orgID}/courses/{courseID}/enrollments
func (s *EnrollmentsService) Course(courseID string, opts EnrollmentListOptions) *Pager[Enrollment] {
	return s.list(s.client.orgPath("courses", courseID, "enrollments"), opts)
}

// EnrollCourse enrolls a user in a course.
// POST /organizations/{orgID}/courses/{courseID}/enrollments
func (s *EnrollmentsService) EnrollCourse(ctx context.Context, courseID string, userID int64) error {
	return s.change(ctx, http.MethodPost, s.client.orgPath("courses", courseID, "enrollments"), userID)
}

// UnenrollCourse un-enrolls a user from a course.
// DELETE /organizations/{orgID}/courses/{courseID}/enrollments
func (s *EnrollmentsService) UnenrollCourse(ctx context.Context, courseID string, userID int64) error {
	return s.change(ctx, http.MethodDelete, s.client.orgPath("courses", courseID, "enrollments"), userID)
}

// Curriculum lists the enrollments of a curriculum. The path is the
// document's, with a capital E.
// GET /organizations/{orgID}/curricula/{courseID}/Enrollments
func (s *EnrollmentsService) Curriculum(curriculumID string, opts EnrollmentListOptions) *Pager[Enrollment] {
	return s.list(s.client.orgPath("curricula", curriculumID, "Enrollments"), opts)
}

// EnrollCurriculum enrolls a user in a curriculum.
// POST /organizations/{orgID}/curricula/{courseID}/enrollments
func (s *EnrollmentsService) EnrollCurriculum(ctx context.Context, curriculumID string, userID int64) error {
	return s.change(ctx, http.MethodPost, s.client.orgPath("curricula", curriculumID, "enrollments"), userID)
}

// UnenrollCurriculum un-enrolls a user from a curriculum.
// DELETE /organizations/{orgID}/curricula/{courseID}/enrollments
func (s *EnrollmentsService) UnenrollCurriculum(ctx context.Context, curriculumID string, userID int64) error {
	return s.change(ctx, http.MethodDelete, s.client.orgPath("curricula", curriculumID, "enrollments"), userID)
}

// Session lists the enrollments of an ILT session.
// GET /organizations/{orgID}/courses/{courseID}/sessions/{sessionID}/enrollments
func (s *EnrollmentsService) Session(courseID string, sessionID int64, opts EnrollmentListOptions) *Pager[Enrollment] {
	return s.list(s.client.orgPath("courses", courseID, "sessions", id(sessionID), "enrollments"), opts)
}

// EnrollSession enrolls a user in an ILT session.
// POST /organizations/{orgID}/courses/{courseID}/sessions/{sessionID}/enrollments
func (s *EnrollmentsService) EnrollSession(ctx context.Context, courseID string, sessionID, userID int64) error {
	return s.change(ctx, http.MethodPost, s.client.orgPath("courses", courseID, "sessions", id(sessionID), "enrollments"), userID)
}

// UnenrollSession un-enrolls a user from an ILT session.
// DELETE /organizations/{orgID}/courses/{courseID}/sessions/{sessionID}/enrollments
func (s *EnrollmentsService) UnenrollSession(ctx context.Context, courseID string, sessionID, userID int64) error {
	return s.change(ctx, http.MethodDelete, s.client.orgPath("courses", courseID, "sessions", id(sessionID), "enrollments"), userID)
}

// ReportsService covers the Reports section of the document.
type ReportsService service

// SummaryRow is one line of the enrollment summary report: the course,
// curriculum or session itself, or a sub-course of a curriculum, or a
// session of an ILT.
type SummaryRow struct {
	CourseName                   string `json:"CourseName"`
	CourseType                   string `json:"CourseType"` // SCORM, iComposer, ILT, Curriculum, Session, …
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

// SummaryOptions select the report: a course or curriculum ID, optionally
// one session of an ILT.
type SummaryOptions struct {
	CourseID             string
	SessionID            int64 // 0: the whole course
	IncludeInactiveUsers bool
}

// EnrollmentSummary returns the summary report of a course (one row), a
// curriculum (its row, then one per sub-course), an ILT (its row, then one
// per session) or one session.
// GET /organizations/{orgID}/reports/enrollmentssummary?courseid={courseID}
func (s *ReportsService) EnrollmentSummary(ctx context.Context, opts SummaryOptions) ([]SummaryRow, error) {
	q := url.Values{}
	q.Set("courseid", opts.CourseID)
	if opts.SessionID != 0 {
		q.Set("sessionid", strconv.FormatInt(opts.SessionID, 10))
	}
	if opts.IncludeInactiveUsers {
		q.Set("includeinactiveusers", "true")
	}
	var rows oneOrMany[SummaryRow]
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("reports", "enrollmentssummary"), q, nil, &rows); err != nil {
		return nil, err
	}
	return rows, nil
}
