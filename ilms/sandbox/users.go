package sandbox

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// renderUser is a user as the API shows it. Called with mu held.
func (s *Server) renderUser(u *User) userJSON {
	p := make(map[string]any, len(profileCodes))
	for _, code := range profileCodes {
		switch code {
		case "F005":
			p[code] = profileDate(u.Profile[code])
		case "F016":
			p[code] = nil // the password is never shown
		case "F019_ID":
			p[code] = s.ix.regions[u.RegionID].idOrZero()
		case "F020_ID":
			p[code] = s.ix.divisions[u.DivisionID].idOrZero()
		case "F021_ID":
			p[code] = s.ix.departments[u.DepartmentID].idOrZero()
		case "F032":
			p[code] = answerDatePtr(&u.Registered)
		default:
			p[code] = s.field(u, code)
		}
	}
	return userJSON{ID: u.ID, UserStatus: u.Status, Profile: p}
}

func (r *Region) idOrZero() int64 {
	if r == nil {
		return 0
	}
	return r.ID
}

func (d *Division) idOrZero() int64 {
	if d == nil {
		return 0
	}
	return d.ID
}

func (d *Department) idOrZero() int64 {
	if d == nil {
		return 0
	}
	return d.ID
}

// field returns a user's value for a field code as the API shows it.
func (s *Server) field(u *User, code string) string {
	switch code {
	case "F019":
		if r := s.ix.regions[u.RegionID]; r != nil {
			return r.Name
		}
		return ""
	case "F020":
		if d := s.ix.divisions[u.DivisionID]; d != nil {
			return d.Name
		}
		return ""
	case "F021":
		if d := s.ix.departments[u.DepartmentID]; d != nil {
			return d.Name
		}
		return ""
	case "F031":
		return u.Registration
	case "F032":
		return u.Registered.UTC().Format(requestDateLayout)
	case "F016":
		return ""
	}
	return u.Profile[code]
}

var fieldCodeRe = regexp.MustCompile(`^[Ff]\d{3}$`)

// userFilter is a parsed user search: profile terms of the four kinds,
// date ranges, groups and statuses.
type userFilter struct {
	terms    []term
	groups   map[int64]bool
	statuses map[string]bool
}

type term struct {
	code     string
	kind     byte // '=' exact, '~' contains, '^' starts, '$' ends, 'd' date range
	value    string
	from, to time.Time
}

var rangeRe = regexp.MustCompile(`^\((?:From:([^T)]+T[\d:.]+))?(?:To:([^T)]+T[\d:.]+))?\)$`)

