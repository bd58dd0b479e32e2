package ilms_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// The contract suite pins the document's behaviour through the client. It
// runs against a fresh sandbox for every test, and also against a real
// organization when ILMS_CONTRACT_BASE_URL, ILMS_CONTRACT_ORG,
// ILMS_API_LOGIN_ID and ILMS_TRANSACTION_KEY are set; tests that change
// data run there only with ILMS_CONTRACT_WRITES=1.

type target struct {
	name   string
	c      *ilms.Client
	srv    *sandbox.Server // nil for a real organization
	writes bool
	url    string
}

const prefix = "/ilms"

// newSandbox serves a fresh sandbox from the seed under a path prefix.
func newSandbox(t *testing.T, opts sandbox.Options, edit ...func(*sandbox.State)) target {
	t.Helper()
	st, err := sandbox.LoadState("../testdata/org.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edit {
		e(st)
	}
	srv := sandbox.New(st, opts)
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, srv))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	c, err := ilms.NewClient(ilms.Options{
		BaseURL: hs.URL + prefix, OrgID: srv.OrgID(),
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()},
		MinBackoff:  time.Millisecond, MaxBackoff: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return target{name: "sandbox", c: c, srv: srv, writes: true, url: hs.URL + prefix}
}

// each runs f against a fresh sandbox and, when configured, a real org.
func each(t *testing.T, writes bool, f func(t *testing.T, tg target)) {
	t.Run("sandbox", func(t *testing.T) { f(t, newSandbox(t, sandbox.Options{})) })
	base, org := os.Getenv("ILMS_CONTRACT_BASE_URL"), os.Getenv("ILMS_CONTRACT_ORG")
	if base == "" || org == "" {
		return
	}
	if writes && os.Getenv("ILMS_CONTRACT_WRITES") != "1" {
		return
	}
	t.Run("organization", func(t *testing.T) {
		c, err := ilms.NewClient(ilms.Options{BaseURL: base, OrgID: org, Credentials: ilms.Credentials{
			APILoginID: os.Getenv("ILMS_API_LOGIN_ID"), TransactionKey: os.Getenv("ILMS_TRANSACTION_KEY"),
		}, Pacer: ilms.NewPacer(ilms.Limiter(5))})
		if err != nil {
			t.Fatal(err)
		}
		f(t, target{name: "organization", c: c, writes: writes, url: base})
	})
}

