package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// target says what an enrollment or transcript call is about.
type target int

const (
	kindCourse     target = iota // …/courses/{course}/…
	kindCurriculum               // …/curricula/{course}/…
	kindSession                  // …/courses/{course}/sessions/{session}/…
	kindQuery                    // …/users/{user}/transcripts?courseid=…
)

// sessionName is how records name a session: "Sep 8, 2013 7:30 PM to Sep
// 9, 2013 1:30 AM".
func sessionName(ss *Session) string {
	const layout = "Jan 2, 2006 3:04 PM"
	return ss.Start.Format(layout) + " to " + ss.End.Format(layout)
}

func (s *Server) enrollmentCourseName(e *Enrollment) string {
	name, _ := s.courseName(e.CourseID)
	return name
}

func (s *Server) renderEnrollment(e *Enrollment) enrollmentJSON {
	out := enrollmentJSON{
		CourseName: s.enrollmentCourseName(e), CourseID: e.CourseID,
		RequirementType: e.RequirementType, DueDate: answerDatePtr(e.DueDate), StartDate: answerDatePtr(e.StartDate),
		CompletionDate: answerDatePtr(e.CompletionDate), Score: e.Score, CourseStatus: e.Status,
		EnrollmentDate: answerDate(e.EnrollmentDate), TimeSpent: e.TimeSpent,
	}
	if ss := s.ix.sessions[e.SessionID]; ss != nil {
		id := ss.ID
		out.SessionID = &id
		out.SessionName = out.CourseName + " :: " + sessionName(ss)
	}
	if u := s.ix.users[e.UserID]; u != nil {
		out.User = enrollmentUserJSON{ID: u.ID, UserStatus: u.Status, ProfileBasic: profileBasicJSON{
			F001: s.field(u, "F001"), F003: s.field(u, "F003"), F004: s.field(u, "F004"), F015: s.field(u, "F015"), F006: s.field(u, "F006"),
			F019: s.field(u, "F019"), F019_ID: s.ix.regions[u.RegionID].idOrZero(),
			F020: s.field(u, "F020"), F020_ID: s.ix.divisions[u.DivisionID].idOrZero(),
			F021: s.field(u, "F021"), F021_ID: s.ix.departments[u.DepartmentID].idOrZero(),
		}}
	}
	return out
}

func (s *Server) renderTranscript(e *Enrollment) transcriptJSON {
	out := transcriptJSON{
		CourseName: s.enrollmentCourseName(e), CourseID: e.CourseID, RequirementType: e.RequirementType,
		LicenseExpirationDate: answerDatePtr(e.LicenseExpirationDate), EnrollmentDate: answerDatePtr(&e.EnrollmentDate),
		DueDate: answerDatePtr(e.DueDate), StartDate: answerDatePtr(e.StartDate), CompletionDate: answerDatePtr(e.CompletionDate),
		Status: e.Status, TimeSpent: e.TimeSpent, CertificationStatus: e.CertificationStatus,
		CertificationExpirationDate: answerDatePtr(e.CertificationExpirationDate),
	}
	if e.Score != nil {
		out.Score = *e.Score
	}
	if ss := s.ix.sessions[e.SessionID]; ss != nil {
		out.SessionID, out.SessionName = ss.ID, sessionName(ss)
	}
	if c := s.ix.courses[e.CourseID]; c != nil {
		out.Credits, out.Hours = decimalOf(c.Credits), decimalOf(c.Hours)
	}
	return out
}

// scope is the course, curriculum or session a request names.
type scope struct {
	kind       target
	course     *Course
	curriculum *Curriculum
	session    *Session
	id         string // course or curriculum ID
}

