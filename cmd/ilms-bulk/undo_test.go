package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// sandboxState is what an undo must put back, read from the sandbox itself:
// every user as JSON, each group's members and lists as sets, every
// enrollment as JSON.
type sandboxState struct {
	users       map[int64]string
	status      map[int64]string
	groups      map[int64]string
	enrollments map[string]string
}

func stateOf(srv *sandbox.Server) sandboxState {
	st := srv.Snapshot()
	s := sandboxState{users: map[int64]string{}, status: map[int64]string{}, groups: map[int64]string{}, enrollments: map[string]string{}}
	for _, u := range st.Users {
		b, _ := json.Marshal(u)
		s.users[u.ID], s.status[u.ID] = string(b), u.Status
	}
	for _, g := range st.Groups {
		lists := [][]int64{slices.Clone(g.Manual), slices.Clone(g.Include), slices.Clone(g.Exclude), slices.Clone(g.Members)}
		for _, l := range lists {
			slices.Sort(l)
		}
		s.groups[g.ID] = fmt.Sprint(lists)
	}
	for _, e := range st.Enrollments {
		b, _ := json.Marshal(e)
		s.enrollments[fmt.Sprintf("%d %s %d", e.UserID, e.CourseID, e.SessionID)] = string(b)
	}
	return s
}

// TestUndoPutsTheOrganizationBack: undo of an import that created,
// updated, grouped, enrolled and inactivated people brings the sandbox
// back to its state before the import, field by field: the users it
// created inactive, everyone else as they were; except a user changed
// since the import, which it reports stale and leaves alone. Undoing the
// undo redoes.
func TestUndoPutsTheOrganizationBack(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "cohort.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Job Title,City,Status,Groups,Courses,Region,Division,Department\n"+
		"NH-1,Nora,Hale,nora.hale@example.com,Analyst,Austin,,New Hires 2026;Leadership,p1gyJg4a,Region 1,Division 1,Department 1\n"+
		"NH-2,Omar,Reyes,omar.reyes@example.com,Clerk,Dallas,,New Hires 2026,,Region 1,Division 1,Department 1\n"+
		"Emp003,,,,Senior Analyst,Evanston,,Compliance Champions,wqivr6aA,,,\n"+ // updated, grouped, enrolled
		"Emp004,,,,,,inactive,,,,,\n"+ // inactivated
		"Emp005,,,,Team Lead,,,,,,,\n"), 0o644) // changed after the import: stale
	before := stateOf(srv)
	run := filepath.Join(dir, "import")
	if code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", run); code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	imported := stateOf(srv)
	var created []int64
	for id := range imported.users {
		if _, ok := before.users[id]; !ok {
			created = append(created, id)
		}
	}
	if len(created) != 2 || imported.status[444038] != "Inactive" {
		t.Fatalf("the import created %v and left user 444038 %s", created, imported.status[444038])
	}
	// Someone changes Emp005 after the import.
	if err := c.Users.Update(context.Background(), 12345, []ilms.ProfileField{{Key: "F007", Value: "Director"}}); err != nil {
		t.Fatal(err)
	}
	changed := stateOf(srv).users[12345]

	undo := filepath.Join(dir, "undo")
	code, _, stderr := runCmd(t, "undo", run, "--rate", "unlimited", "--out", undo)
	if code != ExitPartial { // the stale row
		t.Fatalf("undo: exit %d, want %d\n%s", code, ExitPartial, stderr)
	}
	outcomes := column(readResults(t, undo), 2)
	if want := []string{"undone", "undone", "undone", "undone", "stale"}; !slices.Equal(outcomes, want) {
		t.Fatalf("undo: %v, want %v\n%s", outcomes, want, stderr)
	}
	after := stateOf(srv)
	for id, u := range before.users {
		want := u
		if id == 12345 {
			want = changed // stale: left as it is now
		}
		if after.users[id] != want {
			t.Errorf("user %d after the undo:\n%s\nbefore the import:\n%s", id, after.users[id], want)
		}
	}
	for _, id := range created {
		if after.status[id] != "Inactive" {
			t.Errorf("created user %d is %s after the undo, want Inactive", id, after.status[id])
		}
	}
	for id, g := range before.groups {
		if after.groups[id] != g {
			t.Errorf("group %d after the undo: %s, before the import: %s", id, after.groups[id], g)
		}
	}
	if len(after.enrollments) != len(before.enrollments) {
		t.Errorf("%d enrollments after the undo, %d before the import", len(after.enrollments), len(before.enrollments))
	}
	for k, e := range before.enrollments {
		if after.enrollments[k] != e {
			t.Errorf("enrollment %s after the undo: %s, before: %s", k, after.enrollments[k], e)
		}
	}
	stale := readResults(t, undo)[4]
	if !strings.Contains(stale[5], "changed since the run") || !strings.Contains(stale[5], "Director") {
		t.Errorf("the stale row says %q", stale[5])
	}

	// Undoing the undo redoes what it undid: the import's changes are
	// back (the created users active again).
	redo := filepath.Join(dir, "redo")
	if code, _, stderr := runCmd(t, "undo", undo, "--rate", "unlimited", "--max-deactivations", "100%", "--out", redo); code != ExitOK {
		t.Fatalf("undo of the undo: exit %d\n%s", code, stderr)
	}
	again := stateOf(srv)
	for _, id := range append(created, 123456, 444038) {
		if again.status[id] != imported.status[id] || !strings.Contains(again.users[id], `"F007"`) && strings.Contains(imported.users[id], `"F007"`) {
			t.Errorf("user %d after the redo: %s; after the import: %s", id, again.users[id], imported.users[id])
		}
	}
	if again.users[123456] != imported.users[123456] || again.groups[404] != imported.groups[404] {
		t.Errorf("the redo did not bring back the import's changes to user 123456")
	}
}