func bg(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func all[T any](t *testing.T, p *ilms.Pager[T]) []T {
	t.Helper()
	var out []T
	for v, err := range p.All(bg(t)) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// is reports whether a nullable number is set to n.
func is[N int | int64](p *N, n N) bool { return p != nil && *p == n }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	if got := ilms.StatusCode(err); got != status {
		t.Errorf("err = %v; want a %d", err, status)
	}
}

// fixtures are entities the suite finds through the API rather than by
// knowing the seed, so that it runs against any organization.
type fixtures struct {
	course     ilms.Course // an active course that is not an ILT or event
	ilt        ilms.Course // an ILT course with sessions
	session    ilms.Session
	curriculum ilms.Curriculum
	subCourses []string
	group      ilms.Group
	user       ilms.User // an active user
}

func discover(t *testing.T, c *ilms.Client) fixtures {
	t.Helper()
	var fx fixtures
	for _, co := range all(t, c.Courses.List(ilms.CourseListOptions{})) {
		switch {
		case co.Status != "Active":
		case co.Type == "ILT" && fx.ilt.ID == "":
			sessions := all(t, c.Sessions.List(co.ID, ilms.SessionListOptions{}))
			if len(sessions) > 0 {
				fx.ilt, fx.session = co, sessions[0]
			}
		case co.Type != "ILT" && co.Type != "Event" && fx.course.ID == "":
			fx.course = co
		}
	}
	for _, cur := range all(t, c.Curricula.List("")) {
		rows, err := c.Reports.EnrollmentSummary(bg(t), ilms.SummaryOptions{CourseID: cur.ID})
		must(t, err)
		if len(rows) > 1 {
			fx.curriculum = cur
			for _, r := range rows[1:] {
				fx.subCourses = append(fx.subCourses, r.CourseID)
			}
			break
		}
	}
	groups := all(t, c.Groups.List(""))
	users := all(t, c.Users.List(nil))
	if fx.course.ID == "" || fx.ilt.ID == "" || fx.curriculum.ID == "" || len(groups) == 0 || len(users) == 0 {
		t.Skip("the organization lacks a course, an ILT with sessions, a curriculum with sub-courses, a group or a user")
	}
	fx.group, fx.user = groups[0], users[0]
	return fx
}

// newUser creates a user in a fresh department, so tests own what they
// change.
func newUser(t *testing.T, c *ilms.Client, email string, extra ...ilms.ProfileField) (int64, [3]string) {
	t.Helper()
	ctx := bg(t)
	stamp := time.Now().Format("150405.000")
	names := [3]string{"Contract " + stamp, "Division " + stamp, "Department " + stamp}
	r, err := c.Hierarchy.CreateRegion(ctx, names[0])
	must(t, err)
	d, err := c.Hierarchy.CreateDivision(ctx, r, names[1])
	must(t, err)
	_, err = c.Hierarchy.CreateDepartment(ctx, r, d, names[2])
	must(t, err)
	fields := append([]ilms.ProfileField{
		{Key: "F001", Value: "Casey"}, {Key: "F003", Value: "Contract"}, {Key: "F015", Value: email},
		{Key: "F019", Value: names[0]}, {Key: "F020", Value: names[1]}, {Key: "F021", Value: names[2]},
	}, extra...)
	id, err := c.Users.Create(ctx, ilms.NewUser{UserProfileData: fields})
	must(t, err)
	return id, names
}

func TestContractUsers(t *testing.T) {
	each(t, true, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		email := "casey.contract." + time.Now().Format("150405.000") + "@example.com"
		id, names := newUser(t, c, email, ilms.ProfileField{Key: "F011", Value: "US"}, ilms.ProfileField{Key: "F012", Value: "TX"},
			ilms.ProfileField{Key: "F023", Value: "(GMT-06.00) Central Time (US & Canada)"}, ilms.ProfileField{Key: "F005", Value: "2012-06-01T00:00:00"})

		t.Run("Get", func(t *testing.T) {
			u, err := c.Users.Get(ctx, id)
			must(t, err)
			p := u.Profile
			if u.ID != id || u.UserStatus != "Active" || p.F001 != "Casey" || p.F015 != email || p.F019 != names[0] || p.F021 != names[2] || p.F019_ID == 0 || p.F012 != "TX" {
				t.Errorf("created user reads back as %+v", u)
			}
			if p.F016 != nil || p.F031 != "API" || p.F032 == nil {
				t.Errorf("F016 %v, F031 %q, F032 %v: want null, API, the registration date", p.F016, p.F031, p.F032)
			}
			_, err = c.Users.Get(ctx, 1)
			wantStatus(t, err, 404)
		})
		t.Run("Create refuses what the document forbids", func(t *testing.T) {
			base := []ilms.ProfileField{{Key: "F001", Value: "A"}, {Key: "F003", Value: "B"}, {Key: "F019", Value: names[0]}, {Key: "F020", Value: names[1]}, {Key: "F021", Value: names[2]}}
			for name, extra := range map[string][]ilms.ProfileField{
				"duplicate email":     {{Key: "F015", Value: strings.ToUpper(email)}},
				"restricted char":     {{Key: "F015", Value: "x@example.com"}, {Key: "F007", Value: "50% <boss>"}},
				"unknown country":     {{Key: "F015", Value: "y@example.com"}, {Key: "F011", Value: "Untied States"}},
				"state not of the US": {{Key: "F015", Value: "z@example.com"}, {Key: "F011", Value: "United States"}, {Key: "F012", Value: "Ontario"}},
				"read only field":     {{Key: "F015", Value: "w@example.com"}, {Key: "F031", Value: "API"}},
			} {
				_, err := c.Users.Create(ctx, ilms.NewUser{UserProfileData: append(slices.Clone(base), extra...)})
				if !ilms.IsBadRequest(err) {
					t.Errorf("%s: err = %v, want a 400", name, err)
				}
			}
			_, err := c.Users.Create(ctx, ilms.NewUser{UserProfileData: []ilms.ProfileField{{Key: "F001", Value: "A"}, {Key: "F003", Value: "B"}}})
			if !ilms.IsBadRequest(err) || !strings.Contains(err.Error(), "Region") {
				t.Errorf("missing F019–F021: err = %v, want a 400 naming Region", err)
			}
			_, err = c.Users.Create(ctx, ilms.NewUser{UserProfileData: []ilms.ProfileField{{Key: "F001", Value: "A"}, {Key: "F003", Value: "B"}, {Key: "F019", Value: "No Such Region"}, {Key: "F020", Value: "x"}, {Key: "F021", Value: "y"}}})
			if !ilms.IsBadRequest(err) || !strings.Contains(err.Error(), "No Such Region") {
				t.Errorf("unknown region: err = %v", err)
			}
		})
		t.Run("Update", func(t *testing.T) {
			must(t, c.Users.Update(ctx, id, []ilms.ProfileField{{Key: "F007", Value: "Auditor"}}))
			u, _ := c.Users.Get(ctx, id)
			if u.Profile.F007 != "Auditor" || u.Profile.F001 != "Casey" {
				t.Errorf("after update: %+v", u.Profile)
			}
			// Region alone, or with division only, would change nothing:
			// the client refuses it unsent. All three together move.
			var writes int64
			if tg.srv != nil {
				writes = tg.srv.Stats().Writes
			}
			for _, tc := range []struct {
				fields         []ilms.ProfileField
				given, missing []string
			}{
				{[]ilms.ProfileField{{Key: "F019", Value: "Region 1"}}, []string{"F019"}, []string{"F020", "F021"}},
				{[]ilms.ProfileField{{Key: "F007", Value: "Lead"}, {Key: "f020", Value: "Division 1"}, {Key: "F021", Value: "Department 1"}}, []string{"F020", "F021"}, []string{"F019"}},
			} {
				err := c.Users.Update(ctx, id, tc.fields)
				var he *ilms.HierarchyError
				if !errors.As(err, &he) || he.UserID != id || !slices.Equal(he.Given, tc.given) || !slices.Equal(he.Missing, tc.missing) {
					t.Errorf("Update(%v) = %v, want a *HierarchyError giving %v without %v", tc.fields, err, tc.given, tc.missing)
				}
			}
			if tg.srv != nil && tg.srv.Stats().Writes != writes {
				t.Errorf("a refused update reached the server")
			}
			u, _ = c.Users.Get(ctx, id)
			if u.Profile.F019 != names[0] || u.Profile.F007 != "Auditor" {
				t.Errorf("a partial hierarchy changed the user: %+v", u.Profile)
			}
			if tg.srv != nil {
				must(t, c.Users.Update(ctx, id, []ilms.ProfileField{{Key: "F019", Value: "Region 1"}, {Key: "F020", Value: "Division 1"}, {Key: "F021", Value: "Department 1"}}))
				u, _ = c.Users.Get(ctx, id)
				if u.Profile.F019 != "Region 1" || u.Profile.F021 != "Department 1" {
					t.Errorf("F019–F021 together did not move the user: %+v", u.Profile)
				}
			}
			wantStatus(t, c.Users.Update(ctx, id, []ilms.ProfileField{{Key: "F001", Value: ""}}), 400)
			wantStatus(t, c.Users.Update(ctx, 1, []ilms.ProfileField{{Key: "F007", Value: "x"}}), 404)
		})
		t.Run("Activate Inactivate Delete", func(t *testing.T) {
			status := func() string { u, err := c.Users.Get(ctx, id); must(t, err); return u.UserStatus }
			must(t, c.Users.Inactivate(ctx, id))
			if s := status(); s != "Inactive" {
				t.Errorf("after inactivate: %s", s)
			}
			active := all(t, c.Users.List(ilms.NewUserQuery().Exact("F015", email)))
			inactive := all(t, c.Users.List(ilms.NewUserQuery().Exact("F015", email).WithStatus("inactive")))
			if len(active) != 0 || len(inactive) != 1 {
				t.Errorf("userstatus filter: %d active, %d inactive; want 0 and 1", len(active), len(inactive))
			}
			must(t, c.Users.Activate(ctx, id))
			if s := status(); s != "Active" {
				t.Errorf("after activate: %s", s)
			}
			must(t, c.Users.ResetPassword(ctx, id, "s3cret-pass", true))
			wantStatus(t, c.Users.ResetPassword(ctx, id, "abc", false), 400)
			must(t, c.Users.Delete(ctx, id))
			if s := status(); s != "Deleted" {
				t.Errorf("after delete: %s", s)
			}
			if got := all(t, c.Users.List(ilms.NewUserQuery().Exact("F015", email).WithStatus("deleted"))); len(got) != 1 {
				t.Errorf("deleted user listed %d times with userstatus=deleted", len(got))
			}
			must(t, c.Users.Purge(ctx, id))
			_, err := c.Users.Get(ctx, id)
			wantStatus(t, err, 404)
		})
	})
}