func (s *Server) scopeOf(q *request, kind target) (scope, error) {
	sc := scope{kind: kind}
	switch kind {
	case kindCurriculum:
		id := cmp.Or(q.param("curriculum"), q.param("course"))
		c := s.ix.curricula[id]
		if c == nil {
			return sc, notFound("Curriculum '%s' does not exist.", id)
		}
		sc.curriculum, sc.id = c, c.ID
	case kindQuery:
		// The example's form names a course or curriculum by courseid
		// (line 3154); the document prints no such form for a session.
		if q.query("sessionid") != "" {
			return sc, badRequest("This form takes courseid only; a session's transcript is modified at …/users/{userID}/courses/{courseID}/sessions/{sessionID}/transcripts.")
		}
		id := q.query("courseid")
		if id == "" {
			return sc, badRequest("courseid is required.")
		}
		if c := s.ix.curricula[id]; c != nil {
			sc.kind, sc.curriculum, sc.id = kindCurriculum, c, id
			return sc, nil
		}
		c := s.ix.courses[id]
		if c == nil {
			return sc, notFound("Course '%s' does not exist.", id)
		}
		sc.kind, sc.course, sc.id = kindCourse, c, id
	default:
		c, err := s.courseParam(q)
		if err != nil {
			return sc, err
		}
		sc.course, sc.id = c, c.ID
		if kind == kindSession {
			ss, err := s.sessionParam(q, c)
			if err != nil {
				return sc, err
			}
			sc.session = ss
		}
	}
	return sc, nil
}

func (sc scope) what() string {
	switch sc.kind {
	case kindCurriculum:
		return "curriculum '" + sc.id + "'"
	case kindSession:
		return "session " + strconv.FormatInt(sc.session.ID, 10) + " of course '" + sc.id + "'"
	}
	return "course '" + sc.id + "'"
}

// inScope reports whether a record belongs to the scope's list.
func (sc scope) inScope(e *Enrollment) bool {
	if e.CourseID != sc.id {
		return false
	}
	return sc.kind != kindSession || e.SessionID == sc.session.ID
}

func (s *Server) listEnrollments(kind target) func(*request) error {
	return func(q *request) error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		sc, err := s.scopeOf(q, kind)
		if err != nil {
			return err
		}
		inactive, err := q.boolQuery("includeInactiveUsers")
		if err != nil {
			return err
		}
		items, err := s.cachedList(q.listKey(), func() (any, error) {
			var recs []*Enrollment
			for _, e := range s.st.Enrollments {
				u := s.ix.users[e.UserID]
				if !sc.inScope(e) || u == nil || u.Status == "Deleted" || u.Status == "Inactive" && !inactive {
					continue
				}
				recs = append(recs, e)
			}
			if err := s.sortEnrollments(recs, q.query("sort")); err != nil {
				return nil, err
			}
			return recs, nil
		})
		if err != nil {
			return err
		}
		recs := items.([]*Enrollment)
		return paginateN(q, len(recs), func(start, end int) any {
			out := make([]enrollmentJSON, 0, end-start)
			for _, e := range recs[start:end] {
				out = append(out, s.renderEnrollment(e))
			}
			return out
		})
	}
}

func (s *Server) sortEnrollments(recs []*Enrollment, sortParam string) error {
	key, desc := "F003", false
	if sortParam != "" {
		field, d := parseSort(sortParam)
		code := strings.ToUpper(field)
		if !slices.Contains(enrollmentSortFields, code) {
			return badRequest("Sorting on '%s' is not supported; supported field codes are %s.", field, strings.Join(enrollmentSortFields, ", "))
		}
		key, desc = code, d
	}
	keys := make(map[*Enrollment]string, len(recs))
	for _, e := range recs {
		keys[e] = strings.ToLower(s.field(s.ix.users[e.UserID], key))
	}
	slices.SortStableFunc(recs, func(a, b *Enrollment) int { return orderBy(desc, keys[a], keys[b], a.UserID, b.UserID) })
	return nil
}

