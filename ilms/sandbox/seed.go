package sandbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// The credentials of the seed organization are the document's own example
// values, so its curl examples run against the sandbox as printed (with the
// host changed).
const (
	SeedOrgID          = "99999"
	SeedAPILoginID     = "YBA3hyozzqWGeA2koTvI1Q=="
	SeedTransactionKey = "ggcyFzoFKxbUm+3DFd/N9Q=="
)

// SeedOptions size a generated organization.
type SeedOptions struct {
	// Users is how many synthetic users to add to the document's example
	// users.
	Users int
	// Seed makes the synthetic data; the same seed gives the same org.
	Seed uint64
	// Enrollments adds two to five enrollments per synthetic user when true.
	Enrollments bool
}

// seedEpoch anchors the seed's dates so that the seed file is stable.
var seedEpoch = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// GenerateOrg builds an organization: every example entity of the document
// (users 517244, 123456, 444038 and 12345, groups 2 and 345, regions 13306
// and 123456, courses p1gyJg4a, meOexN1A, fO1uIKJO, pyOgaoli, iiOYhg6E,
// curricula dHg6Kdl8, h0IHluoD, PP1uIKJO, …) so that its curl examples
// answer as documented, plus a realistic staff of opts.Users people across
// a region / division / department hierarchy, with courses of every type,
// curricula with sub-courses, ILT and event sessions, groups, and
// enrollments in every status.
func GenerateOrg(opts SeedOptions) *State {
	g := &seeder{
		r: synth.New(opts.Seed),
		st: &State{
			OrgID: SeedOrgID, APILoginID: SeedAPILoginID, TransactionKey: SeedTransactionKey,
			Settings: validate.DefaultSettings(),
		},
		depts: map[string][3]int64{},
	}
	g.hierarchy()
	g.courses()
	g.exampleUsers()
	for i := range opts.Users {
		g.syntheticUser(i + 1)
	}
	g.supervisors()
	g.groups()
	g.exampleEnrollments()
	if opts.Enrollments {
		g.syntheticEnrollments()
	}
	g.st.NextID = 700000 + int64(opts.Users)
	return g.st
}

type seeder struct {
	r         *synth.Rand
	st        *State
	depts     map[string][3]int64 // "Region/Division/Department" → IDs
	deptNames []string            // where synthetic users work
	synthetic []*User
	srv       *Server // for the rules enrollments and groups share with serving
}

func (g *seeder) hierarchy() {
	type dep struct {
		id   int64
		name string
	}
	type div struct {
		id   int64
		name string
		deps []dep
	}
	add := func(id int64, name string, divs ...div) {
		r := &Region{ID: id, Name: name}
		for _, d := range divs {
			dv := &Division{ID: d.id, Name: d.name}
			for _, dp := range d.deps {
				dv.Departments = append(dv.Departments, &Department{ID: dp.id, Name: dp.name})
				g.depts[name+"/"+d.name+"/"+dp.name] = [3]int64{id, d.id, dp.id}
			}
			r.Divisions = append(r.Divisions, dv)
		}
		g.st.Regions = append(g.st.Regions, r)
	}
	add(13306, "Region 1", div{8463, "Division 1", []dep{{15136, "Department 1"}}})
	add(8090, "Demo Region", div{3196, "Demo Division", []dep{{4680, "Demo Department"}}})
	add(123456, "Central", div{234567, "Projects", []dep{{345678, "Special Projects"}}})
	add(20001, "North America",
		div{21001, "Sales", []dep{{22001, "Inside Sales"}, {22002, "Field Sales"}}},
		div{21002, "Operations", []dep{{22003, "Warehouse"}, {22004, "Logistics"}}},
		div{21003, "Corporate", []dep{{22005, "Human Resources"}, {22006, "Finance"}, {22007, "IT"}}})
	add(20002, "EMEA",
		div{21004, "Sales", []dep{{22008, "Enterprise Sales"}}},
		div{21005, "Operations", []dep{{22009, "Customer Support"}}})
	add(20003, "Canada",
		div{21006, "Retail", []dep{{22010, "Stores"}, {22011, "Merchandising"}}})
	// Synthetic staff work where generated files put them.
	for _, d := range synth.Departments {
		name := d[0] + "/" + d[1] + "/" + d[2]
		if _, ok := g.depts[name]; !ok {
			panic("seed: synth department " + name + " is not in the hierarchy")
		}
		g.deptNames = append(g.deptNames, name)
	}
}

func days(n int) *int { return &n }

func at(s string) *time.Time {
	t, err := time.Parse("2006-01-02T15:04:05", s)
	if err != nil {
		panic(err)
	}
	return &t
}