func TestContractUserSearch(t *testing.T) {
	each(t, false, func(t *testing.T, tg target) {
		c := tg.c
		users := all(t, c.Users.List(nil))
		if len(users) < 3 {
			t.Skip("too few users")
		}
		for i := 1; i < len(users); i++ {
			if strings.ToLower(users[i-1].Profile.F003) > strings.ToLower(users[i].Profile.F003) {
				t.Fatalf("default order is not F003 ascending: %q before %q", users[i-1].Profile.F003, users[i].Profile.F003)
			}
		}
		for _, u := range users {
			if u.UserStatus != "Active" {
				t.Fatalf("default list holds a %s user", u.UserStatus)
			}
		}
		desc := all(t, c.Users.List(ilms.NewUserQuery().SortBy("F003", true)))
		if len(desc) != len(users) || strings.ToLower(desc[0].Profile.F003) < strings.ToLower(desc[len(desc)-1].Profile.F003) {
			t.Errorf("sort=-F003 did not reverse the order")
		}
		probe := users[len(users)/2].Profile
		last := probe.F003
		check := func(name string, q *ilms.UserQuery, pred func(ilms.Profile) bool) {
			got := all(t, c.Users.List(q))
			want := 0
			for _, u := range users {
				if pred(u.Profile) {
					want++
				}
			}
			if len(got) != want || want == 0 {
				t.Errorf("%s: %d users, want %d (>0)", name, len(got), want)
			}
			for _, u := range got {
				if !pred(u.Profile) {
					t.Errorf("%s returned %s %s", name, u.Profile.F001, u.Profile.F003)
				}
			}
		}
		lower := strings.ToLower
		check("exact", ilms.NewUserQuery().Exact("F003", last), func(p ilms.Profile) bool { return lower(p.F003) == lower(last) })
		check("contains", ilms.NewUserQuery().Contains("F003", last[1:3]), func(p ilms.Profile) bool { return strings.Contains(lower(p.F003), lower(last[1:3])) })
		check("starts with", ilms.NewUserQuery().StartsWith("F003", last[:2]), func(p ilms.Profile) bool { return strings.HasPrefix(lower(p.F003), lower(last[:2])) })
		check("ends with", ilms.NewUserQuery().EndsWith("F003", last[len(last)-2:]), func(p ilms.Profile) bool { return strings.HasSuffix(lower(p.F003), lower(last[len(last)-2:])) })
		check("two fields", ilms.NewUserQuery().Exact("F003", last).Exact("F019", probe.F019), func(p ilms.Profile) bool {
			return lower(p.F003) == lower(last) && lower(p.F019) == lower(probe.F019)
		})
		from, to := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2015, 12, 31, 23, 59, 59, 0, time.UTC)
		check("date range", ilms.NewUserQuery().Between("F005", from, to), func(p ilms.Profile) bool {
			return p.F005 != nil && !p.F005.Before(from) && !p.F005.After(to)
		})
		check("on or after", ilms.NewUserQuery().Between("F005", from, time.Time{}), func(p ilms.Profile) bool { return p.F005 != nil && !p.F005.Before(from) })

		groups := all(t, c.Groups.List(""))
		var gids []int64
		members := map[int64]bool{}
		for _, g := range groups[:min(2, len(groups))] {
			gids = append(gids, g.ID)
			for _, m := range all(t, c.Groups.Members(g.ID, ilms.Sort{})) {
				if m.UserStatus == "Active" {
					members[m.ID] = true
				}
			}
		}
		inGroups := all(t, c.Users.List(ilms.NewUserQuery().InGroups(gids...)))
		if len(inGroups) != len(members) {
			t.Errorf("groupids=%v: %d users, want the %d active members", gids, len(inGroups), len(members))
		}
		for _, u := range inGroups {
			if !members[u.ID] {
				t.Errorf("groupids returned %d, not a member", u.ID)
			}
		}
		everyone := all(t, c.Users.List(ilms.NewUserQuery().WithStatus("active", "inactive", "deleted")))
		if len(everyone) <= len(users) && tg.srv != nil {
			t.Errorf("all statuses: %d users, active only: %d", len(everyone), len(users))
		}
	})
}

func TestContractPagination(t *testing.T) {
	each(t, false, func(t *testing.T, tg target) {
		c := tg.c
		_, resp, err := c.Users.List(nil).PerPage(1).Page(bg(t), 1)
		must(t, err)
		total := resp.TotalCount
		if total < 3 {
			t.Skip("too few users")
		}
		if resp.NextPage != 2 || resp.LastPage != total || resp.FirstPage != 0 || resp.PrevPage != 0 {
			t.Errorf("page 1 of %d: first %d prev %d next %d last %d", total, resp.FirstPage, resp.PrevPage, resp.NextPage, resp.LastPage)
		}
		_, resp, err = c.Users.List(nil).PerPage(1).Page(bg(t), total)
		must(t, err)
		if resp.NextPage != 0 || resp.LastPage != 0 || resp.FirstPage != 1 || resp.PrevPage != total-1 {
			t.Errorf("last page: first %d prev %d next %d last %d", resp.FirstPage, resp.PrevPage, resp.NextPage, resp.LastPage)
		}
		want := all(t, c.Users.List(nil))
		for _, per := range []int{1, 7, total, total - 1, 100} {
			got := all(t, c.Users.List(nil).PerPage(per))
			if len(got) != len(want) {
				t.Fatalf("per_page %d: %d users, want %d", per, len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("per_page %d: user %d is %d, want %d", per, i, got[i].ID, want[i].ID)
				}
			}
		}
		none := all(t, c.Users.List(ilms.NewUserQuery().Exact("F015", "nobody.at.all@nowhere.example")))
		if len(none) != 0 {
			t.Errorf("empty search returned %d", len(none))
		}
	})
}

