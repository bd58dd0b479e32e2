// Package docserver is a small iLMS API server for tests, written from the
// API document's examples alone: its answers are the document's JSON
// shapes, built here rather than from the client's types, and the people
// of an ILT or Event course are listed in its sessions' enrollment lists
// only, as the document shows them, not in the course's own list. That is
// where it differs from ilms/sandbox, whose course lists also name the
// people of the course's sessions, so a mistake that reads a course's list
// where its sessions' are meant shows here and not there.
//
// It serves users, courses, curricula, sessions, enrollment lists, enroll
// and un-enroll, transcripts and the enrollment summary report; IDs match
// exactly and path words in any case. Nothing else.
package docserver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Credentials the server accepts, the document's example values.
const (
	OrgID          = "99999"
	APILoginID     = "YBA3hyozzqWGeA2koTvI1Q=="
	TransactionKey = "ggcyFzoFKxbUm+3DFd/N9Q=="
)

// User is a person of the organization.
type User struct {
	ID                             int64
	Status                         string // Active (default), Inactive
	First, Last, EmployeeID, Email string
	Region, Division, Department   string
}

// Course is a course; Type is iComposer, SCORM, ILT or Event.
type Course struct {
	ID, Name, Type string
}

// Session is a session of an ILT or Event course.
type Session struct {
	ID       int64
	CourseID string
	Start    time.Time
}

// Curriculum is a curriculum of courses.
type Curriculum struct {
	ID, Name  string
	CourseIDs []string
}

// Enrollment is one record: of a course (Session 0), of a session of it,
// or of a curriculum (CourseID a curriculum's ID).
type Enrollment struct {
	UserID    int64
	CourseID  string
	Session   int64
	Status    string // Not Started (default), In Progress, Pass, Fail, Waived
	Due       *time.Time
	Score     *int
	Completed *time.Time
}

// Org is what the server holds.
type Org struct {
	Users       []User
	Courses     []Course
	Sessions    []Session
	Curricula   []Curriculum
	Enrollments []Enrollment
}

// Server serves an Org. It is safe for concurrent use.
type Server struct {
	mu     sync.Mutex
	org    Org
	writes int
}

// New returns a server of org (which it then owns).
func New(org Org) *Server {
	for i := range org.Users {
		if org.Users[i].Status == "" {
			org.Users[i].Status = "Active"
		}
	}
	for i := range org.Enrollments {
		if org.Enrollments[i].Status == "" {
			org.Enrollments[i].Status = "Not Started"
		}
	}
	return &Server{org: org}
}