func (g *seeder) courses() {
	c := func(id, name, typ, delivery, req, credits, hours string, due DueDate) *Course {
		co := &Course{ID: id, Name: name, Type: typ, DeliveryType: delivery, DefaultRequirementType: req, Credits: credits, Hours: hours, Status: "Active", DueDate: due}
		g.st.Courses = append(g.st.Courses, co)
		return co
	}
	web := "Web-based"
	c("p1gyJg4a", "Security", "iComposer", web, "Mandatory", "10", "4", DueDate{Days: days(4)}).Keywords = "infosec passwords phishing"
	c("x56QjLXI", "Security Awareness", "SCORM", web, "Mandatory", "0", "0", DueDate{Date: at("2014-11-22T23:01:00")})
	fo := c("fO1uIKJO", "Security Awareness 2026", "SCORM", web, "Mandatory", "1", "1", DueDate{Days: days(30)})
	fo.LicenseDays = 365
	fo.Description = "Annual security awareness refresher: phishing, passwords, clean desk."
	c("wqivr6aA", "Data Security", "SCORM", web, "Mandatory", "1", "0.5", DueDate{Days: days(45)})
	c("meOexN1A", "Course 99", "iComposer", web, "Optional", "0", "0", DueDate{})
	c("plokiuytr", "Workplace Harassment Prevention", "SCORM", web, "Mandatory", "2", "2", DueDate{Days: days(60)}).Certification = true
	c("7E29dkwr", "Phishing Basics", "iComposer", web, "Mandatory", "0.5", "0.5", DueDate{Days: days(14)})
	c("Ux3oKZbz", "Incident Reporting", "SCORM", web, "Mandatory", "0.5", "0.5", DueDate{Days: days(14)})
	c("WErt98k", "Forklift Safety", "iComposer", web, "Mandatory", "1", "1", DueDate{Days: days(30)})
	c("Wert98k", "Ladder Safety", "iComposer", web, "Optional", "1", "1", DueDate{})
	c("i4pkE0es", "Code of Conduct", "SCORM", web, "Mandatory", "1", "1", DueDate{Days: days(10)})
	c("VvptYCj4", "Privacy and GDPR", "SCORM", web, "Mandatory", "1", "1", DueDate{Date: at("2026-12-21T00:00:00")})
	hist := c("hIst0ric", "Legacy Compliance 2019", "SCORM", web, "Mandatory", "1", "1", DueDate{})
	hist.Historical = true
	c("inAct1ve", "Retired Onboarding Module", "iComposer", web, "Optional", "0", "0", DueDate{}).Status = "Inactive"

	ilt := c("pyOgaoli", "Security Awareness Workshop", "ILT", "Classroom", "Mandatory", "3", "6", DueDate{})
	ilt.Keywords = "classroom security"
	for i, start := range []string{"2010-10-14T03:00:00", "2010-10-20T10:00:00", "2010-12-25T15:00:00", "2011-01-01T15:00:00",
		"2011-01-29T15:00:00", "2011-02-15T15:00:00", "2011-03-21T15:00:00", "2011-03-28T15:00:00", "2027-02-10T15:00:00", "2027-03-10T15:00:00"} {
		ids := []int64{4746, 4760, 4798, 4813, 4827, 4860, 4855, 4870, 4901, 4902}
		st := *at(start)
		end := st.Add(6 * time.Hour)
		if ids[i] == 4760 {
			end = st.Add(30 * time.Hour)
		}
		ilt.Sessions = append(ilt.Sessions, &Session{ID: ids[i], Start: st, End: end, RoomName: "Conference 1", Location: "San Antonio", TimeZone: "(GMT-06.00) Central Time (US & Canada)", Instructors: []int64{517244}})
	}
	ilt2 := c("iiOYhg6E", "ILT Test", "ILT", "Classroom", "Mandatory", "1", "6", DueDate{Days: days(90)})
	for _, s := range []struct {
		id    int64
		start string
		room  string
	}{{517378, "2026-09-08T19:30:00", "Room A"}, {1234, "2026-12-08T19:30:00", "Room B"}, {5119, "2027-01-12T14:00:00", "Room A"}} {
		st := *at(s.start)
		ilt2.Sessions = append(ilt2.Sessions, &Session{ID: s.id, Start: st, End: st.Add(6 * time.Hour), RoomName: s.room, Location: "Chicago", TimeZone: "(GMT-06.00) Central Time (US & Canada)", Instructors: []int64{517244}})
	}
	ev := c("eVent001", "Town Hall Q4", "Event", "Live Event", "Optional", "0", "1", DueDate{})
	st := *at("2026-12-15T17:00:00")
	ev.Sessions = []*Session{{ID: 6001, Start: st, End: st.Add(90 * time.Minute), RoomName: "Auditorium", Location: "New York", TimeZone: "(GMT-05.00) Eastern Time (US & Canada)"}}

	g.st.Curricula = []*Curriculum{
		{ID: "dHg6Kdl8", Name: "Security Awareness Curriculum", DueDate: DueDate{Date: at("2014-11-22T23:01:00")}, CourseIDs: []string{"p1gyJg4a", "x56QjLXI"}},
		{ID: "h0IHluoD", Name: "Curriculum2", DueDate: DueDate{Days: days(30)}, CourseIDs: []string{"i4pkE0es"}},
		{ID: "PP1uIKJO", Name: "Security_Curriculum", DueDate: DueDate{Days: days(60)}, CourseIDs: []string{"fO1uIKJO", "wqivr6aA"}},
		{ID: "4mnvYSli", Name: "Security", DueDate: DueDate{Days: days(45)}, CourseIDs: []string{"7E29dkwr", "Ux3oKZbz"}},
		{ID: "nEwH1re0", Name: "New Hire Onboarding", DueDate: DueDate{Days: days(30)}, CourseIDs: []string{"i4pkE0es", "VvptYCj4", "fO1uIKJO"}},
	}
}