func TestContractGroups(t *testing.T) {
	each(t, true, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		fx := discover(t, c)
		groups := all(t, c.Groups.List(""))
		desc := all(t, c.Groups.List("-name"))
		if len(groups) != len(desc) || groups[0].ID != desc[len(desc)-1].ID {
			t.Errorf("sort=-name is not the reverse of the default order")
		}
		for i := 1; i < len(groups); i++ {
			if strings.ToLower(groups[i-1].Name) > strings.ToLower(groups[i].Name) {
				t.Errorf("groups not by name: %q before %q", groups[i-1].Name, groups[i].Name)
			}
		}
		g, err := c.Groups.Get(ctx, fx.group.ID)
		must(t, err)
		if !reflect.DeepEqual(*g, fx.group) {
			t.Errorf("Get %+v, List said %+v", g, fx.group)
		}
		_, err = c.Groups.Get(ctx, 999999999)
		wantStatus(t, err, 404)

		uid, _ := newUser(t, c, "group.member."+time.Now().Format("150405.000")+"@example.com")
		isMember := func() bool {
			for _, m := range all(t, c.Groups.Members(g.ID, ilms.Sort{})) {
				if m.ID == uid {
					return true
				}
			}
			return false
		}
		must(t, c.Groups.AddMember(ctx, g.ID, uid))
		if !isMember() {
			t.Error("added member not listed")
		}
		wantStatus(t, c.Groups.AddMember(ctx, g.ID, uid), 400)
		g2, _ := c.Groups.Get(ctx, g.ID)
		if g2.NumberOfUsers != g.NumberOfUsers+1 {
			t.Errorf("NumberOfUsers %d after adding one to %d", g2.NumberOfUsers, g.NumberOfUsers)
		}
		must(t, c.Groups.RemoveMember(ctx, g.ID, uid))
		if isMember() {
			t.Error("removed member still listed")
		}
		wantStatus(t, c.Groups.RemoveMember(ctx, g.ID, uid), 404)

		onList := func(p *ilms.Pager[ilms.User]) bool {
			for _, u := range all(t, p) {
				if u.ID == uid {
					return true
				}
			}
			return false
		}
		must(t, c.Groups.AddToInclusionList(ctx, g.ID, uid))
		if !onList(c.Groups.InclusionList(g.ID, nil)) || !isMember() {
			t.Error("inclusion list: user not listed or not a member")
		}
		must(t, c.Groups.AddToExclusionList(ctx, g.ID, uid))
		if !onList(c.Groups.ExclusionList(g.ID, nil)) || isMember() {
			t.Error("exclusion list: user not listed, or still a member")
		}
		must(t, c.Groups.RemoveFromExclusionList(ctx, g.ID, uid))
		must(t, c.Groups.RemoveFromInclusionList(ctx, g.ID, uid))
		if onList(c.Groups.InclusionList(g.ID, nil)) || onList(c.Groups.ExclusionList(g.ID, nil)) {
			t.Error("removed from the lists but still listed")
		}
		wantStatus(t, c.Groups.RemoveFromInclusionList(ctx, g.ID, uid), 404)
		must(t, c.Groups.Refresh(ctx, g.ID))

		hasCourse := func() *ilms.GroupCourse {
			for _, gc := range all(t, c.Groups.Courses(g.ID, "")) {
				if gc.ID == fx.course.ID {
					return &gc
				}
			}
			return nil
		}
		if hasCourse() != nil {
			must(t, c.Groups.RemoveCourse(ctx, g.ID, fx.course.ID))
		}
		must(t, c.Groups.AddCourse(ctx, g.ID, fx.course.ID))
		wantStatus(t, c.Groups.AddCourse(ctx, g.ID, fx.course.ID), 400)
		days := 21
		must(t, c.Groups.SetCourseSettings(ctx, g.ID, fx.course.ID, ilms.GroupCourseSettings{RequirementType: "optional", DefaultDueDateSettings: ilms.DueDateSettings{DaysAfterEnrollment: &days}}))
		gc := hasCourse()
		if gc == nil || gc.DefaultRequirementType != "Optional" || gc.DefaultDueDateSettings.DaysAfterEnrollment == nil || *gc.DefaultDueDateSettings.DaysAfterEnrollment != 21 {
			t.Errorf("group course after settings: %+v", gc)
		}
		bad := 1000
		wantStatus(t, c.Groups.SetCourseSettings(ctx, g.ID, fx.course.ID, ilms.GroupCourseSettings{RequirementType: "optional", DefaultDueDateSettings: ilms.DueDateSettings{DaysAfterEnrollment: &bad}}), 400)
		wantStatus(t, c.Groups.SetCourseSettings(ctx, g.ID, fx.course.ID, ilms.GroupCourseSettings{RequirementType: "sometimes"}), 400)
		must(t, c.Groups.RemoveCourse(ctx, g.ID, fx.course.ID))
		if hasCourse() != nil {
			t.Error("removed course still listed")
		}
	})
}