// newEnrollment makes a record with the course's defaults: requirement
// type, due date (fixed, or days after enrollment) and license period.
func (s *Server) newEnrollment(userID int64, id string) *Enrollment {
	now := s.now().UTC().Truncate(time.Second)
	e := &Enrollment{UserID: userID, CourseID: id, RequirementType: "Mandatory", Status: validate.StatusNotStarted, EnrollmentDate: now}
	var due DueDate
	if c := s.ix.courses[id]; c != nil {
		e.RequirementType, due = c.DefaultRequirementType, c.DueDate
		if c.LicenseDays > 0 {
			t := now.AddDate(0, 0, c.LicenseDays)
			e.LicenseExpirationDate = &t
		}
		if c.Certification {
			never := "Never Certified"
			e.CertificationStatus = &never
		}
	} else if c := s.ix.curricula[id]; c != nil {
		due = c.DueDate
	}
	switch {
	case due.Date != nil:
		t := *due.Date
		e.DueDate = &t
	case due.Days != nil:
		t := now.AddDate(0, 0, *due.Days)
		e.DueDate = &t
	}
	return e
}

func (s *Server) addEnrollment(e *Enrollment) {
	s.st.Enrollments = append(s.st.Enrollments, e)
	s.ix.enrollments[enrollKey{e.UserID, e.CourseID}] = e
}

func (s *Server) enroll(kind target) func(*request) error {
	return func(q *request) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		sc, err := s.scopeOf(q, kind)
		if err != nil {
			return err
		}
		u, err := s.userFromBody(q)
		if err != nil {
			return err
		}
		if u.Status != "Active" {
			return badRequest("User %d is %s and cannot be enrolled.", u.ID, strings.ToLower(u.Status))
		}
		if sc.course != nil && sc.course.Status != "Active" {
			return badRequest("Course '%s' is inactive.", sc.id)
		}
		existing := s.ix.enrollments[enrollKey{u.ID, sc.id}]
		switch {
		case sc.kind == kindSession && existing != nil && existing.SessionID == 0:
			existing.SessionID = sc.session.ID
		case sc.kind == kindSession && existing != nil && existing.SessionID != sc.session.ID:
			return badRequest("User %d is enrolled in session %d of course '%s'; un-enroll from it first.", u.ID, existing.SessionID, sc.id)
		case existing != nil:
			return badRequest("User %d is already enrolled in %s.", u.ID, sc.what())
		default:
			e := s.newEnrollment(u.ID, sc.id)
			if sc.kind == kindSession {
				e.SessionID = sc.session.ID
			}
			s.addEnrollment(e)
			if sc.curriculum != nil {
				for _, cid := range sc.curriculum.CourseIDs {
					if s.ix.enrollments[enrollKey{u.ID, cid}] == nil && s.ix.courses[cid] != nil {
						s.addEnrollment(s.newEnrollment(u.ID, cid))
					}
				}
			}
		}
		s.mutated()
		q.noContent()
		return nil
	}
}

func (s *Server) unenroll(kind target) func(*request) error {
	return func(q *request) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		sc, err := s.scopeOf(q, kind)
		if err != nil {
			return err
		}
		u, err := s.userFromBody(q)
		if err != nil {
			return err
		}
		e := s.ix.enrollments[enrollKey{u.ID, sc.id}]
		if e == nil || !sc.inScope(e) {
			return notFound("User %d is not enrolled in %s.", u.ID, sc.what())
		}
		if sc.kind == kindSession {
			// Leaving the session keeps the course enrollment.
			e.SessionID = 0
		} else {
			s.st.Enrollments = slices.DeleteFunc(s.st.Enrollments, func(x *Enrollment) bool { return x == e })
			delete(s.ix.enrollments, enrollKey{u.ID, sc.id})
		}
		s.mutated()
		q.noContent()
		return nil
	}
}

func (s *Server) userTranscripts(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	var out []transcriptJSON
	for _, e := range s.st.Enrollments {
		if e.UserID == u.ID {
			out = append(out, s.renderTranscript(e))
		}
	}
	slices.SortStableFunc(out, func(a, b transcriptJSON) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.CourseName), strings.ToLower(b.CourseName)), cmp.Compare(a.CourseID, b.CourseID))
	})
	if out == nil {
		out = []transcriptJSON{}
	}
	q.ok(out)
	return nil
}