func (g *seeder) addUser(u *User, dept string) *User {
	ids, ok := g.depts[dept]
	if !ok {
		panic("seed: no department " + dept)
	}
	u.RegionID, u.DivisionID, u.DepartmentID = ids[0], ids[1], ids[2]
	if u.Status == "" {
		u.Status = "Active"
	}
	if u.Registration == "" {
		u.Registration = "API"
	}
	for k, v := range u.Profile {
		if v == "" {
			delete(u.Profile, k)
		}
	}
	g.st.Users = append(g.st.Users, u)
	return u
}

func (g *seeder) exampleUsers() {
	g.addUser(&User{ID: 517244, Profile: map[string]string{"F001": "John", "F003": "Doe", "F004": "Emp001", "F006": "English", "F007": "Manager",
		"F010": "San Antonio", "F011": "United States", "F012": "Texas", "F015": "john.doe@email.com", "F023": "(GMT-06.00) Central Time (US & Canada)"},
		Registered: *at("2013-10-23T13:30:38.22")}, "Region 1/Division 1/Department 1")
	g.addUser(&User{ID: 517226, Registration: "LDAP", Profile: map[string]string{"F001": "Demo", "F003": "User", "F004": "Emp002", "F006": "English",
		"F011": "US", "F012": "NE", "F015": "demo.user@email.com", "F023": "(GMT-06.00) Central Time (US & Canada)"},
		Registered: *at("2013-10-17T12:34:34.61")}, "Region 1/Division 1/Department 1")
	g.addUser(&User{ID: 123456, Profile: map[string]string{"F001": "Jane", "F003": "Roe", "F004": "Emp003", "F006": "English", "F007": "Analyst",
		"F011": "United States", "F012": "Illinois", "F010": "Chicago", "F015": "jane.roe@email.com", "F023": "(GMT-06.00) Central Time (US & Canada)",
		"F033": "John Doe", "F034": "john.doe@email.com"},
		Registered: *at("2014-02-03T08:00:00")}, "Region 1/Division 1/Department 1")
	g.addUser(&User{ID: 444038, Profile: map[string]string{"F001": "Sam", "F003": "Lee", "F004": "Emp004", "F006": "English", "F015": "sam.lee@email.com"},
		Registered: *at("2015-05-11T10:20:00")}, "Demo Region/Demo Division/Demo Department")
	g.addUser(&User{ID: 12345, Profile: map[string]string{"F001": "Alex", "F003": "Kim", "F004": "Emp005", "F006": "English", "F015": "alex.kim@email.com"},
		Registered: *at("2015-06-01T09:00:00")}, "Demo Region/Demo Division/Demo Department")
	g.addUser(&User{ID: 517371, Status: "Inactive", Profile: map[string]string{"F001": "John", "F003": "Doe", "F004": "emp001-b", "F006": "English", "F015": "john.doe2@email.com"},
		Registered: *at("2013-12-01T10:00:00")}, "Demo Region/Demo Division/Demo Department")
	g.addUser(&User{ID: 517372, Status: "Inactive", Profile: map[string]string{"F001": "deepak", "F003": "jain", "F006": "English", "F015": "dep@testiel.com"},
		Registered: *at("2013-12-01T11:00:00")}, "Demo Region/Demo Division/Demo Department")
}