func TestContractHierarchy(t *testing.T) {
	each(t, true, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		uid, names := newUser(t, c, "hier."+time.Now().Format("150405.000")+"@example.com")
		var region, division, department ilms.Unit
		for _, r := range all(t, c.Hierarchy.Regions()) {
			if r.Name == names[0] {
				region = r
			}
		}
		for _, d := range all(t, c.Hierarchy.Divisions(region.ID)) {
			if d.Name == names[1] {
				division = d
			}
		}
		for _, d := range all(t, c.Hierarchy.Departments(region.ID, division.ID)) {
			if d.Name == names[2] {
				department = d
			}
		}
		if region.ID == 0 || division.ID == 0 || department.ID == 0 || region.NumberOfUsers != 1 || department.NumberOfUsers != 1 {
			t.Fatalf("created units not listed with their user: %+v %+v %+v", region, division, department)
		}
		_, err := c.Hierarchy.CreateRegion(ctx, names[0])
		wantStatus(t, err, 400)
		_, err = c.Hierarchy.CreateRegion(ctx, "Bad: name?")
		wantStatus(t, err, 400)
		must(t, c.Hierarchy.RenameRegion(ctx, region.ID, names[0]+" East"))
		must(t, c.Hierarchy.RenameDivision(ctx, region.ID, division.ID, names[1]+" East"))
		must(t, c.Hierarchy.RenameDepartment(ctx, region.ID, division.ID, department.ID, names[2]+" East"))
		u, _ := c.Users.Get(ctx, uid)
		if u.Profile.F019 != names[0]+" East" || u.Profile.F020 != names[1]+" East" || u.Profile.F021 != names[2]+" East" {
			t.Errorf("renames not seen on the user: %q %q %q", u.Profile.F019, u.Profile.F020, u.Profile.F021)
		}
		wantStatus(t, c.Hierarchy.DeleteDepartment(ctx, region.ID, division.ID, department.ID), 400)
		must(t, c.Users.Purge(ctx, uid))
		must(t, c.Hierarchy.DeleteDepartment(ctx, region.ID, division.ID, department.ID))
		must(t, c.Hierarchy.DeleteDivision(ctx, region.ID, division.ID))
		must(t, c.Hierarchy.DeleteRegion(ctx, region.ID))
		wantStatus(t, c.Hierarchy.RenameRegion(ctx, region.ID, "x"), 404)
		if _, _, err := c.Hierarchy.Divisions(region.ID).Page(ctx, 1); ilms.StatusCode(err) != 404 {
			t.Errorf("divisions of a deleted region: %v", err)
		}
	})
}

func TestContractCourses(t *testing.T) {
	each(t, true, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		fx := discover(t, c)
		courses := all(t, c.Courses.List(ilms.CourseListOptions{}))
		for i := 1; i < len(courses); i++ {
			if strings.ToLower(courses[i-1].Name) > strings.ToLower(courses[i].Name) {
				t.Errorf("courses not by name: %q before %q", courses[i-1].Name, courses[i].Name)
			}
		}
		for _, co := range all(t, c.Courses.List(ilms.CourseListOptions{CourseType: ilms.CourseTypeILT})) {
			if co.Type != "ILT" {
				t.Errorf("courseType=ILT returned a %s course", co.Type)
			}
		}
		if tg.srv != nil {
			hist := all(t, c.Courses.List(ilms.CourseListOptions{IncludeHistorical: true}))
			if len(hist) <= len(courses) {
				t.Errorf("includeHistorical added nothing (%d vs %d)", len(hist), len(courses))
			}
			if got := all(t, c.Courses.List(ilms.CourseListOptions{Search: "phishing"})); len(got) < 2 {
				t.Errorf("search=phishing found %d courses, want the one named so and the one with the keyword", len(got))
			}
			events := all(t, c.Courses.List(ilms.CourseListOptions{CourseType: ilms.CourseTypeEvents}))
			if len(events) == 0 || events[0].Type != "Event" {
				t.Errorf("courseType=EVENTS: %+v", events)
			}
		}
		desc := all(t, c.Courses.List(ilms.CourseListOptions{Sort: "-name"}))
		if len(desc) != len(courses) || desc[0].ID != courses[len(courses)-1].ID {
			t.Error("sort=-name is not the reverse")
		}
		got, err := c.Courses.Get(ctx, fx.course.ID)
		must(t, err)
		if !reflect.DeepEqual(*got, fx.course) {
			t.Errorf("Get %+v, List said %+v", got, fx.course)
		}
		_, err = c.Courses.Get(ctx, "nOsUchId")
		wantStatus(t, err, 404)
		due, err := c.Courses.DueDate(ctx, fx.course.ID)
		must(t, err)
		if (due.DaysAfterEnrollment == nil) != (fx.course.DefaultDueDateSettings.DaysAfterEnrollment == nil) {
			t.Errorf("duedate %+v differs from the course's %+v", due, fx.course.DefaultDueDateSettings)
		}
		fixed := ilms.DatePtr(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))
		must(t, c.Courses.SetDueDate(ctx, fx.course.ID, ilms.DueDateSettings{DefaultDueDate: fixed}))
		due, _ = c.Courses.DueDate(ctx, fx.course.ID)
		if due.DefaultDueDate == nil || !due.DefaultDueDate.Equal(fixed.Time) || due.DaysAfterEnrollment != nil {
			t.Errorf("due date after set: %+v", due)
		}
		for _, n := range []int{0, 1000} {
			wantStatus(t, c.Courses.SetDueDate(ctx, fx.course.ID, ilms.DueDateSettings{DaysAfterEnrollment: &n}), 400)
		}
		must(t, c.Courses.Inactivate(ctx, fx.course.ID))
		if co, _ := c.Courses.Get(ctx, fx.course.ID); co.Status != "Inactive" {
			t.Errorf("status after inactivate: %s", co.Status)
		}
		must(t, c.Courses.Activate(ctx, fx.course.ID))
		if co, _ := c.Courses.Get(ctx, fx.course.ID); co.Status != "Active" {
			t.Errorf("status after activate: %s", co.Status)
		}
	})
}

