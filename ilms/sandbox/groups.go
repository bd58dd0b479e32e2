package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

func (s *Server) renderGroup(g *Group) groupJSON {
	return groupJSON{ID: g.ID, Name: g.Name, Description: g.Description, NumberOfCourses: len(g.Courses), NumberOfUsers: len(g.Members)}
}

func (s *Server) groupByParam(q *request) (*Group, error) {
	id, err := q.int64Param("group", "Group")
	if err != nil {
		return nil, err
	}
	g := s.ix.groups[id]
	if g == nil {
		return nil, notFound("Group %d does not exist.", id)
	}
	return g, nil
}

func (s *Server) listGroups(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	desc, err := nameSort(q.query("sort"), "name")
	if err != nil {
		return err
	}
	groups := slices.Clone(s.st.Groups)
	slices.SortStableFunc(groups, func(a, b *Group) int {
		return orderBy(desc, strings.ToLower(a.Name), strings.ToLower(b.Name), a.ID, b.ID)
	})
	out := make([]groupJSON, len(groups))
	for i, g := range groups {
		out[i] = s.renderGroup(g)
	}
	return paginate(q, out)
}

// nameSort reads a sort parameter that accepts only field or -field.
func nameSort(v, field string) (bool, error) {
	if v == "" {
		return false, nil
	}
	got, desc := parseSort(v)
	if !strings.EqualFold(got, field) {
		return false, badRequest("Sorting on '%s' is not supported; use %s or -%s.", v, field, field)
	}
	return desc, nil
}

func orderBy[K cmp.Ordered, T cmp.Ordered](desc bool, a, b K, ta, tb T) int {
	c := cmp.Compare(a, b)
	if desc {
		c = -c
	}
	if c == 0 {
		c = cmp.Compare(ta, tb)
	}
	return c
}

func (s *Server) getGroup(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	q.ok(s.renderGroup(g))
	return nil
}

