package sandbox

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

func (s *Server) renderCourse(c *Course) courseJSON {
	return courseJSON{
		ID: c.ID, Name: c.Name, Type: c.Type, DeliveryType: c.DeliveryType,
		DefaultRequirementType: c.DefaultRequirementType, Credits: c.Credits, Hours: c.Hours,
		Status: c.Status, DefaultDueDateSettings: s.renderDueDate(c.DueDate),
	}
}

func (s *Server) courseParam(q *request) (*Course, error) {
	c := s.ix.courses[q.param("course")]
	if c == nil {
		return nil, notFound("Course '%s' does not exist.", q.param("course"))
	}
	return c, nil
}

// courseTypeFilter maps the courseType parameter to the Type of courses.
var courseTypeFilter = map[string]string{"icomposer": "iComposer", "scorm": "SCORM", "ilt": "ILT", "events": "Event"}

func (s *Server) listCourses(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	typ := ""
	if v := q.query("courseType"); v != "" {
		t, ok := courseTypeFilter[strings.ToLower(v)]
		if !ok {
			return badRequest("courseType '%s' is not valid; use one of iComposer, SCORM, ILT, EVENTS.", v)
		}
		typ = t
	}
	historical, err := q.boolQuery("includeHistorical")
	if err != nil {
		return err
	}
	desc, err := nameSort(q.query("sort"), "name")
	if err != nil {
		return err
	}
	search := strings.ToLower(q.query("search"))
	var out []courseJSON
	for _, c := range s.st.Courses {
		if typ != "" && c.Type != typ || c.Historical && !historical {
			continue
		}
		if search != "" && !strings.Contains(strings.ToLower(c.Name+"\n"+c.Description+"\n"+c.Outline+"\n"+c.Keywords), search) {
			continue
		}
		out = append(out, s.renderCourse(c))
	}
	slices.SortStableFunc(out, func(a, b courseJSON) int {
		return orderBy(desc, strings.ToLower(a.Name), strings.ToLower(b.Name), a.ID, b.ID)
	})
	return paginate(q, out)
}

func (s *Server) getCourse(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.courseParam(q)
	if err != nil {
		return err
	}
	q.ok(s.renderCourse(c))
	return nil
}

func (s *Server) getCourseDueDate(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.courseParam(q)
	if err != nil {
		return err
	}
	q.ok(s.renderDueDate(c.DueDate))
	return nil
}

// setDueDate reads due date settings and stores them where find says.
func (s *Server) setDueDate(q *request, find func() (*DueDate, error)) error {
	var body dueDateBody
	if err := q.decode(&body); err != nil {
		return err
	}
	due, err := body.settings()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	target, err := find()
	if err != nil {
		return err
	}
	*target = due
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) setCourseDueDate(q *request) error {
	return s.setDueDate(q, func() (*DueDate, error) {
		c, err := s.courseParam(q)
		if err != nil {
			return nil, err
		}
		return &c.DueDate, nil
	})
}

func (s *Server) setCourseStatus(q *request, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.courseParam(q)
	if err != nil {
		return err
	}
	if c.Status != status {
		c.Status = status
		s.mutated()
	}
	q.noContent()
	return nil
}

func (s *Server) activateCourse(q *request) error   { return s.setCourseStatus(q, "Active") }
func (s *Server) inactivateCourse(q *request) error { return s.setCourseStatus(q, "Inactive") }

func (s *Server) renderCurriculum(c *Curriculum) curriculumJSON {
	return curriculumJSON{ID: c.ID, Name: c.Name, DefaultDueDateSettings: s.renderDueDate(c.DueDate)}
}

func (s *Server) curriculumParam(q *request) (*Curriculum, error) {
	c := s.ix.curricula[q.param("curriculum")]
	if c == nil {
		return nil, notFound("Curriculum '%s' does not exist.", q.param("curriculum"))
	}
	return c, nil
}

