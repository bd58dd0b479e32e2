package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

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

// units renders a level of the hierarchy by name.
func units[T any](items []T, render func(T) unitJSON) []unitJSON {
	out := make([]unitJSON, 0, len(items))
	for _, it := range items {
		out = append(out, render(it))
	}
	slices.SortStableFunc(out, func(a, b unitJSON) int {
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

// unitOp is one change to the hierarchy: resolve the unit (or parent) from
// the path, then act; with the write lock held, the name read from the
// body when the operation takes one.
func (s *Server) unitOp(q *request, withName bool, act func(name string) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := ""
	if withName {
		n, err := s.nameFromBody(q)
		if err != nil {
			return err
		}
		name = n
	}
	if err := act(name); err != nil {
		return err
	}
	s.mutated()
	return nil
}

// emptyUnit refuses to delete a unit that still has users.
func (s *Server) emptyUnit(what, name string, in func(*User) bool) error {
	if n := s.usersIn(in); n > 0 {
		return badRequest("%s '%s' has %d users; move them first.", what, name, n)
	}
	return nil
}

func id64(n int64) string { return strconv.FormatInt(n, 10) }

func (s *Server) listRegions(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	writeAll(q, units(s.st.Regions, func(r *Region) unitJSON {
		return unitJSON{ID: r.ID, Name: r.Name, NumberOfUsers: s.usersIn(func(u *User) bool { return u.RegionID == r.ID })}
	}))
	return nil
}

func (s *Server) createRegion(q *request) error {
	return s.unitOp(q, true, func(name string) error {
		if s.regionByName(name) != nil {
			return badRequest("Region '%s' already exists.", name)
		}
		r := &Region{ID: s.newID(), Name: name}
		s.st.Regions = append(s.st.Regions, r)
		s.ix.addRegion(r)
		q.created(q.orgPath("regions", id64(r.ID)), r.ID)
		return nil
	})
}

func (s *Server) renameRegion(q *request) error {
	return s.unitOp(q, true, func(name string) error {
		r, err := s.regionParam(q)
		if err != nil {
			return err
		}
		if other := s.regionByName(name); other != nil && other != r {
			return badRequest("Region '%s' already exists.", name)
		}
		r.Name = name
		q.noContent()
		return nil
	})
}

func (s *Server) deleteRegion(q *request) error {
	return s.unitOp(q, false, func(string) error {
		r, err := s.regionParam(q)
		if err != nil {
			return err
		}
		if err := s.emptyUnit("Region", r.Name, func(u *User) bool { return u.RegionID == r.ID }); err != nil {
			return err
		}
		for _, d := range r.Divisions {
			s.dropDivision(d)
		}
		s.st.Regions = slices.DeleteFunc(s.st.Regions, func(x *Region) bool { return x == r })
		delete(s.ix.regions, r.ID)
		q.noContent()
		return nil
	})
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
	writeAll(q, units(r.Divisions, func(d *Division) unitJSON {
		return unitJSON{ID: d.ID, Name: d.Name, NumberOfUsers: s.usersIn(func(u *User) bool { return u.DivisionID == d.ID })}
	}))
	return nil
}

func (s *Server) createDivision(q *request) error {
	return s.unitOp(q, true, func(name string) error {
		r, err := s.regionParam(q)
		if err != nil {
			return err
		}
		if divisionByName(r, name) != nil {
			return badRequest("Division '%s' already exists in region '%s'.", name, r.Name)
		}
		d := &Division{ID: s.newID(), Name: name}
		r.Divisions = append(r.Divisions, d)
		s.ix.addDivision(r, d)
		q.created(q.orgPath("regions", id64(r.ID), "divisions", id64(d.ID)), d.ID)
		return nil
	})
}

func (s *Server) renameDivision(q *request) error {
	return s.unitOp(q, true, func(name string) error {
		r, d, err := s.divisionParam(q)
		if err != nil {
			return err
		}
		if other := divisionByName(r, name); other != nil && other != d {
			return badRequest("Division '%s' already exists in region '%s'.", name, r.Name)
		}
		d.Name = name
		q.noContent()
		return nil
	})
}

func (s *Server) deleteDivision(q *request) error {
	return s.unitOp(q, false, func(string) error {
		r, d, err := s.divisionParam(q)
		if err != nil {
			return err
		}
		if err := s.emptyUnit("Division", d.Name, func(u *User) bool { return u.DivisionID == d.ID }); err != nil {
			return err
		}
		s.dropDivision(d)
		r.Divisions = slices.DeleteFunc(r.Divisions, func(x *Division) bool { return x == d })
		q.noContent()
		return nil
	})
}

func (s *Server) listDepartments(q *request) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, d, err := s.divisionParam(q)
	if err != nil {
		return err
	}
	writeAll(q, units(d.Departments, func(x *Department) unitJSON {
		return unitJSON{ID: x.ID, Name: x.Name, NumberOfUsers: s.usersIn(func(u *User) bool { return u.DepartmentID == x.ID })}
	}))
	return nil
}

func (s *Server) createDepartment(q *request) error {
	return s.unitOp(q, true, func(name string) error {
		r, d, err := s.divisionParam(q)
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
		q.created(q.orgPath("regions", id64(r.ID), "divisions", id64(d.ID), "departments", id64(dep.ID)), dep.ID)
		return nil
	})
}

func (s *Server) renameDepartment(q *request) error {
	return s.unitOp(q, true, func(name string) error {
		_, d, dep, err := s.departmentParam(q)
		if err != nil {
			return err
		}
		if other := departmentByName(d, name); other != nil && other != dep {
			return badRequest("Department '%s' already exists in division '%s'.", name, d.Name)
		}
		dep.Name = name
		q.noContent()
		return nil
	})
}

func (s *Server) deleteDepartment(q *request) error {
	return s.unitOp(q, false, func(string) error {
		_, d, dep, err := s.departmentParam(q)
		if err != nil {
			return err
		}
		if err := s.emptyUnit("Department", dep.Name, func(u *User) bool { return u.DepartmentID == dep.ID }); err != nil {
			return err
		}
		d.Departments = slices.DeleteFunc(d.Departments, func(x *Department) bool { return x == dep })
		delete(s.ix.departments, dep.ID)
		delete(s.ix.depDivision, dep.ID)
		q.noContent()
		return nil
	})
}