// parseUserFilter reads the search syntax of Get All Users from the query.
// withStatus is false for lists that have no userstatus parameter.
func parseUserFilter(q url.Values, withStatus bool) (*userFilter, error) {
	f := &userFilter{statuses: map[string]bool{"Active": true}}
	if !withStatus {
		// Group lists show every member who has not been deleted.
		f.statuses["Inactive"] = true
	}
	for key, vals := range q {
		if !fieldCodeRe.MatchString(key) || len(vals) == 0 {
			continue
		}
		code := strings.ToUpper(key)
		if validate.FieldByCode(code) == nil {
			return nil, badRequest("%s is not a user profile field code.", key)
		}
		v := vals[0]
		t := term{code: code}
		switch {
		case strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")"):
			m := rangeRe.FindStringSubmatch(v)
			if m == nil || (m[1] == "" && m[2] == "") {
				return nil, badRequest("The date range '%s' for %s is not of the form (From:YYYY-MM-DDTHH:mm:ssTo:YYYY-MM-DDThh:mm:ss).", v, key)
			}
			t.kind = 'd'
			for i, s := range []string{m[1], m[2]} {
				if s == "" {
					continue
				}
				d, err := parseRequestDate(s, false)
				if err != nil {
					return nil, badRequest("The date '%s' in the range for %s is not of the form YYYY-MM-DDTHH:mm:ss.", s, key)
				}
				if i == 0 {
					t.from = d
				} else {
					t.to = d
				}
			}
		case len(v) >= 2 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`):
			t.kind, t.value = '=', v[1:len(v)-1]
		case strings.HasPrefix(v, "*") && strings.HasSuffix(v, "*") && len(v) >= 2:
			t.kind, t.value = '~', strings.Trim(v, "*")
		case strings.HasSuffix(v, "*"):
			t.kind, t.value = '^', strings.TrimSuffix(v, "*")
		case strings.HasPrefix(v, "*"):
			t.kind, t.value = '$', strings.TrimPrefix(v, "*")
		default:
			t.kind, t.value = '~', v
		}
		t.value = strings.ToLower(t.value)
		f.terms = append(f.terms, t)
	}
	slices.SortFunc(f.terms, func(a, b term) int { return cmp.Compare(a.code, b.code) })
	if v := first(q, "groupids"); v != "" {
		f.groups = map[int64]bool{}
		for _, s := range strings.Split(v, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil {
				return nil, badRequest("groupids must be numeric group IDs separated by commas; '%s' is not.", s)
			}
			f.groups[id] = true
		}
	}
	if v := first(q, "userstatus"); v != "" && withStatus {
		f.statuses = map[string]bool{}
		for _, s := range strings.Split(v, ",") {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "active":
				f.statuses["Active"] = true
			case "inactive":
				f.statuses["Inactive"] = true
			case "deleted":
				f.statuses["Deleted"] = true
			default:
				return nil, badRequest("userstatus accepts active, inactive and deleted; '%s' is not valid.", s)
			}
		}
	}
	return f, nil
}

func first(q url.Values, name string) string {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (s *Server) matches(f *userFilter, u *User, memberOf func(int64) map[int64]bool) bool {
	if !f.statuses[u.Status] {
		return false
	}
	for _, t := range f.terms {
		v := s.field(u, t.code)
		switch t.kind {
		case 'd':
			d, err := parseRequestDate(v, true)
			if v == "" || err != nil {
				return false
			}
			if !t.from.IsZero() && d.Before(t.from) || !t.to.IsZero() && d.After(t.to) {
				return false
			}
		case '=':
			if strings.ToLower(v) != t.value {
				return false
			}
		case '^':
			if !strings.HasPrefix(strings.ToLower(v), t.value) {
				return false
			}
		case '$':
			if !strings.HasSuffix(strings.ToLower(v), t.value) {
				return false
			}
		default:
			if !strings.Contains(strings.ToLower(v), t.value) {
				return false
			}
		}
	}
	if f.groups != nil {
		in := false
		for gid := range f.groups {
			if memberOf(gid)[u.ID] {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// sortUsers orders users by a sort parameter ("F003", "-F019"), by last
// name when empty, ties broken by ID.
func (s *Server) sortUsers(users []*User, sortParam string, allowed []string) error {
	key, desc := "F003", false
	if sortParam != "" {
		field, d := parseSort(sortParam)
		code := strings.ToUpper(field)
		if !slices.Contains(allowed, code) {
			return badRequest("Sorting on '%s' is not supported; supported field codes are %s.", field, strings.Join(allowed, ", "))
		}
		key, desc = code, d
	}
	keys := make(map[int64]string, len(users))
	for _, u := range users {
		keys[u.ID] = strings.ToLower(s.field(u, key))
	}
	slices.SortStableFunc(users, func(a, b *User) int {
		c := cmp.Compare(keys[a.ID], keys[b.ID])
		if desc {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		return c
	})
	return nil
}

// cachedList returns the list for key at this version, computing it once.
// Called with mu held (read or write).
func (s *Server) cachedList(key string, compute func() (any, error)) (any, error) {
	s.cacheMu.Lock()
	c, ok := s.cache[key]
	s.cacheMu.Unlock()
	if ok && c.version == s.version {
		return c.items, nil
	}
	items, err := compute()
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	if len(s.cache) > 64 {
		clear(s.cache)
	}
	s.cache[key] = cached{version: s.version, items: items}
	s.cacheMu.Unlock()
	return items, nil
}

// listKey is the cache key of a list request: the route's own spelling of
// the path words (the sandbox matches them without regard to case, so
// …/Enrollments and …/enrollments are one list), the path's IDs exactly as
// sent (course Wert98k is not course WErt98k), and the query without its
// page parameters.
func (q *request) listKey() string {
	var b strings.Builder
	b.WriteString(q.rt.method)
	for _, seg := range q.rt.segs {
		b.WriteByte('/')
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			b.WriteString(url.PathEscape(q.p[strings.TrimSuffix(name, "}")]))
			continue
		}
		b.WriteString(seg)
	}
	c := url.Values{}
	for k, v := range q.r.URL.Query() {
		if strings.EqualFold(k, "page") || strings.EqualFold(k, "per_page") {
			continue
		}
		c[k] = v
	}
	b.WriteByte('?')
	b.WriteString(c.Encode())
	return b.String()
}

// selectUsers filters and sorts users from the pool for a list request.
func (s *Server) selectUsers(q *request, pool func(*User) bool, withStatus bool) ([]*User, error) {
	items, err := s.cachedList(q.listKey(), func() (any, error) {
		f, err := parseUserFilter(q.r.URL.Query(), withStatus)
		if err != nil {
			return nil, err
		}
		memo := map[int64]map[int64]bool{}
		memberOf := func(gid int64) map[int64]bool {
			if m, ok := memo[gid]; ok {
				return m
			}
			m := map[int64]bool{}
			if g := s.ix.groups[gid]; g != nil {
				for _, id := range g.Members {
					m[id] = true
				}
			}
			memo[gid] = m
			return m
		}
		var out []*User
		for _, u := range s.st.Users {
			if pool(u) && s.matches(f, u, memberOf) {
				out = append(out, u)
			}
		}
		if err := s.sortUsers(out, first(q.r.URL.Query(), "sort"), userSortFields); err != nil {
			return nil, err
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return items.([]*User), nil
}

func (s *Server) listUsers(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	users, err := s.selectUsers(q, func(*User) bool { return true }, true)
	if err != nil {
		return err
	}
	return s.writeUsersPage(q, users)
}

// writeUsersPage renders only the requested page, so that a large org
// pages fast.
func (s *Server) writeUsersPage(q *request, users []*User) error {
	return paginateN(q, len(users), func(start, end int) any {
		out := make([]userJSON, 0, end-start)
		for _, u := range users[start:end] {
			out = append(out, s.renderUser(u))
		}
		return out
	})
}

func (s *Server) userByParam(q *request, name string) (*User, error) {
	id, err := q.int64Param(name, "User")
	if err != nil {
		return nil, err
	}
	u := s.ix.users[id]
	if u == nil {
		return nil, notFound("User %d does not exist.", id)
	}
	return u, nil
}

func (s *Server) getUser(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	q.ok(s.renderUser(u))
	return nil
}

type keyValue struct {
	Key   flexString `json:"Key"`
	Value flexString `json:"Value"`
}

type createBody struct {
	UserProfileData           []keyValue `json:"userProfileData"`
	SendRegistrationMail      flexBool   `json:"sendRegistrationMail"`
	ChangePasswordAtNextLogin flexBool   `json:"changePasswordAtNextLogin"`
}

// profileValues turns key/value pairs into a map by upper-cased code; a
// code given twice is a 400.
func profileValues(kvs []keyValue) (map[string]string, error) {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		code := strings.ToUpper(strings.TrimSpace(string(kv.Key)))
		if _, dup := m[code]; dup {
			return nil, badRequest("%s is given more than once.", code)
		}
		m[code] = string(kv.Value)
	}
	return m, nil
}

// checkProfile applies the document's field rules and reports every error
// in one 400 message; warnings do not fail a request.
func (s *Server) checkProfile(values, current map[string]string) (map[string]string, error) {
	norm, ps := validate.CheckProfile(values, current, s.st.Settings)
	if errs := ps.Errors(); len(errs) > 0 {
		return nil, badRequest("%s", errs.String())
	}
	return norm, nil
}

// resolveHierarchy finds the department named by region, division and
// department names.
func (s *Server) resolveHierarchy(region, division, department string) (*Region, *Division, *Department, error) {
	r := s.regionByName(region)
	if r == nil {
		return nil, nil, nil, badRequest("Region '%s' does not exist.", region)
	}
	d := divisionByName(r, division)
	if d == nil {
		return nil, nil, nil, badRequest("Division '%s' does not exist in region '%s'.", division, r.Name)
	}
	dep := departmentByName(d, department)
	if dep == nil {
		return nil, nil, nil, badRequest("Department '%s' does not exist in division '%s' of region '%s'.", department, d.Name, r.Name)
	}
	return r, d, dep, nil
}

// checkUnique refuses an email or employee ID another user has.
func (s *Server) checkUnique(values map[string]string, self int64) error {
	if e := strings.ToLower(strings.TrimSpace(values["F015"])); e != "" {
		if other, ok := s.ix.emails[e]; ok && other != self {
			return badRequest("Email ID '%s' is already used by user %d.", values["F015"], other)
		}
	}
	if e := strings.ToLower(strings.TrimSpace(values["F004"])); e != "" {
		if other, ok := s.ix.employeeIDs[e]; ok && other != self {
			return badRequest("Employee ID '%s' is already used by user %d.", values["F004"], other)
		}
	}
	return nil
}

func hashPassword(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:])
}

func (s *Server) createUser(q *request) error {
	var body createBody
	if err := q.decode(&body); err != nil {
		return err
	}
	values, err := profileValues(body.UserProfileData)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	norm, err := s.checkProfile(values, nil)
	if err != nil {
		return err
	}
	r, d, dep, err := s.resolveHierarchy(norm["F019"], norm["F020"], norm["F021"])
	if err != nil {
		return err
	}
	if err := s.checkUnique(norm, 0); err != nil {
		return err
	}
	u := &User{
		ID: s.newID(), Status: "Active", Profile: map[string]string{},
		RegionID: r.ID, DivisionID: d.ID, DepartmentID: dep.ID,
		Registration: "API", Registered: s.now().UTC().Truncate(time.Millisecond),
		ChangePasswordAtNextLogin: bool(body.ChangePasswordAtNextLogin),
		RegistrationMailSent:      bool(body.SendRegistrationMail),
	}
	for code, v := range norm {
		switch code {
		case "F019", "F020", "F021":
		case "F016":
			u.PasswordSHA256 = hashPassword(v)
		default:
			if v != "" {
				u.Profile[code] = v
			}
		}
	}
	s.st.Users = append(s.st.Users, u)
	s.ix.addUser(u)
	s.mutated()
	q.created(q.orgPath("users", strconv.FormatInt(u.ID, 10)), u.ID)
	return nil
}

// decodeUpdate reads the document's body of Update User Profile: an array
// of key/value pairs (line 487), and nothing else.
func decodeUpdate(q *request) ([]keyValue, error) {
	var kvs []keyValue
	if err := q.decode(&kvs); err != nil {
		return nil, badRequest("The body must be an array of {\"Key\":…,\"Value\":…} pairs.")
	}
	return kvs, nil
}

func (s *Server) updateUser(q *request) error {
	kvs, err := decodeUpdate(q)
	if err != nil {
		return err
	}
	values, err := profileValues(kvs)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	current := map[string]string{}
	for _, f := range validate.Fields {
		current[f.Code] = s.field(u, f.Code)
	}
	norm, err := s.checkProfile(values, current)
	if err != nil {
		return err
	}
	// Region, Division and Department change only when all three are sent
	// together; one or two of them change nothing.
	_, r1 := norm["F019"]
	_, r2 := norm["F020"]
	_, r3 := norm["F021"]
	var r *Region
	var d *Division
	var dep *Department
	if r1 && r2 && r3 {
		if r, d, dep, err = s.resolveHierarchy(norm["F019"], norm["F020"], norm["F021"]); err != nil {
			return err
		}
	}
	if err := s.checkUnique(norm, u.ID); err != nil {
		return err
	}
	s.ix.removeUser(u)
	for code, v := range norm {
		switch code {
		case "F019", "F020", "F021":
		case "F016":
			if v != "" {
				u.PasswordSHA256 = hashPassword(v)
			}
		default:
			if v == "" {
				delete(u.Profile, code)
			} else {
				u.Profile[code] = v
			}
		}
	}
	if dep != nil {
		u.RegionID, u.DivisionID, u.DepartmentID = r.ID, d.ID, dep.ID
	}
	s.ix.addUser(u)
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) setStatus(q *request, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	if u.Status == "Deleted" && status != "Deleted" {
		return badRequest("User %d is deleted and cannot be %s.", u.ID, map[string]string{"Active": "activated", "Inactive": "inactivated"}[status])
	}
	if u.Status != status {
		u.Status = status
		s.mutated()
	}
	q.noContent()
	return nil
}

func (s *Server) activateUser(q *request) error   { return s.setStatus(q, "Active") }
func (s *Server) inactivateUser(q *request) error { return s.setStatus(q, "Inactive") }
func (s *Server) deleteUser(q *request) error     { return s.setStatus(q, "Deleted") }

func (s *Server) purgeUser(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	s.ix.removeUser(u)
	s.st.Users = slices.DeleteFunc(s.st.Users, func(x *User) bool { return x.ID == u.ID })
	s.st.Enrollments = slices.DeleteFunc(s.st.Enrollments, func(e *Enrollment) bool {
		if e.UserID == u.ID {
			delete(s.ix.enrollments, enrollKey{e.UserID, e.CourseID})
			return true
		}
		return false
	})
	for _, g := range s.st.Groups {
		drop := func(ids []int64) []int64 { return slices.DeleteFunc(ids, func(id int64) bool { return id == u.ID }) }
		g.Manual, g.Include, g.Exclude, g.Members = drop(g.Manual), drop(g.Include), drop(g.Exclude), drop(g.Members)
	}
	s.mutated()
	q.noContent()
	return nil
}

type passwordBody struct {
	NewPassword               *flexString `json:"newPassword"`
	ChangePasswordAtNextLogin flexBool    `json:"changePasswordAtNextLogin"`
}

func (s *Server) resetPassword(q *request) error {
	var body passwordBody
	if err := q.decode(&body); err != nil {
		return err
	}
	if body.NewPassword == nil || *body.NewPassword == "" {
		return badRequest("newPassword is required.")
	}
	if _, ps := validate.CheckValue("F016", string(*body.NewPassword), s.st.Settings); ps.HasErrors() {
		return badRequest("newPassword: %s", ps.Errors().String())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userByParam(q, "user")
	if err != nil {
		return err
	}
	u.PasswordSHA256 = hashPassword(string(*body.NewPassword))
	u.ChangePasswordAtNextLogin = bool(body.ChangePasswordAtNextLogin)
	s.mutated()
	q.noContent()
	return nil
}
