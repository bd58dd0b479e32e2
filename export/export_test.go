package export

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// counter is an OnRow that counts.
type counter struct{ n int }

func (c *counter) row() { c.n++ }

// everyone reads every user of the sandbox, of every status, straight
// from the API.
func everyone(t *testing.T, c *ilms.Client) []ilms.User {
	t.Helper()
	var us []ilms.User
	for u, err := range c.Users.List(ilms.NewUserQuery().WithStatus(ilms.StatusActive, ilms.StatusInactive, ilms.StatusDeleted)).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	if len(us) < 50 {
		t.Fatalf("the sandbox has %d users", len(us))
	}
	return us
}

func sortedIDs(ids []int64) []int64 { slices.Sort(ids); return ids }

func TestUsers(t *testing.T) {
	c := testClient(t, nil)
	var rows counter
	out := &memSink{}
	n, err := Users(context.Background(), c, UsersOptions{
		UserFilter: UserFilter{Statuses: []string{"active", "inactive"}, Where: []string{"Region=Region 1"}},
		Reading:    Reading{Workers: 4, OnRow: rows.row},
	}, out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.header, report.UserColumns()) {
		t.Errorf("header %q", out.header)
	}
	var want []int64
	for _, u := range everyone(t, c) {
		if u.UserStatus != "Deleted" && strings.Contains(strings.ToLower(u.Profile.F019), "region 1") {
			want = append(want, u.ID)
		}
	}
	var got []int64
	for _, r := range out.rows {
		got = append(got, r[0].(int64))
		if r[1] == "Deleted" {
			t.Errorf("user %v is deleted", r[0])
		}
	}
	if !slices.Equal(sortedIDs(got), sortedIDs(want)) || len(want) == 0 {
		t.Errorf("exported users %v, want %v", got, want)
	}
	if n != len(out.rows) || rows.n != n {
		t.Errorf("returned %d, wrote %d rows, OnRow called %d times", n, len(out.rows), rows.n)
	}
}

// TestUsersOfAGroup: the members of a group named by name, the columns
// asked for, headed by the document's names.
func TestUsersOfAGroup(t *testing.T) {
	c := testClient(t, nil)
	ctx := context.Background()
	out := &memSink{}
	if _, err := Users(ctx, c, UsersOptions{
		UserFilter: UserFilter{Groups: []string{"manager"}},
		Fields:     []string{"ID", "Employee ID", "first name", "UserStatus"},
		Headers:    HeaderNames,
	}, out); err != nil {
		t.Fatal(err)
	}
	if want := []string{"User ID", "Employee ID", "First Name", "Status"}; !slices.Equal(out.header, want) {
		t.Errorf("header %q, want %q", out.header, want)
	}
	var want []int64
	for u, err := range c.Groups.Members(3, ilms.Sort{}).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus == "Active" {
			want = append(want, u.ID)
		}
	}
	var got []int64
	for _, r := range out.rows {
		got = append(got, r[0].(int64))
		if len(r) != 4 {
			t.Errorf("row %v has %d values", r, len(r))
		}
	}
	if !slices.Equal(sortedIDs(got), sortedIDs(want)) || len(want) == 0 {
		t.Errorf("exported %v, the group's active members are %v", got, want)
	}
}

// ownSummary reads the summary report's own row of a course or
// curriculum (not a sub-course's or a session's), or of a session.
func ownSummary(t *testing.T, c *ilms.Client, course string, session int64, inactive bool) ilms.SummaryRow {
	t.Helper()
	rows, err := c.Reports.EnrollmentSummary(context.Background(), ilms.SummaryOptions{CourseID: course, SessionID: session, IncludeInactiveUsers: inactive})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.CourseID == course && r.ParentCurriculumIDOfCourse == "" && r.SessionID == session {
			return r
		}
	}
	t.Fatalf("the summary of %s/%d has no row of its own: %+v", course, session, rows)
	return ilms.SummaryRow{}
}