// TestUndoPlanThenApply: an undo is planned first (--plan-out, sending
// nothing) and the plan applied later, as any plan.
func TestUndoPlanThenApply(t *testing.T) {
	srv, _ := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "u.csv")
	os.WriteFile(file, []byte("Employee ID,Job Title,Groups\nEmp001,Regional Manager,Compliance Champions\n"), 0o644)
	before := stateOf(srv)
	run := filepath.Join(dir, "import")
	if code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", run); code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	plan := filepath.Join(dir, "undo.plan.json")
	srv.ResetStats()
	code, _, stderr := runCmd(t, "undo", run, "--plan-out", plan, "--rate", "unlimited", "--out", filepath.Join(dir, "undo-plan"))
	if code != ExitOK || srv.Stats().Writes != 0 {
		t.Fatalf("undo --plan-out: exit %d, %d writes\n%s", code, srv.Stats().Writes, stderr)
	}
	code, out, _ := runCmd(t, "plan", "show", plan)
	if code != ExitOK || !strings.Contains(out, "update F007 Job Title: Regional Manager → Manager") || !strings.Contains(out, "remove from group 404") {
		t.Errorf("plan show of the undo:\n%s", out)
	}
	if code, _, stderr := runCmd(t, "apply", plan, "--out", filepath.Join(dir, "apply")); code != ExitOK {
		t.Fatalf("apply of the undo's plan: exit %d\n%s", code, stderr)
	}
	after := stateOf(srv)
	if after.users[517244] != before.users[517244] || after.groups[404] != before.groups[404] {
		t.Errorf("after applying the undo's plan, user 517244 is %s (before the import %s), group 404 %s (before %s)",
			after.users[517244], before.users[517244], after.groups[404], before.groups[404])
	}
}

// TestUndoTranscripts: undo puts a transcript's status, score and dates
// back as they were, field by field; a transcript that was In Progress
// is reported as one that cannot be undone.
func TestUndoTranscripts(t *testing.T) {
	srv, _ := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "t.csv")
	os.WriteFile(file, []byte("Email,Course ID,Status,Score,Completion Date,Due Date\n"+
		"jane.roe@email.com,fO1uIKJO,pass,91,2026-03-04,2026-04-01\n"+ // Not Started before
		"jane.roe@email.com,wqivr6aA,fail,40,,\n"), 0o644) // Pass 88 before
	before := stateOf(srv)
	run := filepath.Join(dir, "import")
	if code, _, stderr := runCmd(t, "import", "transcripts", file, "--rate", "unlimited", "--out", run); code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	if stateOf(srv).enrollments["123456 fO1uIKJO 0"] == before.enrollments["123456 fO1uIKJO 0"] {
		t.Fatal("the import changed nothing")
	}
	undo := filepath.Join(dir, "undo")
	code, _, stderr := runCmd(t, "undo", run, "--rate", "unlimited", "--out", undo)
	rows := readResults(t, undo)
	// The completion date the run set where there was none cannot be
	// cleared: the row says so, and the rest is put back.
	if code != ExitPartial || !slices.Equal(column(rows, 2), []string{"cannot undo", "undone"}) || !strings.Contains(rows[0][5], "cannot undo the completion date") {
		t.Fatalf("undo: exit %d, %v\n%s", code, rows, stderr)
	}
	after := stateOf(srv)
	if after.enrollments["123456 wqivr6aA 0"] != before.enrollments["123456 wqivr6aA 0"] {
		t.Errorf("wqivr6aA after the undo:\n%s\nbefore:\n%s", after.enrollments["123456 wqivr6aA 0"], before.enrollments["123456 wqivr6aA 0"])
	}
	var was, now map[string]any
	json.Unmarshal([]byte(before.enrollments["123456 fO1uIKJO 0"]), &was)
	json.Unmarshal([]byte(after.enrollments["123456 fO1uIKJO 0"]), &now)
	for _, k := range []string{"status", "score", "due_date", "start_date"} {
		if fmt.Sprint(was[k]) != fmt.Sprint(now[k]) {
			t.Errorf("fO1uIKJO %s after the undo: %v, before: %v", k, now[k], was[k])
		}
	}
}

// TestUndoOfAUserCreatedInactive: a user the run created inactive stays
// inactive when the run is undone (the create is undone as a whole).
func TestUndoOfAUserCreatedInactive(t *testing.T) {
	_, c := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "u.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Status,Region,Division,Department\nIN-1,Ina,Active,ina@example.com,inactive,Region 1,Division 1,Department 1\n"), 0o644)
	run := filepath.Join(dir, "import")
	if code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", run); code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	id, _ := strconv.ParseInt(readResults(t, run)[0][3], 10, 64)
	if code, _, stderr := runCmd(t, "undo", run, "--rate", "unlimited", "--out", filepath.Join(dir, "undo")); code != ExitOK {
		t.Fatalf("undo: exit %d\n%s", code, stderr)
	}
	if u, err := c.Users.Get(context.Background(), id); err != nil || u.UserStatus != "Inactive" {
		t.Errorf("user %d after the undo: %+v %v; want inactive", id, u, err)
	}
}
