package sandbox

import (
	"strings"
)

// index holds the lookups over State; rebuilt on load, kept up to date by
// every mutation.
type index struct {
	users       map[int64]*User
	emails      map[string]int64 // lower-cased F015
	employeeIDs map[string]int64 // lower-cased F004
	regions     map[int64]*Region
	divisions   map[int64]*Division
	divRegion   map[int64]*Region
	departments map[int64]*Department
	depDivision map[int64]*Division
	groups      map[int64]*Group
	courses     map[string]*Course
	curricula   map[string]*Curriculum
	sessions    map[int64]*Session
	sessCourse  map[int64]*Course
	enrollments map[enrollKey]*Enrollment
}

type enrollKey struct {
	user   int64
	course string
}

func buildIndex(st *State) index {
	ix := index{
		users:       map[int64]*User{},
		emails:      map[string]int64{},
		employeeIDs: map[string]int64{},
		regions:     map[int64]*Region{},
		divisions:   map[int64]*Division{},
		divRegion:   map[int64]*Region{},
		departments: map[int64]*Department{},
		depDivision: map[int64]*Division{},
		groups:      map[int64]*Group{},
		courses:     map[string]*Course{},
		curricula:   map[string]*Curriculum{},
		sessions:    map[int64]*Session{},
		sessCourse:  map[int64]*Course{},
		enrollments: map[enrollKey]*Enrollment{},
	}
	for _, r := range st.Regions {
		ix.addRegion(r)
	}
	for _, u := range st.Users {
		ix.addUser(u)
	}
	for _, g := range st.Groups {
		ix.groups[g.ID] = g
	}
	for _, c := range st.Courses {
		ix.courses[c.ID] = c
		for _, ss := range c.Sessions {
			ix.sessions[ss.ID] = ss
			ix.sessCourse[ss.ID] = c
		}
	}
	for _, c := range st.Curricula {
		ix.curricula[c.ID] = c
	}
	for _, e := range st.Enrollments {
		ix.enrollments[enrollKey{e.UserID, e.CourseID}] = e
	}
	return ix
}

func (ix *index) addRegion(r *Region) {
	ix.regions[r.ID] = r
	for _, d := range r.Divisions {
		ix.addDivision(r, d)
	}
}

func (ix *index) addDivision(r *Region, d *Division) {
	ix.divisions[d.ID] = d
	ix.divRegion[d.ID] = r
	for _, dep := range d.Departments {
		ix.departments[dep.ID] = dep
		ix.depDivision[dep.ID] = d
	}
}

func (ix *index) addUser(u *User) {
	ix.users[u.ID] = u
	if e := strings.ToLower(strings.TrimSpace(u.Profile["F015"])); e != "" {
		ix.emails[e] = u.ID
	}
	if e := strings.ToLower(strings.TrimSpace(u.Profile["F004"])); e != "" {
		ix.employeeIDs[e] = u.ID
	}
}

func (ix *index) removeUser(u *User) {
	delete(ix.users, u.ID)
	if e := strings.ToLower(strings.TrimSpace(u.Profile["F015"])); e != "" && ix.emails[e] == u.ID {
		delete(ix.emails, e)
	}
	if e := strings.ToLower(strings.TrimSpace(u.Profile["F004"])); e != "" && ix.employeeIDs[e] == u.ID {
		delete(ix.employeeIDs, e)
	}
}

// regionByName, divisionByName and departmentByName find hierarchy units
// by name without regard to case (the document's example creates a user in
// "region 1" of an org whose region is "Region 1").
func (s *Server) regionByName(name string) *Region {
	for _, r := range s.st.Regions {
		if strings.EqualFold(strings.TrimSpace(r.Name), strings.TrimSpace(name)) {
			return r
		}
	}
	return nil
}

func divisionByName(r *Region, name string) *Division {
	for _, d := range r.Divisions {
		if strings.EqualFold(strings.TrimSpace(d.Name), strings.TrimSpace(name)) {
			return d
		}
	}
	return nil
}

func departmentByName(d *Division, name string) *Department {
	for _, dep := range d.Departments {
		if strings.EqualFold(strings.TrimSpace(dep.Name), strings.TrimSpace(name)) {
			return dep
		}
	}
	return nil
}

func (s *Server) newID() int64 {
	s.st.NextID++
	return s.st.NextID
}