func (g *seeder) syntheticUser(n int) {
	p := g.r.Person(n)
	dept := synth.Pick(g.r, g.deptNames)
	if p["F011"] == "Canada" || p["F011"] == "CA" {
		dept = synth.Pick(g.r, []string{"Canada/Retail/Stores", "Canada/Retail/Merchandising"})
	}
	u := &User{ID: 520000 + int64(n), Profile: map[string]string(p), Registered: seedEpoch.AddDate(0, 0, -g.r.IntN(3000)).Add(time.Duration(g.r.IntN(86400)) * time.Second)}
	switch k := g.r.IntN(20); {
	case k == 0:
		u.Status = "Inactive"
	case k == 1:
		u.Status = "Deleted"
	}
	if g.r.IntN(4) == 0 {
		u.Registration = synth.Pick(g.r, []string{"iLMS", "Self Registration", "SAML"})
	}
	g.synthetic = append(g.synthetic, g.addUser(u, dept))
}

// supervisors gives the synthetic staff supervisors, as HR systems keep
// them: in each department the first person hired leads it and is the
// supervisor of the others there, and reports to John Doe (Emp001). It
// draws no random numbers, so the rest of the seed is as it was.
func (g *seeder) supervisors() {
	lead := map[int64]*User{} // department ID → its lead
	for _, u := range g.synthetic {
		if l := lead[u.DepartmentID]; l == nil || u.Profile["F005"] < l.Profile["F005"] || u.Profile["F005"] == l.Profile["F005"] && u.ID < l.ID {
			lead[u.DepartmentID] = u
		}
	}
	for _, u := range g.synthetic {
		if l := lead[u.DepartmentID]; l != u {
			u.Profile["F033"], u.Profile["F034"] = strings.TrimSpace(l.Profile["F001"]+" "+l.Profile["F003"]), l.Profile["F015"]
		} else {
			u.Profile["F033"], u.Profile["F034"] = "John Doe", "john.doe@email.com"
		}
	}
}

func (g *seeder) groups() {
	var ids []int64
	for _, u := range g.synthetic {
		ids = append(ids, u.ID)
	}
	first := func(n int) []int64 { return append([]int64(nil), ids[:min(n, len(ids))]...) }
	g.st.Groups = []*Group{
		{ID: 2, Name: "Sales", Description: "Group for all sales persons.", Rule: map[string]string{"F020": "Sales"}, Courses: []*GroupCourse{{CourseID: "i4pkE0es", RequirementType: "Mandatory", DueDate: DueDate{Days: days(10)}}}},
		{ID: 3, Name: "Manager", Manual: []int64{517244, 517226, 123456}},
		{ID: 345, Name: "New Hires 2026", Description: "Everyone hired this year.", Manual: append([]int64{12345}, first(10)...), Include: []int64{12345}, Exclude: []int64{12345},
			Courses: []*GroupCourse{{CourseID: "i4pkE0es", RequirementType: "Mandatory", DueDate: DueDate{Days: days(10)}}, {CourseID: "VvptYCj4", RequirementType: "Mandatory", DueDate: DueDate{Date: at("2012-12-21T00:00:00")}}, {CourseID: "Wert98k", RequirementType: "Optional"}}},
		{ID: 401, Name: "Warehouse Safety", Rule: map[string]string{"F021": "Warehouse"}, Courses: []*GroupCourse{{CourseID: "WErt98k", RequirementType: "Mandatory", DueDate: DueDate{Days: days(30)}}}},
		{ID: 402, Name: "EMEA Staff", Rule: map[string]string{"F019": "EMEA"}},
		{ID: 403, Name: "IT Security", Rule: map[string]string{"F021": "IT"}},
		{ID: 404, Name: "Compliance Champions", Manual: first(3)},
		{ID: 405, Name: "Canada", Rule: map[string]string{"F019": "Canada"}},
		{ID: 406, Name: "Field Technicians", Rule: map[string]string{"F007": "Field Technician"}},
		{ID: 407, Name: "Leadership", Description: "People leaders.", Manual: []int64{517244}},
	}
	// Members as of the seed, computed the way refresh computes them. User
	// 12345 is added by hand and on both explicit lists, so that every
	// removal example of the document has something to remove; the
	// exclusion wins, so 12345 is not a member.
	g.srv = &Server{st: g.st, ix: buildIndex(g.st)}
	for _, gr := range g.st.Groups {
		g.srv.recompute(gr)
	}
}