func TestContractCurriculaAndSessions(t *testing.T) {
	each(t, true, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		fx := discover(t, c)
		word := strings.Fields(fx.curriculum.Name)[0]
		for _, cur := range all(t, c.Curricula.List(word)) {
			if !strings.Contains(strings.ToLower(cur.Name), strings.ToLower(word)) {
				t.Errorf("name=%s returned %q", word, cur.Name)
			}
		}
		got, err := c.Curricula.Get(ctx, fx.curriculum.ID)
		must(t, err)
		if got.ID != fx.curriculum.ID || got.Name != fx.curriculum.Name {
			t.Errorf("Get %+v", got)
		}
		days := 15
		must(t, c.Curricula.SetDueDate(ctx, fx.curriculum.ID, ilms.DueDateSettings{DaysAfterEnrollment: &days}))
		got, _ = c.Curricula.Get(ctx, fx.curriculum.ID)
		if got.DefaultDueDateSettings.DaysAfterEnrollment == nil || *got.DefaultDueDateSettings.DaysAfterEnrollment != 15 {
			t.Errorf("curriculum due date after set: %+v", got.DefaultDueDateSettings)
		}

		sessions := all(t, c.Sessions.List(fx.ilt.ID, ilms.SessionListOptions{}))
		for i := 1; i < len(sessions); i++ {
			if sessions[i-1].StartDateTime.After(sessions[i].StartDateTime.Time) {
				t.Errorf("sessions not by start date")
			}
		}
		from, to := sessions[0].StartDateTime.Time, sessions[len(sessions)-1].EndDateTime.Time
		mid := sessions[len(sessions)/2].StartDateTime.Time
		for _, ss := range all(t, c.Sessions.List(fx.ilt.ID, ilms.SessionListOptions{StartDate: mid, Sort: "-sessionstartdate"})) {
			if ss.StartDateTime.Before(mid) {
				t.Errorf("sessionstartdate=%v returned a session starting %v", mid, ss.StartDateTime)
			}
		}
		if n := len(all(t, c.Sessions.List(fx.ilt.ID, ilms.SessionListOptions{StartDate: from, EndDate: to}))); n != len(sessions) {
			t.Errorf("the full range returned %d of %d sessions", n, len(sessions))
		}
		s, err := c.Sessions.Get(ctx, fx.ilt.ID, fx.session.SessionID)
		must(t, err)
		if s.SessionID != fx.session.SessionID || s.CourseID != fx.ilt.ID {
			t.Errorf("session %+v", s)
		}
		_, err = c.Sessions.Get(ctx, fx.ilt.ID, 1)
		wantStatus(t, err, 404)
	})
}

func TestContractEnrollmentsAndTranscripts(t *testing.T) {
	each(t, true, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		fx := discover(t, c)
		uid, _ := newUser(t, c, "learner."+time.Now().Format("150405.000")+"@example.com")
		enrolled := func(p *ilms.Pager[ilms.Enrollment]) *ilms.Enrollment {
			for _, e := range all(t, p) {
				if e.User.ID == uid {
					return &e
				}
			}
			return nil
		}
		// Course
		must(t, c.Enrollments.EnrollCourse(ctx, fx.course.ID, uid))
		e := enrolled(c.Enrollments.Course(fx.course.ID, ilms.EnrollmentListOptions{}))
		if e == nil || e.CourseStatus != "Not Started" || e.User.Profile_Basic.F015 == "" || e.EnrollmentDate == nil {
			t.Fatalf("enrollment: %+v", e)
		}
		wantStatus(t, c.Enrollments.EnrollCourse(ctx, fx.course.ID, uid), 400)

		tr, err := c.Transcripts.ForCourse(ctx, uid, fx.course.ID)
		must(t, err)
		if len(tr) != 1 || tr[0].Status != "Not Started" {
			t.Errorf("transcript for course: %+v", tr)
		}
		score := 80
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Score: &score}), 400)
		must(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "pass"}))
		tr, _ = c.Transcripts.ForCourse(ctx, uid, fx.course.ID)
		if tr[0].Status != "Pass" || !is(tr[0].Score, 100) || tr[0].CompletionDate == nil || tr[0].StartDate == nil {
			t.Errorf("pass with no dates should set today and 100: %+v", tr[0])
		}
		done := ilms.DatePtr(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))
		must(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "fail", Score: &score, CompletionDate: done, RequirementType: "optional"}))
		tr, _ = c.Transcripts.ForCourse(ctx, uid, fx.course.ID)
		if tr[0].Status != "Fail" || !is(tr[0].Score, 80) || !tr[0].CompletionDate.Equal(done.Time) || tr[0].RequirementType != "Optional" {
			t.Errorf("after fail with score: %+v", tr[0])
		}
		must(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "not started", StartDate: done, CompletionDate: done}))
		tr, _ = c.Transcripts.ForCourse(ctx, uid, fx.course.ID)
		if tr[0].Status != "Not Started" || tr[0].StartDate != nil || tr[0].CompletionDate != nil || tr[0].Score != nil && *tr[0].Score != 0 {
			t.Errorf("status not started has priority over dates and drops the score: %+v", tr[0])
		}
		// A score only with pass or fail; statuses only as the document
		// lists them.
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "not started", Score: &score}), 400)
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "waived", Score: &score}), 400)
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "waived", CompletionDate: done}), 400)
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "passed"}), 400)
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{StartDate: done}), 400)
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "finished"}), 400)
		big := 101
		wantStatus(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{Status: "pass", Score: &big}), 400)
		must(t, c.Transcripts.UpdateCourse(ctx, uid, fx.course.ID, ilms.TranscriptUpdate{ClearDueDate: true, Status: "waived"}))
		tr, _ = c.Transcripts.ForCourse(ctx, uid, fx.course.ID)
		if tr[0].Status != "Waived" || tr[0].DueDate != nil {
			t.Errorf("after waived and duedate null: %+v", tr[0])
		}

		// Curriculum: enrolling enrolls in its sub-courses too.
		must(t, c.Enrollments.EnrollCurriculum(ctx, fx.curriculum.ID, uid))
		if enrolled(c.Enrollments.Curriculum(fx.curriculum.ID, ilms.EnrollmentListOptions{})) == nil {
			t.Error("curriculum enrollment not listed")
		}
		all := map[string]bool{}
		trs, err := c.Transcripts.OfUser(ctx, uid)
		must(t, err)
		for _, x := range trs {
			all[x.CourseID] = true
		}
		for _, sub := range append([]string{fx.curriculum.ID, fx.course.ID}, fx.subCourses...) {
			if !all[sub] {
				t.Errorf("transcript lacks %s: %v", sub, all)
			}
		}
		must(t, c.Transcripts.UpdateCurriculum(ctx, uid, fx.curriculum.ID, ilms.TranscriptUpdate{Status: "pass"}))
		ctr, err := c.Transcripts.ForCurriculum(ctx, uid, fx.curriculum.ID)
		must(t, err)
		if len(ctr) != 1 || ctr[0].Status != "Pass" {
			t.Errorf("curriculum transcript: %+v", ctr)
		}
		must(t, c.Enrollments.UnenrollCurriculum(ctx, fx.curriculum.ID, uid))
		_, err = c.Transcripts.ForCurriculum(ctx, uid, fx.curriculum.ID)
		wantStatus(t, err, 404)

		// Session
		must(t, c.Enrollments.EnrollSession(ctx, fx.ilt.ID, fx.session.SessionID, uid))
		if enrolled(c.Enrollments.Session(fx.ilt.ID, fx.session.SessionID, ilms.EnrollmentListOptions{})) == nil {
			t.Error("session enrollment not listed")
		}
		st, err := c.Transcripts.ForSession(ctx, uid, fx.ilt.ID, fx.session.SessionID)
		must(t, err)
		if !is(st.SessionID, fx.session.SessionID) || st.SessionName == "" {
			t.Errorf("session transcript: %+v", st)
		}
		must(t, c.Transcripts.UpdateSession(ctx, uid, fx.ilt.ID, fx.session.SessionID, ilms.TranscriptUpdate{Status: "pass", Score: &score}))
		st, _ = c.Transcripts.ForSession(ctx, uid, fx.ilt.ID, fx.session.SessionID)
		if st.Status != "Pass" || !is(st.Score, 80) {
			t.Errorf("session transcript after pass: %+v", st)
		}
		must(t, c.Enrollments.UnenrollSession(ctx, fx.ilt.ID, fx.session.SessionID, uid))
		if enrolled(c.Enrollments.Session(fx.ilt.ID, fx.session.SessionID, ilms.EnrollmentListOptions{})) != nil {
			t.Error("un-enrolled user still in the session")
		}
		wantStatus(t, c.Enrollments.UnenrollSession(ctx, fx.ilt.ID, fx.session.SessionID, uid), 404)

		must(t, c.Enrollments.UnenrollCourse(ctx, fx.course.ID, uid))
		if enrolled(c.Enrollments.Course(fx.course.ID, ilms.EnrollmentListOptions{})) != nil {
			t.Error("un-enrolled user still listed")
		}
		wantStatus(t, c.Enrollments.UnenrollCourse(ctx, fx.course.ID, uid), 404)
		_, err = c.Transcripts.ForCourse(ctx, uid, fx.course.ID)
		wantStatus(t, err, 404)

		// Inactive users appear only when asked.
		must(t, c.Enrollments.EnrollCourse(ctx, fx.course.ID, uid))
		must(t, c.Users.Inactivate(ctx, uid))
		if enrolled(c.Enrollments.Course(fx.course.ID, ilms.EnrollmentListOptions{})) != nil {
			t.Error("an inactive user is listed without includeInactiveUsers")
		}
		if enrolled(c.Enrollments.Course(fx.course.ID, ilms.EnrollmentListOptions{IncludeInactiveUsers: true})) == nil {
			t.Error("includeInactiveUsers=true does not list the inactive user")
		}
		wantStatus(t, c.Enrollments.EnrollCurriculum(ctx, fx.curriculum.ID, uid), 400)
	})
}