// record finds the user's record for a scope, or 404.
func (s *Server) record(q *request, kind target) (*Enrollment, scope, error) {
	u, err := s.userByParam(q, "user")
	if err != nil {
		return nil, scope{}, err
	}
	sc, err := s.scopeOf(q, kind)
	if err != nil {
		return nil, sc, err
	}
	e := s.ix.enrollments[enrollKey{u.ID, sc.id}]
	if e == nil || !sc.inScope(e) {
		return nil, sc, notFound("User %d is not enrolled in %s.", u.ID, sc.what())
	}
	return e, sc, nil
}

func (s *Server) transcriptOf(kind target, single bool) func(*request) error {
	return func(q *request) error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		e, _, err := s.record(q, kind)
		if err != nil {
			return err
		}
		if single {
			// The document answers a session's transcript with one object.
			q.ok(s.renderTranscript(e))
			return nil
		}
		q.ok([]transcriptJSON{s.renderTranscript(e)})
		return nil
	}
}

func (s *Server) courseTranscript(q *request) error { return s.transcriptOf(kindCourse, false)(q) }
func (s *Server) curriculumTranscript(q *request) error {
	return s.transcriptOf(kindCurriculum, false)(q)
}
func (s *Server) sessionTranscript(q *request) error { return s.transcriptOf(kindSession, true)(q) }

// transcriptBody is Modify User's Transcript; keys match without regard
// to case, so both the parameter table's EnrollmentDate and the example's
// enrollmentdate are read.
type transcriptBody struct {
	EnrollmentDate              rawJSON `json:"EnrollmentDate"`
	LicenseExpirationDate       rawJSON `json:"LicenseExpirationDate"`
	StartDate                   rawJSON `json:"StartDate"`
	DueDate                     rawJSON `json:"DueDate"`
	CompletionDate              rawJSON `json:"CompletionDate"`
	CertificationExpirationDate rawJSON `json:"CertificationExpirationDate"`
	RequirementType             rawJSON `json:"RequirementType"`
	Status                      rawJSON `json:"Status"`
	Score                       rawJSON `json:"Score"`
}

// date reads one date member: absent (nil, false), null (nil, true), or a
// value.
func bodyDate(r rawJSON, name string, nullable bool) (*time.Time, bool, error) {
	if !r.present() {
		return nil, false, nil
	}
	if r.null() {
		if !nullable {
			return nil, false, badRequest("%s cannot be null.", name)
		}
		return nil, true, nil
	}
	var v string
	if err := r.decode(&v); err != nil {
		return nil, false, badRequest("%s must be a string of the form yyyy-MM-ddTHH:mm:ss.", name)
	}
	t, err := parseRequestDate(v, false)
	if err != nil {
		return nil, false, badRequest("%s '%s' is not of the form yyyy-MM-ddTHH:mm:ss.", name, v)
	}
	return &t, true, nil
}

func bodyText(r rawJSON) (string, bool) {
	if !r.present() || r.null() {
		return "", false
	}
	var v flexString
	if r.decode(&v) != nil {
		return "", false
	}
	return strings.TrimSpace(string(v)), true
}

func (s *Server) modifyTranscript(kind target) func(*request) error {
	return func(q *request) error {
		var body transcriptBody
		if err := q.decode(&body); err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		e, sc, err := s.record(q, kind)
		if err != nil {
			return err
		}
		next := *e
		if err := s.applyTranscript(&next, body, sc); err != nil {
			return err
		}
		*e = next
		s.mutated()
		q.noContent()
		return nil
	}
}