func idSet(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (s *Server) listMembers(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	in := idSet(g.Members)
	users, err := s.selectUsers(q, func(u *User) bool { return in[u.ID] }, false)
	if err != nil {
		return err
	}
	return s.writeUsersPage(q, users)
}

// recompute sets a group's members: users matching its rule, those added
// as members and those on the inclusion list, less the exclusion list.
// Deleted users are never members. Called with mu held for writing.
func (s *Server) recompute(g *Group) {
	set := map[int64]bool{}
	if len(g.Rule) > 0 {
		for _, u := range s.st.Users {
			ok := true
			for code, want := range g.Rule {
				if !strings.EqualFold(s.field(u, code), want) {
					ok = false
					break
				}
			}
			if ok {
				set[u.ID] = true
			}
		}
	}
	for _, id := range g.Manual {
		set[id] = true
	}
	for _, id := range g.Include {
		set[id] = true
	}
	for _, id := range g.Exclude {
		delete(set, id)
	}
	members := make([]int64, 0, len(set))
	for id := range set {
		if u := s.ix.users[id]; u != nil && u.Status != "Deleted" {
			members = append(members, id)
		}
	}
	slices.Sort(members)
	g.Members = members
}

// userFromBody reads {"userid":"444038"} and finds the user.
func (s *Server) userFromBody(q *request) (*User, error) {
	var body struct {
		UserID flexString `json:"userid"`
	}
	if err := q.decode(&body); err != nil {
		return nil, err
	}
	if body.UserID == "" {
		return nil, badRequest("userid is required.")
	}
	id, err := strconv.ParseInt(string(body.UserID), 10, 64)
	if err != nil {
		return nil, badRequest("userid '%s' is not a user ID.", body.UserID)
	}
	u := s.ix.users[id]
	if u == nil {
		return nil, badRequest("User %d does not exist.", id)
	}
	return u, nil
}

func (s *Server) addMember(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	u, err := s.userFromBody(q)
	if err != nil {
		return err
	}
	if u.Status == "Deleted" {
		return badRequest("User %d is deleted.", u.ID)
	}
	if slices.Contains(g.Members, u.ID) {
		return badRequest("User %d is already a member of group '%s'.", u.ID, g.Name)
	}
	if slices.Contains(g.Exclude, u.ID) {
		return badRequest("User %d is on the explicit exclusion list of group '%s'.", u.ID, g.Name)
	}
	g.Manual = append(g.Manual, u.ID)
	s.recompute(g)
	s.mutated()
	q.created(q.orgPath("groups", strconv.FormatInt(g.ID, 10), "members", strconv.FormatInt(u.ID, 10)), nil)
	return nil
}

// removeMember undoes Add a Member: it takes the user off the members
// added by hand. A member through the group's rule or its explicit
// inclusion list is one again at the next refresh; the explicit lists have
// their own removal calls.
func (s *Server) removeMember(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	if !slices.Contains(g.Members, u.ID) && !slices.Contains(g.Manual, u.ID) {
		return notFound("User %d is not a member of group '%s'.", u.ID, g.Name)
	}
	g.Manual = slices.DeleteFunc(g.Manual, func(id int64) bool { return id == u.ID })
	g.Members = slices.DeleteFunc(g.Members, func(id int64) bool { return id == u.ID })
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) renderDueDate(d DueDate) dueDateJSON {
	var out dueDateJSON
	out.DefaultDueDate = answerDatePtr(d.Date)
	if d.Days != nil {
		n := *d.Days
		out.DaysAfterEnrollment = &n
	}
	return out
}

// courseName finds a course or curriculum by ID.
func (s *Server) courseName(id string) (string, bool) {
	if c := s.ix.courses[id]; c != nil {
		return c.Name, true
	}
	if c := s.ix.curricula[id]; c != nil {
		return c.Name, true
	}
	return "", false
}

func (s *Server) listGroupCourses(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	desc, err := nameSort(q.query("sort"), "coursename")
	if err != nil {
		return err
	}
	out := make([]groupCourseJSON, 0, len(g.Courses))
	for _, gc := range g.Courses {
		name, _ := s.courseName(gc.CourseID)
		out = append(out, groupCourseJSON{ID: gc.CourseID, Name: name, DefaultRequirementType: gc.RequirementType, DefaultDueDateSettings: s.renderDueDate(gc.DueDate)})
	}
	slices.SortStableFunc(out, func(a, b groupCourseJSON) int {
		return orderBy(desc, strings.ToLower(a.Name), strings.ToLower(b.Name), a.ID, b.ID)
	})
	return paginate(q, out)
}

func (s *Server) addGroupCourse(q *request) error {
	var body struct {
		CourseID flexString `json:"courseid"`
	}
	if err := q.decode(&body); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	id := string(body.CourseID)
	if id == "" {
		return badRequest("courseid is required.")
	}
	if _, ok := s.courseName(id); !ok {
		return badRequest("Course '%s' does not exist.", id)
	}
	for _, gc := range g.Courses {
		if gc.CourseID == id {
			return badRequest("Course '%s' is already a course of group '%s'.", id, g.Name)
		}
	}
	gc := &GroupCourse{CourseID: id, RequirementType: "Mandatory"}
	if c := s.ix.courses[id]; c != nil {
		gc.RequirementType, gc.DueDate = c.DefaultRequirementType, c.DueDate
	} else if c := s.ix.curricula[id]; c != nil {
		gc.DueDate = c.DueDate
	}
	g.Courses = append(g.Courses, gc)
	s.mutated()
	q.created(q.orgPath("groups", strconv.FormatInt(g.ID, 10), "groupcourses", id), nil)
	return nil
}

func (s *Server) groupCourse(g *Group, id string) (int, error) {
	for i, gc := range g.Courses {
		if gc.CourseID == id {
			return i, nil
		}
	}
	return -1, notFound("Course '%s' is not a course of group '%s'.", id, g.Name)
}

func (s *Server) removeGroupCourse(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	i, err := s.groupCourse(g, q.param("course"))
	if err != nil {
		return err
	}
	g.Courses = slices.Delete(g.Courses, i, i+1)
	s.mutated()
	q.noContent()
	return nil
}

// dueDateBody reads due date settings at the top level (as the parameter
// tables list them) or nested in DefaultDueDateSettings (as the group
// course example sends them). Both fields are required, null allowed.
type dueDateBody struct {
	RequirementType        *flexString       `json:"RequirementType"`
	DefaultDueDate         rawJSON           `json:"DefaultDueDate"`
	DaysAfterEnrollment    rawJSON           `json:"DaysAfterEnrollment"`
	DefaultDueDateSettings *dueDateBodyInner `json:"DefaultDueDateSettings"`
}

type dueDateBodyInner struct {
	DefaultDueDate      rawJSON `json:"DefaultDueDate"`
	DaysAfterEnrollment rawJSON `json:"DaysAfterEnrollment"`
}

func (b dueDateBody) settings() (DueDate, error) {
	date, days := b.DefaultDueDate, b.DaysAfterEnrollment
	if b.DefaultDueDateSettings != nil {
		date, days = b.DefaultDueDateSettings.DefaultDueDate, b.DefaultDueDateSettings.DaysAfterEnrollment
	}
	if !date.present() || !days.present() {
		return DueDate{}, badRequest("DefaultDueDate and DaysAfterEnrollment are both required (null to leave one unset).")
	}
	var out DueDate
	if !date.null() {
		var s string
		if err := date.decode(&s); err != nil {
			return out, badRequest("DefaultDueDate must be a string of the form yyyy-MM-ddTHH:mm:ss or null.")
		}
		t, err := parseRequestDate(s, false)
		if err != nil {
			return out, badRequest("DefaultDueDate '%s' is not of the form yyyy-MM-ddTHH:mm:ss.", s)
		}
		out.Date = &t
	}
	if !days.null() {
		var n flexString
		if err := days.decode(&n); err != nil {
			return out, badRequest("DaysAfterEnrollment must be a whole number from 1 to 999, or null.")
		}
		v, err := strconv.Atoi(string(n))
		if err != nil || v < 1 || v > 999 {
			return out, badRequest("DaysAfterEnrollment must be a whole number from 1 to 999, or null; '%s' is not.", n)
		}
		out.Days = &v
	}
	if out.Date != nil && out.Days != nil {
		return out, badRequest("Set DefaultDueDate or DaysAfterEnrollment, not both.")
	}
	return out, nil
}

func (s *Server) groupCourseSettings(q *request) error {
	var body dueDateBody
	if err := q.decode(&body); err != nil {
		return err
	}
	if body.RequirementType == nil {
		return badRequest("RequirementType is required: mandatory or optional.")
	}
	rt, ok := validate.RequirementType(string(*body.RequirementType))
	if !ok {
		return badRequest("RequirementType '%s' is not valid; use mandatory or optional.", *body.RequirementType)
	}
	due, err := body.settings()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	i, err := s.groupCourse(g, q.param("course"))
	if err != nil {
		return err
	}
	g.Courses[i].RequirementType, g.Courses[i].DueDate = rt, due
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) refreshGroup(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.groupByParam(q)
	if err != nil {
		return err
	}
	s.recompute(g)
	s.mutated()
	q.noContent()
	return nil
}

func explicitList(g *Group, inclusion bool) *[]int64 {
	if inclusion {
		return &g.Include
	}
	return &g.Exclude
}

func listName(inclusion bool) string {
	if inclusion {
		return "explicit inclusion list"
	}
	return "explicit exclusion list"
}

func (s *Server) listExplicit(inclusion bool) func(*request) error {
	return func(q *request) error {
		s.mu.RLock()
		defer s.mu.RUnlock()
		g, err := s.groupByParam(q)
		if err != nil {
			return err
		}
		in := idSet(*explicitList(g, inclusion))
		users, err := s.selectUsers(q, func(u *User) bool { return in[u.ID] }, false)
		if err != nil {
			return err
		}
		return s.writeUsersPage(q, users)
	}
}

func (s *Server) addExplicit(inclusion bool) func(*request) error {
	return func(q *request) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		g, err := s.groupByParam(q)
		if err != nil {
			return err
		}
		u, err := s.userFromBody(q)
		if err != nil {
			return err
		}
		list := explicitList(g, inclusion)
		if slices.Contains(*list, u.ID) {
			return badRequest("User %d is already on the %s of group '%s'.", u.ID, listName(inclusion), g.Name)
		}
		// A user on both lists is excluded: exclusion wins.
		*list = append(*list, u.ID)
		s.recompute(g)
		s.mutated()
		seg := "explicitexclusionlistusers"
		if inclusion {
			seg = "explicitinclusionlistusers"
		}
		q.created(q.orgPath("groups", strconv.FormatInt(g.ID, 10), seg, strconv.FormatInt(u.ID, 10)), nil)
		return nil
	}
}

func (s *Server) removeExplicit(inclusion bool) func(*request) error {
	return func(q *request) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		g, err := s.groupByParam(q)
		if err != nil {
			return err
		}
		u, err := s.userByParam(q, "user")
		if err != nil {
			return err
		}
		list := explicitList(g, inclusion)
		if !slices.Contains(*list, u.ID) {
			return notFound("User %d is not on the %s of group '%s'.", u.ID, listName(inclusion), g.Name)
		}
		*list = slices.DeleteFunc(*list, func(id int64) bool { return id == u.ID })
		s.recompute(g)
		s.mutated()
		q.noContent()
		return nil
	}
}