// enroll adds a record in a given state, dated relative to enrolled.
func (g *seeder) enroll(user int64, course string, session int64, status string, enrolled time.Time) *Enrollment {
	g.srv.now = func() time.Time { return enrolled }
	e := g.srv.newEnrollment(user, course)
	e.SessionID = session
	e.Status = status
	start := enrolled.Add(time.Duration(1+g.r.IntN(72)) * time.Hour)
	done := start.Add(time.Duration(1+g.r.IntN(200)) * time.Hour)
	switch status {
	case validate.StatusInProgress:
		e.StartDate, e.TimeSpent = &start, 5+g.r.IntN(60)
	case validate.StatusPass:
		score := 70 + g.r.IntN(31)
		e.StartDate, e.CompletionDate, e.Score, e.TimeSpent = &start, &done, &score, 10+g.r.IntN(90)
	case validate.StatusFail:
		score := 20 + g.r.IntN(50)
		e.StartDate, e.CompletionDate, e.Score, e.TimeSpent = &start, &done, &score, 10+g.r.IntN(90)
	case validate.StatusWaived:
		e.StartDate = nil
	}
	g.st.Enrollments = append(g.st.Enrollments, e)
	return e
}

func (g *seeder) exampleEnrollments() {
	base := *at("2013-12-09T16:30:39")
	g.enroll(123456, "fO1uIKJO", 0, validate.StatusNotStarted, base)
	g.enroll(123456, "wqivr6aA", 0, validate.StatusPass, base)
	g.enroll(123456, "PP1uIKJO", 0, validate.StatusNotStarted, base)
	g.enroll(123456, "iiOYhg6E", 517378, validate.StatusNotStarted, *at("2013-07-13T07:54:27"))
	g.enroll(517371, "meOexN1A", 0, validate.StatusNotStarted, *at("2013-12-08T10:05:59"))
	g.enroll(517372, "meOexN1A", 0, validate.StatusPass, *at("2013-12-08T22:00:38"))
	g.enroll(12345, "h0IHluoD", 0, validate.StatusNotStarted, base)
	g.enroll(12345, "i4pkE0es", 0, validate.StatusNotStarted, base)
	g.enroll(517244, "iiOYhg6E", 1234, validate.StatusNotStarted, base)
	g.enroll(517226, "p1gyJg4a", 0, validate.StatusPass, base)
}

var statusMix = []string{
	validate.StatusNotStarted, validate.StatusNotStarted, validate.StatusInProgress, validate.StatusInProgress,
	validate.StatusPass, validate.StatusPass, validate.StatusPass, validate.StatusPass, validate.StatusFail, validate.StatusWaived,
}

func (g *seeder) syntheticEnrollments() {
	catalog := []string{"p1gyJg4a", "fO1uIKJO", "wqivr6aA", "meOexN1A", "plokiuytr", "i4pkE0es", "VvptYCj4", "WErt98k", "7E29dkwr"}
	for i, u := range g.synthetic {
		if u.Status == "Deleted" {
			continue
		}
		enrolled := seedEpoch.AddDate(0, 0, -g.r.IntN(400))
		taken := map[string]bool{}
		for k := 0; k < 2+g.r.IntN(4); k++ {
			cid := synth.Pick(g.r, catalog)
			if taken[cid] {
				continue
			}
			taken[cid] = true
			// Every status shows up early, then the mix decides.
			status := statusMix[(i+k)%len(statusMix)]
			if i >= len(statusMix) {
				status = synth.Pick(g.r, statusMix)
			}
			g.enroll(u.ID, cid, 0, status, enrolled.Add(time.Duration(k)*time.Hour))
		}
		switch i % 5 {
		case 0:
			// A curriculum with its sub-courses in mixed progress.
			cur := "4mnvYSli"
			g.enroll(u.ID, cur, 0, validate.StatusInProgress, enrolled)
			for _, cid := range []string{"7E29dkwr", "Ux3oKZbz"} {
				if !taken[cid] {
					taken[cid] = true
					g.enroll(u.ID, cid, 0, synth.Pick(g.r, statusMix), enrolled)
				}
			}
		case 1:
			sessions := []int64{4746, 4760, 4855, 4901}
			g.enroll(u.ID, "pyOgaoli", synth.Pick(g.r, sessions), synth.Pick(g.r, []string{validate.StatusNotStarted, validate.StatusPass}), enrolled)
		case 2:
			g.enroll(u.ID, "nEwH1re0", 0, synth.Pick(g.r, statusMix), enrolled)
		}
	}
}

// SeedDescription summarises a state for humans.
func (st *State) SeedDescription() string {
	return fmt.Sprintf("%d users, %d regions, %d groups, %d courses, %d curricula, %d enrollments",
		len(st.Users), len(st.Regions), len(st.Groups), len(st.Courses), len(st.Curricula), len(st.Enrollments))
}