// applyTranscript changes a record as the document says (lines 3136–3148):
// what a body may set besides the status is validate.RulesFor's to decide,
// as it is for the client; the status has priority over the other fields,
// "not started" ignores the dates and drops the record's score, "pass"
// with no dates sets today's date and a score of 100.
func (s *Server) applyTranscript(e *Enrollment, b transcriptBody, sc scope) error {
	enrolled, _, err := bodyDate(b.EnrollmentDate, "EnrollmentDate", false)
	if err != nil {
		return err
	}
	license, _, err := bodyDate(b.LicenseExpirationDate, "LicenseExpirationDate", false)
	if err != nil {
		return err
	}
	start, _, err := bodyDate(b.StartDate, "StartDate", false)
	if err != nil {
		return err
	}
	due, dueGiven, err := bodyDate(b.DueDate, "DueDate", true)
	if err != nil {
		return err
	}
	completion, _, err := bodyDate(b.CompletionDate, "CompletionDate", false)
	if err != nil {
		return err
	}
	certExp, _, err := bodyDate(b.CertificationExpirationDate, "CertificationExpirationDate", false)
	if err != nil {
		return err
	}
	var score *int
	if v, ok := bodyText(b.Score); ok {
		n, err := strconv.Atoi(v)
		if err != nil || !validate.ScoreInRange(n) {
			return badRequest("Score must be a whole number from %d to %d; '%s' is not.", validate.MinScore, validate.MaxScore, v)
		}
		score = &n
	} else if b.Score.present() && !b.Score.null() {
		return badRequest("Score must be a whole number from %d to %d.", validate.MinScore, validate.MaxScore)
	}
	status := ""
	if v, ok := bodyText(b.Status); ok {
		st, valid := validate.APITranscriptStatus(v)
		if !valid {
			return badRequest("Status '%s' is not valid; use not started, pass, fail or waived.", v)
		}
		status = st
	} else if b.Status.present() && !b.Status.null() {
		return badRequest("Status must be one of not started, pass, fail or waived.")
	}
	// The new status, or the record's when the body sets none, decides
	// what else the body may set; what not started ignores is dropped
	// below.
	rules := validate.RulesFor(status, e.Status)
	switch {
	case score != nil && rules.Score == validate.Refused:
		return badRequest("Score is only valid when the course status is pass or fail; it is %s.", strings.ToLower(rules.Status))
	case completion != nil && rules.CompletionDate == validate.Refused:
		return badRequest("CompletionDate is only valid when the course status is pass or fail; it is %s.", strings.ToLower(rules.Status))
	case start != nil && rules.StartDate == validate.Refused:
		return badRequest("StartDate is only valid when the course status is not \"Not Started\".")
	}
	if v, ok := bodyText(b.RequirementType); ok {
		rt, valid := validate.RequirementType(v)
		if !valid {
			return badRequest("RequirementType '%s' is not valid; use mandatory or optional.", v)
		}
		e.RequirementType = rt
	}
	if certExp != nil {
		if sc.course == nil || !sc.course.Certification {
			return badRequest("CertificationExpirationDate is only valid for a certification enabled course.")
		}
		e.CertificationExpirationDate = certExp
	}
	if enrolled != nil {
		e.EnrollmentDate = *enrolled
	}
	if license != nil {
		e.LicenseExpirationDate = license
	}
	if dueGiven {
		e.DueDate = due
	}
	now := s.now().UTC().Truncate(time.Second)
	switch status {
	case "":
		if start != nil {
			e.StartDate = start
		}
		if completion != nil {
			e.CompletionDate = completion
		}
		if score != nil {
			e.Score = score
		}
	case validate.StatusNotStarted:
		// "system will ignore other dates such as completion date, start
		// date which are ir-relevant with this status".
		e.Status, e.StartDate, e.CompletionDate, e.Score, e.TimeSpent = status, nil, nil, nil, 0
	case validate.StatusPass, validate.StatusFail:
		e.Status = status
		switch {
		case start != nil:
			e.StartDate = start
		case e.StartDate == nil:
			e.StartDate = &now
		}
		if completion != nil {
			e.CompletionDate = completion
		} else {
			e.CompletionDate = &now
		}
		switch {
		case score != nil:
			e.Score = score
		case status == validate.StatusPass:
			full := 100
			e.Score = &full
		case e.Score == nil:
			zero := 0
			e.Score = &zero
		}
		if sc.course != nil && sc.course.Certification && status == validate.StatusPass {
			certified := "Certified"
			e.CertificationStatus = &certified
		}
	case validate.StatusWaived:
		e.Status, e.CompletionDate, e.Score = status, nil, nil
		if start != nil {
			e.StartDate = start
		}
	}
	return nil
}

