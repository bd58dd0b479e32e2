package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// usersIn counts the users (not deleted) in a unit; match says which.
func (s *Server) usersIn(match func(*User) bool) int {
	n := 0
	for _, u := range s.st.Users {
		if u.Status != "Deleted" && match(u) {
			n++
		}
	}
	return n
}

func unitsByName[T any](items []T, name func(T) string, render func(T) ilms.Unit) []ilms.Unit {
	out := make([]ilms.Unit, 0, len(items))
	for _, it := range items {
		out = append(out, render(it))
	}
	slices.SortStableFunc(out, func(a, b ilms.Unit) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func (s *Server) regionParam(q *request) (*Region, error) {
	id, err := q.int64Param("region", "Region")
	if err != nil {
		return nil, err
	}
	r := s.ix.regions[id]
	if r == nil {
		return nil, notFound("Region %d does not exist.", id)
	}
	return r, nil
}

func (s *Server) divisionParam(q *request) (*Region, *Division, error) {
	r, err := s.regionParam(q)
	if err != nil {
		return nil, nil, err
	}
	id, err := q.int64Param("division", "Division")
	if err != nil {
		return nil, nil, err
	}
	d := s.ix.divisions[id]
	if d == nil || s.ix.divRegion[id] != r {
		return nil, nil, notFound("Division %d does not exist in region %d.", id, r.ID)
	}
	return r, d, nil
}

func (s *Server) departmentParam(q *request) (*Region, *Division, *Department, error) {
	r, d, err := s.divisionParam(q)
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := q.int64Param("department", "Department")
	if err != nil {
		return nil, nil, nil, err
	}
	dep := s.ix.departments[id]
	if dep == nil || s.ix.depDivision[id] != d {
		return nil, nil, nil, notFound("Department %d does not exist in division %d.", id, d.ID)
	}
	return r, d, dep, nil
}

// nameFromBody reads {"name": "…"} and applies the document's rules for a
// region, division or department name.
func (s *Server) nameFromBody(q *request) (string, error) {
	var body struct {
		Name *flexString `json:"name"`
	}
	if err := q.decode(&body); err != nil {
		return "", err
	}
	if body.Name == nil {
		return "", badRequest("name is required.")
	}
	name := strings.TrimSpace(string(*body.Name))
	if ps := validate.CheckHierarchyName(name, s.st.Settings).Errors(); len(ps) > 0 {
		return "", badRequest("%s", ps.String())
	}
	return name, nil
}

func (s *Server) listRegions(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	writeAll(q, unitsByName(s.st.Regions, func(r *Region) string { return r.Name }, func(r *Region) ilms.Unit {
		return ilms.Unit{ID: r.ID, Name: r.Name, NumberOfUsers: s.usersIn(func(u *User) bool { return u.RegionID == r.ID })}
	}))
	return nil
}

func (s *Server) createRegion(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name, err := s.nameFromBody(q)
	if err != nil {
		return err
	}
	if s.regionByName(name) != nil {
		return badRequest("Region '%s' already exists.", name)
	}
	r := &Region{ID: s.newID(), Name: name}
	s.st.Regions = append(s.st.Regions, r)
	s.ix.addRegion(r)
	s.mutated()
	q.created(q.orgPath("regions", strconv.FormatInt(r.ID, 10)), r.ID)
	return nil
}

func (s *Server) renameRegion(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.regionParam(q)
	if err != nil {
		return err
	}
	name, err := s.nameFromBody(q)
	if err != nil {
		return err
	}
	if other := s.regionByName(name); other != nil && other != r {
		return badRequest("Region '%s' already exists.", name)
	}
	r.Name = name
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) deleteRegion(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.regionParam(q)
	if err != nil {
		return err
	}
	if n := s.usersIn(func(u *User) bool { return u.RegionID == r.ID }); n > 0 {
		return badRequest("Region '%s' has %d users; move them first.", r.Name, n)
	}
	for _, d := range r.Divisions {
		s.dropDivision(d)
	}
	s.st.Regions = slices.DeleteFunc(s.st.Regions, func(x *Region) bool { return x == r })
	delete(s.ix.regions, r.ID)
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) dropDivision(d *Division) {
	for _, dep := range d.Departments {
		delete(s.ix.departments, dep.ID)
		delete(s.ix.depDivision, dep.ID)
	}
	delete(s.ix.divisions, d.ID)
	delete(s.ix.divRegion, d.ID)
}

func (s *Server) listDivisions(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.regionParam(q)
	if err != nil {
		return err
	}
	writeAll(q, unitsByName(r.Divisions, func(d *Division) string { return d.Name }, func(d *Division) ilms.Unit {
		return ilms.Unit{ID: d.ID, Name: d.Name, NumberOfUsers: s.usersIn(func(u *User) bool { return u.DivisionID == d.ID })}
	}))
	return nil
}

func (s *Server) createDivision(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.regionParam(q)
	if err != nil {
		return err
	}
	name, err := s.nameFromBody(q)
	if err != nil {
		return err
	}
	if divisionByName(r, name) != nil {
		return badRequest("Division '%s' already exists in region '%s'.", name, r.Name)
	}
	d := &Division{ID: s.newID(), Name: name}
	r.Divisions = append(r.Divisions, d)
	s.ix.addDivision(r, d)
	s.mutated()
	q.created(q.orgPath("regions", strconv.FormatInt(r.ID, 10), "divisions", strconv.FormatInt(d.ID, 10)), d.ID)
	return nil
}

func (s *Server) renameDivision(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, d, err := s.divisionParam(q)
	if err != nil {
		return err
	}
	name, err := s.nameFromBody(q)
	if err != nil {
		return err
	}
	if other := divisionByName(r, name); other != nil && other != d {
		return badRequest("Division '%s' already exists in region '%s'.", name, r.Name)
	}
	d.Name = name
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) deleteDivision(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, d, err := s.divisionParam(q)
	if err != nil {
		return err
	}
	if n := s.usersIn(func(u *User) bool { return u.DivisionID == d.ID }); n > 0 {
		return badRequest("Division '%s' has %d users; move them first.", d.Name, n)
	}
	s.dropDivision(d)
	r.Divisions = slices.DeleteFunc(r.Divisions, func(x *Division) bool { return x == d })
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) listDepartments(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, d, err := s.divisionParam(q)
	if err != nil {
		return err
	}
	writeAll(q, unitsByName(d.Departments, func(x *Department) string { return x.Name }, func(x *Department) ilms.Unit {
		return ilms.Unit{ID: x.ID, Name: x.Name, NumberOfUsers: s.usersIn(func(u *User) bool { return u.DepartmentID == x.ID })}
	}))
	return nil
}

func (s *Server) createDepartment(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, d, err := s.divisionParam(q)
	if err != nil {
		return err
	}
	name, err := s.nameFromBody(q)
	if err != nil {
		return err
	}
	if departmentByName(d, name) != nil {
		return badRequest("Department '%s' already exists in division '%s'.", name, d.Name)
	}
	dep := &Department{ID: s.newID(), Name: name}
	d.Departments = append(d.Departments, dep)
	s.ix.departments[dep.ID] = dep
	s.ix.depDivision[dep.ID] = d
	s.mutated()
	q.created(q.orgPath("regions", strconv.FormatInt(r.ID, 10), "divisions", strconv.FormatInt(d.ID, 10), "departments", strconv.FormatInt(dep.ID, 10)), dep.ID)
	return nil
}

func (s *Server) renameDepartment(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, d, dep, err := s.departmentParam(q)
	if err != nil {
		return err
	}
	name, err := s.nameFromBody(q)
	if err != nil {
		return err
	}
	if other := departmentByName(d, name); other != nil && other != dep {
		return badRequest("Department '%s' already exists in division '%s'.", name, d.Name)
	}
	dep.Name = name
	s.mutated()
	q.noContent()
	return nil
}

func (s *Server) deleteDepartment(q *request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, d, dep, err := s.departmentParam(q)
	if err != nil {
		return err
	}
	if n := s.usersIn(func(u *User) bool { return u.DepartmentID == dep.ID }); n > 0 {
		return badRequest("Department '%s' has %d users; move them first.", dep.Name, n)
	}
	d.Departments = slices.DeleteFunc(d.Departments, func(x *Department) bool { return x == dep })
	delete(s.ix.departments, dep.ID)
	delete(s.ix.depDivision, dep.ID)
	s.mutated()
	q.noContent()
	return nil
}