func TestContractSummaryReport(t *testing.T) {
	each(t, false, func(t *testing.T, tg target) {
		c, ctx := tg.c, bg(t)
		fx := discover(t, c)
		count := func(p *ilms.Pager[ilms.Enrollment]) ilms.SummaryRow {
			var r ilms.SummaryRow
			for _, e := range all(t, p) {
				r.Enrolled++
				switch e.CourseStatus {
				case "Not Started":
					r.NotStarted++
				case "In Progress":
					r.InProgress++
				case "Pass":
					r.Passed++
				case "Fail":
					r.Failed++
				case "Waived":
					r.Waived++
				}
			}
			return r
		}
		same := func(name string, got, want ilms.SummaryRow) {
			if got.Enrolled != want.Enrolled || got.NotStarted != want.NotStarted || got.InProgress != want.InProgress ||
				got.Passed != want.Passed || got.Failed != want.Failed || got.Waived != want.Waived {
				t.Errorf("%s: report %+v, enrollments say %+v", name, got, want)
			}
		}
		rows, err := c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: fx.course.ID})
		must(t, err)
		if len(rows) != 1 || rows[0].CourseID != fx.course.ID || rows[0].CourseType != fx.course.Type {
			t.Fatalf("course report: %+v", rows)
		}
		same("course", rows[0], count(c.Enrollments.Course(fx.course.ID, ilms.EnrollmentListOptions{})))
		withInactive, _ := c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: fx.course.ID, IncludeInactiveUsers: true})
		same("course with inactive", withInactive[0], count(c.Enrollments.Course(fx.course.ID, ilms.EnrollmentListOptions{IncludeInactiveUsers: true})))

		rows, err = c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: fx.curriculum.ID})
		must(t, err)
		if rows[0].CourseType != "Curriculum" || len(rows) != 1+len(fx.subCourses) {
			t.Fatalf("curriculum report: %+v", rows)
		}
		same("curriculum", rows[0], count(c.Enrollments.Curriculum(fx.curriculum.ID, ilms.EnrollmentListOptions{})))
		for _, r := range rows[1:] {
			if r.ParentCurriculumIDOfCourse != fx.curriculum.ID || r.ParentCurriculumNameOfCourse != fx.curriculum.Name {
				t.Errorf("sub-course row without its parent: %+v", r)
			}
		}

		rows, err = c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: fx.ilt.ID})
		must(t, err)
		sessions := all(t, c.Sessions.List(fx.ilt.ID, ilms.SessionListOptions{}))
		if rows[0].CourseType != "ILT" || len(rows) != 1+len(sessions) {
			t.Fatalf("ILT report: %d rows for %d sessions", len(rows), len(sessions))
		}
		same("ILT", rows[0], count(c.Enrollments.Course(fx.ilt.ID, ilms.EnrollmentListOptions{})))
		for _, r := range rows[1:] {
			if r.CourseType != "Session" || r.SessionID == 0 || r.SessionName == "" {
				t.Errorf("session row: %+v", r)
			}
			same("session", r, count(c.Enrollments.Session(fx.ilt.ID, r.SessionID, ilms.EnrollmentListOptions{})))
		}
		one, err := c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: fx.ilt.ID, SessionID: fx.session.SessionID})
		must(t, err)
		if len(one) != 1 || one[0].SessionID != fx.session.SessionID {
			t.Errorf("sessionid report: %+v", one)
		}
		_, err = c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: "nOsUchId"})
		wantStatus(t, err, 404)
	})
}