func (s *Server) enrollmentSummary(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id := q.query("courseid")
	if id == "" {
		return badRequest("courseid is required.")
	}
	inactive, err := q.boolQuery("includeinactiveusers")
	if err != nil {
		return err
	}
	counted := func(e *Enrollment) bool {
		u := s.ix.users[e.UserID]
		return u != nil && (u.Status == "Active" || u.Status == "Inactive" && inactive)
	}
	count := func(row *summaryJSON, keep func(*Enrollment) bool) {
		for _, e := range s.st.Enrollments {
			if !keep(e) || !counted(e) {
				continue
			}
			row.Enrolled++
			switch e.Status {
			case validate.StatusNotStarted:
				row.NotStarted++
			case validate.StatusInProgress:
				row.InProgress++
			case validate.StatusPass:
				row.Passed++
			case validate.StatusFail:
				row.Failed++
			case validate.StatusWaived:
				row.Waived++
			}
		}
	}
	var rows []summaryJSON
	if cur := s.ix.curricula[id]; cur != nil {
		row := summaryJSON{CourseName: cur.Name, CourseType: "Curriculum", CourseID: cur.ID}
		count(&row, func(e *Enrollment) bool { return e.CourseID == cur.ID })
		rows = append(rows, row)
		for _, cid := range cur.CourseIDs {
			c := s.ix.courses[cid]
			if c == nil {
				continue
			}
			sub := summaryJSON{CourseName: c.Name, CourseType: c.Type, CourseID: c.ID, ParentCurriculumNameOfCourse: cur.Name, ParentCurriculumIDOfCourse: cur.ID}
			count(&sub, func(e *Enrollment) bool {
				return e.CourseID == c.ID && s.ix.enrollments[enrollKey{e.UserID, cur.ID}] != nil
			})
			rows = append(rows, sub)
		}
		q.ok(rows)
		return nil
	}
	c := s.ix.courses[id]
	if c == nil {
		return notFound("Course '%s' does not exist.", id)
	}
	sessionRow := func(ss *Session) summaryJSON {
		row := summaryJSON{CourseName: c.Name, CourseType: "Session", CourseID: c.ID, SessionID: ss.ID, SessionName: sessionName(ss)}
		count(&row, func(e *Enrollment) bool { return e.CourseID == c.ID && e.SessionID == ss.ID })
		return row
	}
	if v := q.query("sessionid"); v != "" {
		sid, err := strconv.ParseInt(v, 10, 64)
		ss := s.ix.sessions[sid]
		if err != nil || ss == nil || s.ix.sessCourse[sid] != c {
			return notFound("Session '%s' does not exist in course '%s'.", v, id)
		}
		q.ok([]summaryJSON{sessionRow(ss)})
		return nil
	}
	row := summaryJSON{CourseName: c.Name, CourseType: c.Type, CourseID: c.ID}
	count(&row, func(e *Enrollment) bool { return e.CourseID == c.ID })
	rows = append(rows, row)
	sessions := slices.Clone(c.Sessions)
	slices.SortStableFunc(sessions, func(a, b *Session) int { return a.Start.Compare(b.Start) })
	for _, ss := range sessions {
		rows = append(rows, sessionRow(ss))
	}
	q.ok(rows)
	return nil
}