// TestEnrollmentsCountAsTheSummary: each course's, curriculum's and
// session's rows are as many as the summary report says are enrolled.
func TestEnrollmentsCountAsTheSummary(t *testing.T) {
	c := testClient(t, nil)
	for _, tc := range []struct {
		name string
		opts EnrollmentsOptions
	}{
		{"named", EnrollmentsOptions{CourseFilter: CourseFilter{Courses: []string{"Course 99"}, Curricula: []string{"h0IHluoD"}, Sessions: []string{"iiOYhg6E/1234"}, IncludeInactive: true}}},
		{"all", EnrollmentsOptions{All: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rows counter
			tc.opts.Reading = Reading{Workers: 3, OnRow: rows.row}
			out := &memRecords[report.EnrollmentRecord]{}
			n, err := Enrollments(context.Background(), c, tc.opts, out)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(out.records) || rows.n != n || n == 0 {
				t.Errorf("returned %d, wrote %d records, OnRow called %d times", n, len(out.records), rows.n)
			}
			// Records of one target are together, in the order of the targets.
			var order []string
			count := map[string]int{}
			for _, r := range out.records {
				k := r.CourseID
				if r.SessionID != "" {
					k += "/" + r.SessionID
				}
				if len(order) == 0 || order[len(order)-1] != k {
					order = append(order, k)
				}
				count[k]++
			}
			if tc.name == "named" && !slices.Equal(order, []string{"meOexN1A", "h0IHluoD", "iiOYhg6E/1234"}) {
				t.Errorf("targets in the order %q", order)
			}
			for k, got := range count {
				course, session, _ := strings.Cut(k, "/")
				var sid int64
				fmt.Sscan(session, &sid)
				if want := ownSummary(t, c, course, sid, tc.opts.IncludeInactive); got != want.Enrolled {
					t.Errorf("%s: %d rows, the summary report says %d enrolled", k, got, want.Enrolled)
				}
			}
		})
	}
}

// TestTranscripts exports the transcripts of users named every way, one
// of them nobody: the others are exported, in the order named, and the
// unknown key is said before any transcript is read and in the error.
func TestTranscripts(t *testing.T) {
	var mu sync.Mutex
	var transcriptReads, beforeUnknown int
	unknownSaid := false
	c := testClient(t, func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if strings.Contains(r.URL.Path, "/transcript") {
			transcriptReads++
		}
	})
	ctx := context.Background()
	keys := []string{"sam.lee@email.com", "nobody@example.com", "123456", "Emp005"}
	out := &memRecords[report.TranscriptRecord]{}
	n, err := Transcripts(ctx, c, TranscriptsOptions{Users: keys, Reading: Reading{Workers: 3}, OnUnknown: func(key string) {
		mu.Lock()
		defer mu.Unlock()
		if key != "nobody@example.com" {
			t.Errorf("OnUnknown(%q)", key)
		}
		unknownSaid, beforeUnknown = true, transcriptReads
	}}, out)
	var unknown *UnknownUsersError
	if !errors.As(err, &unknown) || !slices.Equal(unknown.Keys, []string{"nobody@example.com"}) {
		t.Fatalf("error %v, want the unknown user", err)
	}
	if !unknownSaid || beforeUnknown != 0 {
		t.Errorf("OnUnknown called: %v, after %d transcript reads", unknownSaid, beforeUnknown)
	}
	var wantUsers []int64
	want := 0
	for _, k := range []string{"sam.lee@email.com", "123456", "Emp005"} {
		u, err := findUser(ctx, c, k)
		if err != nil || u == nil {
			t.Fatalf("%s: %v %v", k, u, err)
		}
		ts, err := c.Transcripts.OfUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) > 0 {
			wantUsers = append(wantUsers, u.ID)
		}
		want += len(ts)
	}
	var gotUsers []int64
	for _, r := range out.records {
		if len(gotUsers) == 0 || gotUsers[len(gotUsers)-1] != r.UserID {
			gotUsers = append(gotUsers, r.UserID)
		}
	}
	if n != want || len(out.records) != want || !slices.Equal(gotUsers, wantUsers) {
		t.Errorf("%d lines (returned %d) of users %v; the API has %d lines of users %v", len(out.records), n, gotUsers, want, wantUsers)
	}
}

// TestTranscriptsOfAFilter: without named users, the users the filter
// chooses; deleted users have no transcript lines.
func TestTranscriptsOfAFilter(t *testing.T) {
	c := testClient(t, nil)
	out := &memRecords[report.TranscriptRecord]{}
	n, err := Transcripts(context.Background(), c, TranscriptsOptions{UserFilter: UserFilter{Statuses: []string{"deleted"}}}, out)
	if err != nil || n != 0 || len(out.records) != 0 {
		t.Errorf("deleted users: %d lines, %v", n, err)
	}
	n, err = Transcripts(context.Background(), c, TranscriptsOptions{UserFilter: UserFilter{Where: []string{"F015=jane.roe@email.com"}}}, out)
	if err != nil || n == 0 {
		t.Fatalf("%d lines, %v", n, err)
	}
	for _, r := range out.records {
		if r.Email != "jane.roe@email.com" {
			t.Errorf("a line of %s", r.Email)
		}
	}
}