func TestContractAuthentication(t *testing.T) {
	each(t, false, func(t *testing.T, tg target) {
		for name, o := range map[string]ilms.Options{
			"wrong key": {OrgID: tg.c.OrgID(), Credentials: ilms.Credentials{APILoginID: "x", TransactionKey: "wrong"}},
			"other org": {OrgID: "12345", Credentials: ilms.Credentials{APILoginID: os.Getenv("ILMS_API_LOGIN_ID"), TransactionKey: os.Getenv("ILMS_TRANSACTION_KEY")}},
			"no key":    {OrgID: tg.c.OrgID()},
		} {
			if tg.srv != nil && name == "other org" {
				o.Credentials = ilms.Credentials{APILoginID: tg.srv.APILoginID(), TransactionKey: tg.srv.TransactionKey()}
			}
			o.BaseURL = tg.url
			c, err := ilms.NewClient(o)
			must(t, err)
			_, err = c.Groups.Get(bg(t), 2)
			if !ilms.IsUnauthorized(err) {
				t.Errorf("%s: err = %v, want 401", name, err)
			}
		}
	})
}

// TestSandboxStatusCodes checks the answers only a raw request can provoke.
func TestSandboxStatusCodes(t *testing.T) {
	tg := newSandbox(t, sandbox.Options{}, func(st *sandbox.State) { st.DisabledFeatures = []string{"reports"} })
	do := func(method, path, contentType, body, orgHeader string) *http.Response {
		req, _ := http.NewRequest(method, tg.url+path, strings.NewReader(body))
		req.Header.Set("APILoginID", tg.srv.APILoginID())
		req.Header.Set("TransactionKey", tg.srv.TransactionKey())
		req.Header.Set("OrgID", orgHeader)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		return resp
	}
	for _, tc := range []struct {
		name                        string
		method, path, ct, body, org string
		want                        int
	}{
		{"xml body", "POST", "/organizations/99999/regions", "application/xml", "<name>x</name>", "99999", 415},
		{"form body", "PUT", "/organizations/99999/regions/13306", "application/x-www-form-urlencoded", "name=x", "99999", 415},
		{"JSON body", "PUT", "/organizations/99999/regions/13306", "Application/JSON; charset=utf-8", `{"name":"Region One"}`, "99999", 204},
		{"OrgID header differs from path", "GET", "/organizations/99999/groups", "", "", "12345", 401},
		{"unknown path", "GET", "/organizations/99999/widgets", "", "", "99999", 404},
		{"not under organizations", "GET", "/users", "", "", "99999", 404},
		{"method not allowed", "PATCH", "/organizations/99999/users/517244", "", "", "99999", 405},
		{"feature disabled", "GET", "/organizations/99999/reports/enrollmentssummary?courseid=p1gyJg4a", "", "", "99999", 403},
		{"malformed JSON", "POST", "/organizations/99999/regions", "application/json", `{"name":`, "99999", 400},
		{"bad page", "GET", "/organizations/99999/users?page=0", "", "", "99999", 400},
		{"bad sort", "GET", "/organizations/99999/users?sort=F005", "", "", "99999", 400},
		{"bad userstatus", "GET", "/organizations/99999/users?userstatus=gone", "", "", "99999", 400},
		{"case-insensitive path", "GET", "/organizations/99999/courses/p1gyJg4a/DUEDATE", "", "", "99999", 200},
		{"transcript by query", "PUT", "/organizations/99999/users/123456/transcripts?courseid=fO1uIKJO", "application/json", `{"status":"pass"}`, "99999", 204},
		{"inactivate by the URL line", "DELETE", "/organizations/99999/courses/p1gyJg4a", "", "", "99999", 204},
		{"curriculum DueDate as printed", "PUT", "/organizations/99999/curriculum/dHg6Kdl8/DueDate", "application/json", `{"DefaultDueDate":null,"DaysAfterEnrollment":5}`, "99999", 204},
		{"curricula DueDate, printed nowhere", "PUT", "/organizations/99999/curricula/dHg6Kdl8/DueDate", "application/json", `{"DefaultDueDate":null,"DaysAfterEnrollment":5}`, "99999", 404},
		{"group course settings with /settings", "PUT", "/organizations/99999/groups/345/groupcourses/Wert98k/settings", "application/json", `{"RequirementType":"mandatory","DefaultDueDateSettings":{"DefaultDueDate":null,"DaysAfterEnrollment":30}}`, "99999", 204},
		{"group course settings as the curl example", "PUT", "/organizations/99999/groups/345/groupcourses/Wert98k", "application/json", `{"RequirementType":"mandatory","DefaultDueDateSettings":{"DefaultDueDate":null,"DaysAfterEnrollment":30}}`, "99999", 204},
		{"transcript by query names no session", "PUT", "/organizations/99999/users/123456/transcripts?courseid=iiOYhg6E&sessionid=517378", "application/json", `{"status":"pass"}`, "99999", 400},
		{"transcript status passed", "PUT", "/organizations/99999/users/123456/transcripts?courseid=fO1uIKJO", "application/json", `{"status":"passed"}`, "99999", 400},
		{"transcript waived with a score", "PUT", "/organizations/99999/users/123456/courses/fO1uIKJO/transcripts", "application/json", `{"status":"waived","score":"80"}`, "99999", 400},
		{"update body is the array", "PUT", "/organizations/99999/users/517244", "application/json", `{"userProfileData":[{"Key":"F007","Value":"x"}]}`, "99999", 400},
		{"due date both set", "PUT", "/organizations/99999/courses/p1gyJg4a/DueDate", "application/json", `{"DefaultDueDate":"2027-01-01T00:00:00","DaysAfterEnrollment":5}`, "99999", 400},
		{"due date key missing", "PUT", "/organizations/99999/courses/p1gyJg4a/DueDate", "application/json", `{"DaysAfterEnrollment":5}`, "99999", 400},
	} {
		if got := do(tc.method, tc.path, tc.ct, tc.body, tc.org).StatusCode; got != tc.want {
			t.Errorf("%s: %s %s answered %d, want %d", tc.name, tc.method, tc.path, got, tc.want)
		}
	}
}