func (s *Server) listCurricula(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	name := strings.ToLower(q.query("name"))
	var out []curriculumJSON
	for _, c := range s.st.Curricula {
		if name == "" || strings.Contains(strings.ToLower(c.Name), name) {
			out = append(out, s.renderCurriculum(c))
		}
	}
	slices.SortStableFunc(out, func(a, b curriculumJSON) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	writeAll(q, out)
	return nil
}

func (s *Server) getCurriculum(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.curriculumParam(q)
	if err != nil {
		return err
	}
	q.ok(s.renderCurriculum(c))
	return nil
}

func (s *Server) setCurriculumDueDate(q *request) error {
	return s.setDueDate(q, func() (*DueDate, error) {
		c, err := s.curriculumParam(q)
		if err != nil {
			return nil, err
		}
		return &c.DueDate, nil
	})
}

func (s *Server) renderSession(c *Course, ss *Session) sessionJSON {
	out := sessionJSON{
		CourseName: c.Name, CourseID: c.ID, SessionID: ss.ID,
		StartDateTime: answerDate(ss.Start), EndDateTime: answerDate(ss.End),
		RoomName: ss.RoomName, Location: locationJSON{Name: ss.Location, TimeZoneName: ss.TimeZone},
		Instructors: []instructorJSON{},
	}
	for _, id := range ss.Instructors {
		if u := s.ix.users[id]; u != nil {
			out.Instructors = append(out.Instructors, instructorJSON{ID: u.ID, F001: u.Profile["F001"], F003: u.Profile["F003"], F015: u.Profile["F015"], F004: u.Profile["F004"]})
		}
	}
	return out
}

// sessionBound reads a session filter date; a bare date as the end bound
// covers that whole day.
func sessionBound(v string, end bool) (time.Time, bool) {
	t, err := parseRequestDate(v, true)
	if err != nil {
		return time.Time{}, false
	}
	if end && len(strings.TrimSpace(v)) == len("2006-01-02") {
		t = t.Add(24*time.Hour - time.Second)
	}
	return t, true
}

func (s *Server) listSessions(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.courseParam(q)
	if err != nil {
		return err
	}
	var from, to time.Time
	if v := q.query("sessionstartdate"); v != "" {
		t, ok := sessionBound(v, false)
		if !ok {
			return badRequest("sessionstartdate '%s' is not a date.", v)
		}
		from = t
	}
	if v := q.query("sessionenddate"); v != "" {
		t, ok := sessionBound(v, true)
		if !ok {
			return badRequest("sessionenddate '%s' is not a date.", v)
		}
		to = t
	}
	field, desc := parseSort(q.query("sort"))
	key := func(ss *Session) string { return ss.Start.Format(time.RFC3339) }
	switch strings.ToLower(field) {
	case "", "sessionstartdate":
	case "sessionenddate":
		key = func(ss *Session) string { return ss.End.Format(time.RFC3339) }
	case "locationname":
		key = func(ss *Session) string { return strings.ToLower(strings.TrimSpace(ss.Location)) }
	case "roomname":
		key = func(ss *Session) string { return strings.ToLower(ss.RoomName) }
	default:
		return badRequest("Sorting on '%s' is not supported; use sessionstartdate, sessionenddate, locationname or roomname.", field)
	}
	var sessions []*Session
	for _, ss := range c.Sessions {
		if !from.IsZero() && ss.Start.Before(from) || !to.IsZero() && ss.End.After(to) {
			continue
		}
		sessions = append(sessions, ss)
	}
	slices.SortStableFunc(sessions, func(a, b *Session) int { return orderBy(desc, key(a), key(b), a.ID, b.ID) })
	out := make([]sessionJSON, len(sessions))
	for i, ss := range sessions {
		out[i] = s.renderSession(c, ss)
	}
	return paginate(q, out)
}

func (s *Server) sessionParam(q *request, c *Course) (*Session, error) {
	id, err := q.int64Param("session", "Session")
	if err != nil {
		return nil, err
	}
	ss := s.ix.sessions[id]
	if ss == nil || s.ix.sessCourse[id] != c {
		return nil, notFound("Session %d does not exist in course '%s'.", id, c.ID)
	}
	return ss, nil
}

func (s *Server) getSession(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := s.courseParam(q)
	if err != nil {
		return err
	}
	ss, err := s.sessionParam(q, c)
	if err != nil {
		return err
	}
	q.ok(s.renderSession(c, ss))
	return nil
}