// TestSummary: the report of each target in the order named, a
// curriculum with its courses, an ILT course with its sessions.
func TestSummary(t *testing.T) {
	c := testClient(t, nil)
	var rows counter
	out := &memRecords[report.SummaryRecord]{}
	opts := SummaryOptions{CourseFilter: CourseFilter{Curricula: []string{"dHg6Kdl8"}, Courses: []string{"pyOgaoli", "Course 99"}, IncludeInactive: true},
		Reading: Reading{Workers: 3, OnRow: rows.row}}
	n, err := Summary(context.Background(), c, opts, out)
	if err != nil {
		t.Fatal(err)
	}
	var want []report.SummaryRecord
	for _, id := range []string{"pyOgaoli", "meOexN1A", "dHg6Kdl8"} {
		rs, err := c.Reports.EnrollmentSummary(context.Background(), ilms.SummaryOptions{CourseID: id, IncludeInactiveUsers: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			want = append(want, report.NewSummaryRecord(r))
		}
	}
	if !slices.Equal(out.records, want) || n != len(want) || rows.n != n {
		t.Errorf("summary rows (%d, OnRow %d):\n%+v\nwant\n%+v", n, rows.n, out.records, want)
	}
	sessions, subCourses := 0, 0
	for _, r := range out.records {
		if r.SessionID != "" {
			sessions++
		}
		if r.ParentID == "dHg6Kdl8" {
			subCourses++
		}
	}
	if sessions == 0 || subCourses == 0 {
		t.Errorf("%d session rows, %d rows of the curriculum's courses", sessions, subCourses)
	}
}

// userGet is the path of Get User.
var userGet = regexp.MustCompile(`/users/(\d+)$`)

// TestCompliance: every enrollment of every course and curriculum, and
// the full profile of each overdue user, read once however many courses
// they are overdue in.
func TestCompliance(t *testing.T) {
	var mu sync.Mutex
	gets := map[string]int{}
	c := testClient(t, func(r *http.Request) {
		if m := userGet.FindStringSubmatch(r.URL.Path); m != nil && r.Method == http.MethodGet {
			mu.Lock()
			gets[m[1]]++
			mu.Unlock()
		}
	})
	ctx := context.Background()
	overdue, err := report.NewCompliance(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), report.ComplianceInfo{})
	if err != nil {
		t.Fatal(err)
	}
	wb := &memWorkbook{overdue: overdue}
	var rows counter
	n, err := Compliance(ctx, c, ComplianceOptions{Reading: Reading{Workers: 4, OnRow: rows.row}}, wb)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(wb.added) || rows.n != n {
		t.Errorf("returned %d, added %d, OnRow called %d times", n, len(wb.added), rows.n)
	}
	known, err := CourseFilter{}.load(ctx, c, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	targets := known.Targets()
	if len(wb.courses) != len(targets) {
		t.Errorf("%d courses added, the organization has %d", len(wb.courses), len(targets))
	}
	perCourse := map[string]int{}
	overdueUsers := map[int64]int{}
	for _, a := range wb.added {
		perCourse[a.course]++
		switch {
		case overdue.Overdue(&a.e) && (a.u == nil || a.u.ID != a.e.User.ID):
			t.Errorf("%s: overdue user %d without their profile (%v)", a.course, a.e.User.ID, a.u)
		case !overdue.Overdue(&a.e) && a.u != nil:
			t.Errorf("%s: user %d is not overdue, yet was read", a.course, a.e.User.ID)
		case a.u != nil:
			overdueUsers[a.u.ID]++
		}
	}
	for _, tg := range targets {
		if want := ownSummary(t, c, tg.ID, 0, false); perCourse[tg.ID] != want.Enrolled {
			t.Errorf("%s: %d enrollments, the summary report says %d", tg.ID, perCourse[tg.ID], want.Enrolled)
		}
	}
	twice := false
	for id, k := range overdueUsers {
		twice = twice || k > 1
		if g := gets[fmt.Sprint(id)]; g != 1 {
			t.Errorf("user %d, overdue %d times, was read %d times", id, k, g)
		}
	}
	if len(overdueUsers) == 0 || !twice {
		t.Errorf("overdue users %v: the seed should have one overdue in two courses", overdueUsers)
	}
}