// Writes counts the requests other than GET answered with success.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Record returns a copy of the record of a user in a course, session or
// curriculum, or nil.
func (s *Server) Record(userID int64, courseID string, session int64) *Enrollment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.find(userID, courseID, session); e != nil {
		c := *e
		return &c
	}
	return nil
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("APILoginID") != APILoginID || r.Header.Get("TransactionKey") != TransactionKey || r.Header.Get("OrgID") != OrgID {
		reply(w, http.StatusUnauthorized, map[string]any{"Message": "Authorization has been denied for this request."})
		return
	}
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) < 3 || !strings.EqualFold(segs[0], "organizations") || segs[1] != OrgID {
		notFound(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	status, body := s.route(r, segs[2:])
	if r.Method != http.MethodGet && status < 300 {
		s.writes++
	}
	reply(w, status, body)
}

func reply(w http.ResponseWriter, status int, body any) {
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if p, ok := body.(page); ok {
		p.headers(w.Header())
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func notFound(w http.ResponseWriter) {
	reply(w, http.StatusNotFound, map[string]any{"Message": "No HTTP resource was found that matches the request URI."})
}

// page is a list answer: the items of the page asked for, with the
// document's X-Total-Count, next and last headers.
type page struct {
	items  []any
	n, per int
	url    url.URL
}

// headers sets X-Total-Count, and next and last while there are more.
func (p page) headers(h http.Header) {
	h.Set("X-Total-Count", strconv.Itoa(len(p.items)))
	last := max(1, (len(p.items)+p.per-1)/p.per)
	if p.n >= last {
		return
	}
	link := func(n int) string {
		u := p.url
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(p.per))
		u.RawQuery = q.Encode()
		return u.String()
	}
	h.Set("next", link(p.n+1))
	h.Set("last", link(last))
}

func message(format string, args ...any) map[string]any {
	return map[string]any{"Message": fmt.Sprintf(format, args...)}
}

// match reports whether segs are pattern, where "{}" stands for any one
// segment (an ID, compared by the handler exactly) and words compare in
// any case.
func match(segs []string, pattern ...string) bool {
	if len(segs) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if p != "{}" && !strings.EqualFold(p, segs[i]) {
			return false
		}
	}
	return true
}

func (s *Server) route(r *http.Request, segs []string) (int, any) {
	get, q := r.Method == http.MethodGet, r.URL.Query()
	switch {
	case get && match(segs, "users"):
		return s.list(r, s.users(q))
	case get && match(segs, "users", "{}"):
		u := s.user(segs[1])
		if u == nil {
			return http.StatusNotFound, message("User '%s' does not exist.", segs[1])
		}
		return http.StatusOK, userJSON(u)
	case get && match(segs, "courses"):
		var out []any
		for _, c := range s.org.Courses {
			out = append(out, courseJSON(c))
		}
		return s.list(r, out)
	case get && match(segs, "curricula"):
		var out []any
		for _, c := range s.org.Curricula {
			out = append(out, map[string]any{"ID": c.ID, "Name": c.Name, "DefaultDueDateSettings": map[string]any{"DefaultDueDate": nil, "DaysAfterEnrollment": nil}})
		}
		return s.list(r, out)
	case get && match(segs, "courses", "{}", "sessions"):
		if s.course(segs[1]) == nil {
			return http.StatusNotFound, message("Course '%s' does not exist.", segs[1])
		}
		var out []any
		for _, ss := range s.org.Sessions {
			if ss.CourseID == segs[1] {
				out = append(out, s.sessionJSON(ss))
			}
		}
		return s.list(r, out)
	case match(segs, "courses", "{}", "enrollments"):
		return s.enrollments(r, segs[1], 0, false)
	case match(segs, "courses", "{}", "sessions", "{}", "enrollments"):
		sid, _ := strconv.ParseInt(segs[3], 10, 64)
		if s.session(segs[1], sid) == nil {
			return http.StatusNotFound, message("Session '%s' does not exist in course '%s'.", segs[3], segs[1])
		}
		return s.enrollments(r, segs[1], sid, false)
	case match(segs, "curricula", "{}", "enrollments"):
		return s.enrollments(r, segs[1], 0, true)
	case match(segs, "users", "{}", "courses", "{}", "transcripts"):
		return s.transcript(r, segs[1], segs[3], 0, false)
	case match(segs, "users", "{}", "courses", "{}", "sessions", "{}", "transcripts"):
		sid, _ := strconv.ParseInt(segs[5], 10, 64)
		return s.transcript(r, segs[1], segs[3], sid, false)
	case match(segs, "users", "{}", "curricula", "{}", "transcripts"):
		return s.transcript(r, segs[1], segs[3], 0, true)
	case get && match(segs, "reports", "enrollmentssummary"):
		return s.summary(q)
	}
	return http.StatusNotFound, message("No HTTP resource was found that matches the request URI.")
}

// list answers a list with the page and per_page the request asks for.
func (s *Server) list(r *http.Request, items []any) (int, any) {
	q := r.URL.Query()
	n, per := 1, 100
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		per = v
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	return http.StatusOK, page{items: items, n: n, per: per, url: u}
}

func (p page) MarshalJSON() ([]byte, error) {
	start := min((p.n-1)*p.per, len(p.items))
	end := min(start+p.per, len(p.items))
	out := p.items[start:end]
	if out == nil {
		out = []any{}
	}
	return json.Marshal(out)
}

func (s *Server) users(q map[string][]string) []any {
	statuses := []string{"active"}
	if v := first(q, "userstatus"); v != "" {
		statuses = strings.Split(strings.ToLower(v), ",")
	}
	var out []any
	for i := range s.org.Users {
		u := &s.org.Users[i]
		if !slices.Contains(statuses, strings.ToLower(u.Status)) || !matchesSearch(u, q) {
			continue
		}
		out = append(out, userJSON(u))
	}
	return out
}

// matchesSearch applies the document's searches on F001, F003, F004 and
// F015: "exact" in quotes, else contains; without regard to case.
func matchesSearch(u *User, q map[string][]string) bool {
	for code, field := range map[string]string{"F001": u.First, "F003": u.Last, "F004": u.EmployeeID, "F015": u.Email} {
		v := first(q, code)
		if v == "" {
			continue
		}
		field = strings.ToLower(field)
		if exact, ok := strings.CutPrefix(v, `"`); ok {
			if field != strings.ToLower(strings.TrimSuffix(exact, `"`)) {
				return false
			}
		} else if !strings.Contains(field, strings.ToLower(strings.Trim(v, "*"))) {
			return false
		}
	}
	return true
}

func first(q map[string][]string, key string) string {
	for k, v := range q {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (s *Server) user(id string) *User {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	for i := range s.org.Users {
		if s.org.Users[i].ID == n {
			return &s.org.Users[i]
		}
	}
	return nil
}

func (s *Server) course(id string) *Course {
	for i := range s.org.Courses {
		if s.org.Courses[i].ID == id {
			return &s.org.Courses[i]
		}
	}
	return nil
}

func (s *Server) curriculum(id string) *Curriculum {
	for i := range s.org.Curricula {
		if s.org.Curricula[i].ID == id {
			return &s.org.Curricula[i]
		}
	}
	return nil
}

func (s *Server) session(courseID string, id int64) *Session {
	for i := range s.org.Sessions {
		if ss := &s.org.Sessions[i]; ss.CourseID == courseID && ss.ID == id {
			return ss
		}
	}
	return nil
}

func (s *Server) find(userID int64, courseID string, session int64) *Enrollment {
	for i := range s.org.Enrollments {
		if e := &s.org.Enrollments[i]; e.UserID == userID && e.CourseID == courseID && e.Session == session {
			return e
		}
	}
	return nil
}

// enrollments lists, enrolls in or un-enrolls from a course (its own
// list: not its sessions'), a session or a curriculum.
func (s *Server) enrollments(r *http.Request, id string, session int64, curriculum bool) (int, any) {
	name := ""
	if curriculum {
		c := s.curriculum(id)
		if c == nil {
			return http.StatusNotFound, message("Curriculum '%s' does not exist.", id)
		}
		name = c.Name
	} else {
		c := s.course(id)
		if c == nil {
			return http.StatusNotFound, message("Course '%s' does not exist.", id)
		}
		name = c.Name
	}
	switch r.Method {
	case http.MethodGet:
		inactive := strings.EqualFold(first(r.URL.Query(), "includeInactiveUsers"), "true")
		var out []any
		for _, e := range s.org.Enrollments {
			if e.CourseID != id || e.Session != session {
				continue
			}
			u := s.user(strconv.FormatInt(e.UserID, 10))
			if u == nil || u.Status != "Active" && !(inactive && u.Status == "Inactive") {
				continue
			}
			out = append(out, s.enrollmentJSON(e, u, name))
		}
		return s.list(r, out)
	case http.MethodPost, http.MethodDelete:
		u, err := s.bodyUser(r)
		if err != nil {
			return http.StatusBadRequest, message("%s", err)
		}
		existing := s.find(u.ID, id, session)
		if r.Method == http.MethodDelete {
			if existing == nil {
				return http.StatusNotFound, message("User is not enrolled.")
			}
			s.org.Enrollments = slices.DeleteFunc(s.org.Enrollments, func(e Enrollment) bool { return e.UserID == u.ID && e.CourseID == id && e.Session == session })
			return http.StatusNoContent, nil
		}
		if existing != nil {
			return http.StatusBadRequest, message("User is already enrolled.")
		}
		if u.Status != "Active" {
			return http.StatusBadRequest, message("User is not active.")
		}
		s.org.Enrollments = append(s.org.Enrollments, Enrollment{UserID: u.ID, CourseID: id, Session: session, Status: "Not Started"})
		return http.StatusNoContent, nil
	}
	return http.StatusMethodNotAllowed, message("The requested resource does not support http method '%s'.", r.Method)
}

// bodyUser reads {"userid": "444038"} (a string, as the document writes
// it, or a number).
func (s *Server) bodyUser(r *http.Request) (*User, error) {
	var body map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		return nil, fmt.Errorf("the body is not JSON")
	}
	for k, v := range body {
		if !strings.EqualFold(k, "userid") {
			continue
		}
		id := fmt.Sprint(v)
		if u := s.user(id); u != nil {
			return u, nil
		}
		return nil, fmt.Errorf("user '%s' does not exist", id)
	}
	return nil, fmt.Errorf("userid is required")
}

// transcript reads or modifies the transcript of a user for a course,
// session or curriculum: the record of that list, or 404.
func (s *Server) transcript(r *http.Request, userID, id string, session int64, curriculum bool) (int, any) {
	u := s.user(userID)
	if u == nil {
		return http.StatusNotFound, message("User '%s' does not exist.", userID)
	}
	e := s.find(u.ID, id, session)
	if e == nil {
		return http.StatusNotFound, message("User %d is not enrolled.", u.ID)
	}
	switch r.Method {
	case http.MethodGet:
		t := s.transcriptJSON(*e, curriculum)
		if session != 0 {
			return http.StatusOK, t // the document answers a session with one object
		}
		return http.StatusOK, []any{t}
	case http.MethodPut:
		var body map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
			return http.StatusBadRequest, message("The body is not JSON.")
		}
		for k, v := range body {
			switch strings.ToLower(k) {
			case "status":
				st, ok := map[string]string{"not started": "Not Started", "pass": "Pass", "fail": "Fail", "waived": "Waived"}[strings.ToLower(fmt.Sprint(v))]
				if !ok {
					return http.StatusBadRequest, message("Status '%v' is not valid.", v)
				}
				e.Status = st
			case "score":
				n, err := strconv.Atoi(fmt.Sprint(v))
				if err != nil || n < 0 || n > 100 {
					return http.StatusBadRequest, message("Score '%v' is not valid.", v)
				}
				e.Score = &n
			case "completiondate":
				t, err := time.Parse("2006-01-02T15:04:05", fmt.Sprint(v))
				if err != nil {
					return http.StatusBadRequest, message("CompletionDate '%v' is not valid.", v)
				}
				e.Completed = &t
			}
		}
		return http.StatusNoContent, nil
	}
	return http.StatusMethodNotAllowed, message("The requested resource does not support http method '%s'.", r.Method)
}

// summary is the enrollment summary report: of a curriculum with a row
// per sub-course, of a course, with a row per session for an ILT or
// Event, or of one session.
func (s *Server) summary(q map[string][]string) (int, any) {
	id := first(q, "courseid")
	inactive := strings.EqualFold(first(q, "includeinactiveusers"), "true")
	counted := func(e Enrollment) bool {
		u := s.user(strconv.FormatInt(e.UserID, 10))
		return u != nil && (u.Status == "Active" || inactive && u.Status == "Inactive")
	}
	row := func(name, typ, courseID, parentName, parentID string, session int64, keep func(Enrollment) bool) map[string]any {
		counts := map[string]int{}
		n := 0
		for _, e := range s.org.Enrollments {
			if keep(e) && counted(e) {
				n++
				counts[e.Status]++
			}
		}
		sessionName := ""
		if ss := s.session(courseID, session); ss != nil {
			sessionName = sessionName0(ss)
		}
		return map[string]any{
			"CourseName": name, "CourseType": typ, "CourseID": courseID,
			"ParentCurriculumNameOfCourse": parentName, "ParentCurriculumIDOfCourse": parentID,
			"SessionID": session, "SessionName": sessionName,
			"Enrolled": n, "NotStarted": counts["Not Started"], "InProgress": counts["In Progress"],
			"Passed": counts["Pass"], "Failed": counts["Fail"], "Waived": counts["Waived"],
		}
	}
	if cur := s.curriculum(id); cur != nil {
		rows := []any{row(cur.Name, "Curriculum", cur.ID, "", "", 0, func(e Enrollment) bool { return e.CourseID == cur.ID })}
		for _, cid := range cur.CourseIDs {
			if c := s.course(cid); c != nil {
				rows = append(rows, row(c.Name, c.Type, c.ID, cur.Name, cur.ID, 0, func(e Enrollment) bool {
					return e.CourseID == c.ID && s.find(e.UserID, cur.ID, 0) != nil
				}))
			}
		}
		return http.StatusOK, rows
	}
	c := s.course(id)
	if c == nil {
		return http.StatusNotFound, message("Course '%s' does not exist.", id)
	}
	if v := first(q, "sessionid"); v != "" {
		sid, _ := strconv.ParseInt(v, 10, 64)
		if s.session(c.ID, sid) == nil {
			return http.StatusNotFound, message("Session '%s' does not exist in course '%s'.", v, id)
		}
		return http.StatusOK, []any{row(c.Name, "Session", c.ID, "", "", sid, func(e Enrollment) bool { return e.CourseID == c.ID && e.Session == sid })}
	}
	rows := []any{row(c.Name, c.Type, c.ID, "", "", 0, func(e Enrollment) bool { return e.CourseID == c.ID })}
	for _, ss := range s.org.Sessions {
		if ss.CourseID == c.ID {
			rows = append(rows, row(c.Name, "Session", c.ID, "", "", ss.ID, func(e Enrollment) bool { return e.CourseID == c.ID && e.Session == ss.ID }))
		}
	}
	return http.StatusOK, rows
}

const dateLayout = "2006-01-02T15:04:05"

func date(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(dateLayout)
}

func sessionName0(ss *Session) string {
	const layout = "Jan 2, 2006 3:04 PM"
	return ss.Start.Format(layout) + " to " + ss.Start.Add(6*time.Hour).Format(layout)
}

func userJSON(u *User) map[string]any {
	p := map[string]any{"F001": u.First, "F002": "", "F003": u.Last, "F004": u.EmployeeID, "F005": nil, "F006": "English",
		"F015": u.Email, "F016": nil, "F019": u.Region, "F019_ID": 13306, "F020": u.Division, "F020_ID": 8463, "F021": u.Department, "F021_ID": 15136,
		"F023": "(GMT-06.00) Central Time (US & Canada)", "F031": "API", "F032": "2013-10-23T13:30:38.22", "F033": "", "F034": ""}
	for _, code := range []string{"F007", "F008", "F009", "F010", "F011", "F012", "F013", "F014", "F017", "F018", "F022", "F024", "F025", "F026", "F027"} {
		p[code] = ""
	}
	return map[string]any{"ID": u.ID, "UserStatus": u.Status, "Profile": p}
}

func courseJSON(c Course) map[string]any {
	return map[string]any{"ID": c.ID, "Name": c.Name, "Type": c.Type, "DeliveryType": "Web-based", "DefaultRequirementType": "Mandatory",
		"Credits": "1", "Hours": "1", "Status": "Active", "DefaultDueDateSettings": map[string]any{"DefaultDueDate": nil, "DaysAfterEnrollment": nil}}
}

func (s *Server) sessionJSON(ss Session) map[string]any {
	name := ""
	if c := s.course(ss.CourseID); c != nil {
		name = c.Name
	}
	return map[string]any{"CourseName": name, "CourseID": ss.CourseID, "SessionID": ss.ID,
		"StartDateTime": ss.Start.Format(dateLayout), "EndDateTime": ss.Start.Add(6 * time.Hour).Format(dateLayout), "RoomName": "Confrence 1",
		"Location":    map[string]any{"Name": " San Antonio", "TimeZoneName": "(GMT-06.00) Central Time (US & Canada)"},
		"Instructors": []any{}}
}

func (s *Server) enrollmentJSON(e Enrollment, u *User, courseName string) map[string]any {
	var session any
	sessionName := ""
	if ss := s.session(e.CourseID, e.Session); ss != nil {
		session, sessionName = ss.ID, courseName+" :: "+sessionName0(ss)
	}
	var score any
	if e.Score != nil {
		score = *e.Score
	}
	return map[string]any{
		"User": map[string]any{"ID": u.ID, "UserStatus": u.Status, "Profile_Basic": map[string]any{
			"F001": u.First, "F003": u.Last, "F004": u.EmployeeID, "F015": u.Email, "F006": "English",
			"F019": u.Region, "F019_ID": 13306, "F020": u.Division, "F020_ID": 8463, "F021": u.Department, "F021_ID": 15136}},
		"CourseName": courseName, "CourseID": e.CourseID, "SessionName": sessionName, "SessionID": session,
		"RequirementType": "Mandatory", "DueDate": date(e.Due), "StartDate": nil, "CompletionDate": date(e.Completed),
		"Score": score, "CourseStatus": e.Status, "EnrollmentDate": "2013-12-08T10:05:59.877", "TimeSpent": 0,
	}
}

func (s *Server) transcriptJSON(e Enrollment, curriculum bool) map[string]any {
	name, sessionName := "", ""
	if curriculum {
		if c := s.curriculum(e.CourseID); c != nil {
			name = c.Name
		}
	} else if c := s.course(e.CourseID); c != nil {
		name = c.Name
	}
	if ss := s.session(e.CourseID, e.Session); ss != nil {
		sessionName = sessionName0(ss)
	}
	score := 0
	if e.Score != nil {
		score = *e.Score
	}
	return map[string]any{
		"CourseName": name, "CourseID": e.CourseID, "SessionName": sessionName, "SessionID": e.Session,
		"RequirementType": "Mandatory", "LicenseExpirationDate": nil, "EnrollmentDate": "2013-12-09T16:30:39.37",
		"DueDate": date(e.Due), "StartDate": nil, "CompletionDate": date(e.Completed), "Score": score, "Status": e.Status,
		"TimeSpent": 0, "CertificationStatus": nil, "CertificationExpirationDate": nil, "Credits": 0.0, "Hours": 0.0,
	}
}
