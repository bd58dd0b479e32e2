package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// testSandbox serves a fresh seed sandbox in-process and points the
// environment at it, as a user's shell would.
func testSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Server, *ilms.Client) {
	t.Helper()
	srv, c, url := sandboxtest.Serve(t, sandboxtest.Options{Sandbox: opts})
	pointAt(t, srv, url)
	return srv, c
}

// useSandbox serves srv and points the environment at it, as a user's
// shell would; it returns the base URL.
func useSandbox(t testing.TB, srv *sandbox.Server) string {
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	pointAt(t, srv, hs.URL)
	return hs.URL
}

// pointAt points the environment at the sandbox srv served at url.
func pointAt(t testing.TB, srv *sandbox.Server, url string) {
	for k, v := range map[string]string{
		"ILMS_BASE_URL": url, "ILMS_ORG_ID": srv.OrgID(), "ILMS_API_LOGIN_ID": srv.APILoginID(), "ILMS_TRANSACTION_KEY": srv.TransactionKey(),
		"XDG_CONFIG_HOME": t.TempDir(),
	} {
		t.Setenv(k, v)
	}
}

// usersFile writes n new people (apart from the sandbox's staff), a third
// of them in groups and enrolled in courses and an ILT session.
func usersFile(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "people.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	rows := 0
	err = synth.GenerateUsers(synth.Rekeyed(rowCollector(func(r []string) {
		rows++
		if rows == 1 {
			w.Write(append(append([]string(nil), r...), "Groups", "Courses"))
			return
		}
		groups, courses := "", ""
		switch rows % 3 {
		case 0:
			groups, courses = "New Hires 2026", "fO1uIKJO"
		case 1:
			groups, courses = "Compliance Champions;Leadership", "pyOgaoli/4901;Code of Conduct"
		}
		w.Write(append(r, groups, courses))
	}), "T-%05d", ".t"), n, 0, 77)
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f.Close()
	return path
}

// person is what the org holds of one user, without what iLMS assigns
// (IDs, registration date), for comparing two organizations.
type person struct {
	Status  string
	Profile map[string]string
	Groups  []string
	Courses []string
}

// orgState reads every user whose email ends in suffix, with the groups
// and courses the test files use.
func orgState(t *testing.T, c *ilms.Client, suffix string) map[string]person {
	t.Helper()
	ctx := context.Background()
	out := map[string]person{}
	ids := map[int64]string{}
	q := ilms.NewUserQuery().EndsWith("F015", suffix).WithStatus("active", "inactive", "deleted")
	for u, err := range c.Users.List(q).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		email := strings.ToLower(u.Profile.F015)
		if _, dup := out[email]; dup {
			t.Errorf("%s exists twice", email)
		}
		p := person{Status: u.UserStatus, Profile: map[string]string{}}
		for _, code := range []string{"F001", "F002", "F003", "F004", "F005", "F006", "F007", "F010", "F011", "F012", "F013", "F014", "F017", "F019", "F020", "F021", "F022", "F023", "F033", "F034"} {
			p.Profile[code] = u.Profile.Get(code)
		}
		out[email] = p
		ids[u.ID] = email
	}
	add := func(id int64, f func(*person)) {
		if email, ok := ids[id]; ok {
			p := out[email]
			f(&p)
			out[email] = p
		}
	}
	for _, g := range []int64{345, 404, 407} {
		for u, err := range c.Groups.Members(g, ilms.Sort{}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			add(u.ID, func(p *person) { p.Groups = append(p.Groups, fmt.Sprint(g)) })
		}
	}
	for _, course := range []string{"fO1uIKJO", "i4pkE0es", "pyOgaoli"} {
		for e, err := range c.Enrollments.Course(course, ilms.EnrollmentListOptions{IncludeInactiveUsers: true}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			name := course
			if e.SessionID != nil {
				name += fmt.Sprintf("/%d", *e.SessionID)
			}
			add(e.User.ID, func(p *person) { p.Courses = append(p.Courses, name) })
		}
	}
	for k, p := range out {
		sort.Strings(p.Groups)
		sort.Strings(p.Courses)
		out[k] = p
	}
	return out
}

// readResults reads a run folder's results.csv, without its header.
func readResults(t *testing.T, dir string) [][]string {
	t.Helper()
	return readCSV(t, filepath.Join(dir, "results.csv"))[1:]
}

func outcomes(rows [][]string) map[string]int {
	m := map[string]int{}
	for _, r := range rows {
		m[r[2]]++
	}
	return m
}

// referenceState imports file into a fault-free sandbox: the state every
// other run of the file must reach.
func referenceState(t *testing.T, file string) map[string]person {
	t.Helper()
	_, c := testSandbox(t, sandbox.Options{})
	code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", t.TempDir(), "-q")
	if code != ExitOK {
		t.Fatalf("reference import: exit %d\n%s", code, stderr)
	}
	return orgState(t, c, ".t@example.com")
}

func TestImportUnderFaults(t *testing.T) {
	const n = 90
	file := usersFile(t, n)
	want := referenceState(t, file)
	if len(want) != n {
		t.Fatalf("the reference run made %d users of %d", len(want), n)
	}
	// A limit well under the ceiling: the run reaches it even after the
	// injected 503s (heard as load before the first 429) slowed its start.
	srv, c := testSandbox(t, sandbox.Options{FailRate: 0.1, Rate: 20, Latency: 5 * time.Millisecond, Seed: 3})
	dir := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", file, "--rate", "90", "--workers", "8", "--out", dir, "-q")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	st := srv.Stats()
	if st.Failed == 0 || st.RateLimited == 0 {
		t.Errorf("the faults did not happen: %+v", st)
	}
	if rows := readResults(t, dir); outcomes(rows)["created"] != n {
		t.Errorf("outcomes %v; want %d created", outcomes(rows), n)
	}
	checkFinished(t, dir, n, c, want)
	emails := map[string]int{}
	for _, u := range srv.Snapshot().Users {
		emails[strings.ToLower(u.Profile["F015"])]++
	}
	for e, k := range emails {
		if k > 1 {
			t.Errorf("%s was created %d times", e, k)
		}
	}
	t.Logf("sandbox: %d requests, %d injected failures, %d answered 429", st.Requests, st.Failed, st.RateLimited)
	// The run says how fast the server let it go: under its --rate 90,
	// at most the server's 20.
	var s report.Summary
	if b, err := os.ReadFile(filepath.Join(dir, "summary.json")); err != nil || json.Unmarshal(b, &s) != nil {
		t.Fatalf("summary.json: %v", err)
	}
	if p := s.Pace; p == nil || p.Asked != "90" || !p.LimitFound || p.ServerRate > 22 || p.ServerRate < 10 {
		t.Errorf("pace %+v, want a limit found of 10 to 22 a second, asked 90", p)
	}
}

func TestImportTwiceSendsNoWritesAndDryRunNone(t *testing.T) {
	file := usersFile(t, 30)
	srv, _ := testSandbox(t, sandbox.Options{})
	dry := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", file, "--dry-run", "--rate", "unlimited", "--out", dry)
	if code != ExitOK || srv.Stats().Writes != 0 {
		t.Fatalf("dry run: exit %d, %d writes\n%s", code, srv.Stats().Writes, stderr)
	}
	plan, _ := os.ReadFile(filepath.Join(dry, "plan.csv"))
	if o := outcomes(readCSV(t, filepath.Join(dry, "plan.csv"))[1:]); o["create"] != 30 || !strings.Contains(string(plan), "create; add to group") {
		t.Errorf("plan.csv:\n%s", plan)
	}
	if _, err := os.Stat(filepath.Join(dry, "journal.jsonl")); err == nil {
		t.Error("a dry run wrote a journal")
	}
	if code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", t.TempDir(), "-q"); code != ExitOK {
		t.Fatalf("first import: exit %d\n%s", code, stderr)
	}
	srv.ResetStats()
	again := t.TempDir()
	code, _, stderr = runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", again)
	if code != ExitOK {
		t.Fatalf("second import: exit %d\n%s", code, stderr)
	}
	if w := srv.Stats().Writes; w != 0 {
		t.Errorf("the second import sent %d write requests", w)
	}
	if o := outcomes(readResults(t, again)); o["unchanged"] != 30 {
		t.Errorf("second import outcomes %v", o)
	}
	srv.ResetStats()
	if code, _, _ := runCmd(t, "import", "users", file, "--dry-run", "--rate", "unlimited", "--out", t.TempDir(), "-q"); code != ExitOK || srv.Stats().Writes != 0 {
		t.Errorf("dry run after: exit %d, %d writes", code, srv.Stats().Writes)
	}
}

func TestImportUpdatesOnlyWhatChanged(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "changes.csv")
	os.WriteFile(file, []byte("Employee ID,Email,Job Title,Country,State,Department,Status,Middle Name\n"+
		"Emp001,john.doe@email.com,Director,us,tx,,,\n"+ // Texas as TX: unchanged; title changes
		"Emp002,demo.user@email.com,,US,NE,,inactive,\n"+ // status only
		"Emp003,jane.roe@email.com,Analyst,,,,,#clear\n"), 0o644) // nothing to clear, title same
	srv, c := testSandbox(t, sandbox.Options{})
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", out)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rows := readResults(t, out)
	want := []string{"updated", "updated", "unchanged"}
	for i, r := range rows {
		if r[2] != want[i] {
			t.Errorf("row %s: %s (%s), want %s", r[0], r[2], r[4], want[i])
		}
	}
	if !strings.Contains(rows[0][4], "update F007") || strings.Contains(rows[0][4], "F011") || rows[1][4] != "inactivate" {
		t.Errorf("actions: %q, %q", rows[0][4], rows[1][4])
	}
	u, _ := c.Users.Get(context.Background(), 517244)
	if u.Profile.F007 != "Director" || u.Profile.F011 != "United States" {
		t.Errorf("John Doe after: %+v", u.Profile)
	}
	if st := srv.Stats(); st.ByMethod["PUT"] != 1 || st.ByMethod["DELETE"] != 1 || st.ByMethod["POST"] != 0 {
		t.Errorf("requests %+v; want one PUT (the title) and one DELETE (inactivate)", st.ByMethod)
	}
	// Moving a department sends the three hierarchy fields together.
	move := filepath.Join(dir, "move.csv")
	os.WriteFile(move, []byte("Employee ID,Department,Division,Region\nEmp003,Special Projects,Projects,Central\n"), 0o644)
	if code, _, stderr := runCmd(t, "import", "users", move, "--rate", "unlimited", "--out", t.TempDir()); code != ExitOK {
		t.Fatalf("move: exit %d\n%s", code, stderr)
	}
	u, _ = c.Users.Get(context.Background(), 123456)
	if u.Profile.F019 != "Central" || u.Profile.F021 != "Special Projects" {
		t.Errorf("after the move: %s / %s / %s", u.Profile.F019, u.Profile.F020, u.Profile.F021)
	}
}

func TestImportHierarchyAndModes(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "new-place.csv")
	var b strings.Builder
	b.WriteString("First Name,Last Name,Email,Region,Division,Department\n")
	for i := range 12 {
		fmt.Fprintf(&b, "P%d,Q,p%d.q@example.com,Pacific,Ops,Dept %d\n", i, i, i%2)
	}
	os.WriteFile(file, []byte(b.String()), 0o644)
	srv, c := testSandbox(t, sandbox.Options{Latency: 2 * time.Millisecond})
	out := t.TempDir()
	code, _, _ := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", out)
	rows := readResults(t, out)
	if code != ExitPartial || outcomes(rows)["invalid"] != 12 || !strings.Contains(rows[0][5], "--create-hierarchy") {
		t.Fatalf("without --create-hierarchy: exit %d, %v %q", code, outcomes(rows), rows[0][5])
	}
	if code, _, stderr := runCmd(t, "import", "users", file, "--create-hierarchy", "--workers", "8", "--rate", "unlimited", "--out", t.TempDir()); code != ExitOK {
		t.Fatalf("with --create-hierarchy: exit %d\n%s", code, stderr)
	}
	regions := 0
	for _, r := range srv.Snapshot().Regions {
		if r.Name == "Pacific" {
			regions++
			if len(r.Divisions) != 1 || len(r.Divisions[0].Departments) != 2 {
				t.Errorf("Pacific: %d divisions, departments %v", len(r.Divisions), r.Divisions)
			}
		}
	}
	if regions != 1 {
		t.Errorf("region Pacific created %d times by 8 workers", regions)
	}
	// create-only skips the known; update-only skips the unknown.
	os.WriteFile(file, []byte("First Name,Last Name,Email,Region,Division,Department\nP0,Changed,p0.q@example.com,Pacific,Ops,Dept 0\nNew,Person,new.person@example.com,Pacific,Ops,Dept 0\n"), 0o644)
	out = t.TempDir()
	runCmd(t, "import", "users", file, "--mode", "create-only", "--rate", "unlimited", "--out", out)
	if o := outcomes(readResults(t, out)); o["skipped"] != 1 || o["created"] != 1 {
		t.Errorf("create-only: %v", o)
	}
	out = t.TempDir()
	os.WriteFile(file, []byte("First Name,Last Name,Email,Region,Division,Department\nP1,Changed,p1.q@example.com,Pacific,Ops,Dept 1\nOther,Person,other.person@example.com,Pacific,Ops,Dept 0\n"), 0o644)
	runCmd(t, "import", "users", file, "--mode", "update-only", "--rate", "unlimited", "--out", out)
	if o := outcomes(readResults(t, out)); o["skipped"] != 1 || o["updated"] != 1 {
		t.Errorf("update-only: %v", o)
	}
	if u := orgState(t, c, "q@example.com")["p1.q@example.com"]; u.Profile["F003"] != "Changed" {
		t.Errorf("p1 after update-only: %+v", u)
	}
}

func TestImportAbortsOnBadCredentials(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	t.Setenv("ILMS_TRANSACTION_KEY", "not-the-key")
	file := usersFile(t, 3)
	code, _, stderr := runCmd(t, "import", "users", file, "--out", t.TempDir())
	if code != ExitAborted || !strings.Contains(stderr, "refused the credentials") || strings.Contains(stderr, "not-the-key") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

func TestImportEnrollmentsAndTranscripts(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	enr := filepath.Join(dir, "enrollments.csv")
	os.WriteFile(enr, []byte("Email,Course ID,Curriculum,Session ID,Action\n"+
		"sam.lee@email.com,p1gyJg4a,,,enroll\n"+
		"sam.lee@email.com,,Security,,\n"+ // a curriculum by name
		"sam.lee@email.com,pyOgaoli,,4901,enroll\n"+
		"alex.kim@email.com,i4pkE0es,,,unenroll\n"+
		"alex.kim@email.com,Course 99,,,enroll\n"+
		"nobody@example.com,p1gyJg4a,,,enroll\n"), 0o644)
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "enrollments", enr, "--rate", "unlimited", "--out", out)
	rows := readResults(t, out)
	want := []string{"enrolled", "enrolled", "enrolled", "unenrolled", "enrolled", "invalid"}
	for i, r := range rows {
		if r[2] != want[i] {
			t.Errorf("row %s: %s %q, want %s", r[0], r[2], r[5], want[i])
		}
	}
	if code != ExitPartial {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	srv.ResetStats()
	out = t.TempDir()
	runCmd(t, "import", "enrollments", enr, "--rate", "unlimited", "--out", out)
	if o := outcomes(readResults(t, out)); o["unchanged"] != 5 || srv.Stats().Writes != 0 {
		t.Errorf("second run: %v, %d writes", o, srv.Stats().Writes)
	}

	tr := filepath.Join(dir, "transcripts.csv")
	os.WriteFile(tr, []byte("Email,Course ID,Status,Score,Completion Date\n"+
		"sam.lee@email.com,p1gyJg4a,pass,88,2026-03-04\n"+
		"sam.lee@email.com,wqivr6aA,pass,90,2026-03-04\n"+ // not enrolled
		"jane.roe@email.com,wqivr6aA,pass,,\n"), 0o644) // already passed: unchanged
	out = t.TempDir()
	runCmd(t, "import", "transcripts", tr, "--rate", "unlimited", "--out", out)
	rows = readResults(t, out)
	if rows[0][2] != "updated" || rows[1][2] != "invalid" || !strings.Contains(rows[1][5], "--enroll-missing") || rows[2][2] != "unchanged" {
		t.Errorf("transcripts: %v", rows)
	}
	got, _ := c.Transcripts.ForCourse(context.Background(), 444038, "p1gyJg4a")
	if len(got) != 1 || got[0].Status != "Pass" || got[0].Score == nil || *got[0].Score != 88 || got[0].CompletionDate.Format("2006-01-02") != "2026-03-04" {
		t.Errorf("transcript after: %+v", got)
	}
	out = t.TempDir()
	code, _, stderr = runCmd(t, "import", "transcripts", tr, "--enroll-missing", "--rate", "unlimited", "--out", out)
	if o := outcomes(readResults(t, out)); code != ExitOK || o["updated"] != 1 || o["unchanged"] != 2 {
		t.Errorf("--enroll-missing: exit %d %v\n%s", code, o, stderr)
	}
	srv.ResetStats()
	runCmd(t, "import", "transcripts", tr, "--rate", "unlimited", "--out", t.TempDir(), "-q")
	if w := srv.Stats().Writes; w != 0 {
		t.Errorf("re-importing transcripts sent %d writes", w)
	}
}

func TestImportSummaryAndSheets(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", cohortPath, "--rate", "unlimited", "--out", out)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"results.csv", "errors.csv", "results.xlsx", "errors.xlsx", "summary.json", "journal.jsonl"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("run folder lacks %s", f)
		}
	}
	var s map[string]any
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	json.Unmarshal(b, &s)
	for _, k := range []string{"total", "succeeded", "failed", "by_outcome", "requests_by_method", "elapsed_seconds", "input", "tool_version", "base_url", "org_id"} {
		if _, ok := s[k]; !ok {
			t.Errorf("summary.json lacks %s", k)
		}
	}
	if s["total"].(float64) != 25 || !strings.Contains(string(b), `"sha256": "`) {
		t.Errorf("summary %s", b)
	}
	for _, secret := range []string{"ggcyFzoFKxbUm+3DFd/N9Q=="} {
		for _, f := range []string{"results.csv", "errors.csv", "summary.json", "journal.jsonl"} {
			c, _ := os.ReadFile(filepath.Join(out, f))
			if strings.Contains(string(c), secret) {
				t.Errorf("%s holds the transaction key", f)
			}
		}
		if strings.Contains(stderr, secret) {
			t.Error("stderr holds the transaction key")
		}
	}
}

// TestImportFindsUsersByIDOrTheOtherKey: an ID column (an export's) names
// the user; a blank match key falls back on the other key.
func TestImportFindsUsersByIDOrTheOtherKey(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	file := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(file, []byte("ID,Employee ID,Email,First Name,Last Name,Job Title\n"+
		",,jane.roe@email.com,Jane,Roe,Analyst\n"+ // no employee ID: found by email, unchanged
		"517372,,dep@testiel.com,deepak,jain,Tester\n"+ // no employee ID in iLMS either: found by ID
		"517244,Emp001-X,john.doe@email.com,John,Doe,Manager\n"+ // found by ID: the employee ID changes
		"999999,Emp999,ghost@example.com,Gho,St,\n"+ // no such ID
		",,,No,Keys,\n"), 0o644)
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", out)
	if code != ExitPartial {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rows := readResults(t, out)
	want := []struct{ outcome, id, msg string }{
		{"unchanged", "123456", ""}, {"updated", "517372", ""}, {"updated", "517244", ""},
		{"invalid", "", "there is no user 999999 in iLMS"}, {"invalid", "", "is blank, and so is Email"},
	}
	for i, w := range want {
		if r := rows[i]; r[2] != w.outcome || r[3] != w.id || !strings.Contains(r[5], w.msg) {
			t.Errorf("row %s: %s %s %q, want %s %s %q", r[0], r[2], r[3], r[5], w.outcome, w.id, w.msg)
		}
	}
	u, err := c.Users.Get(context.Background(), 517244)
	if err != nil || u.Profile.F004 != "Emp001-X" {
		t.Errorf("John Doe's employee ID: %v %v", u, err)
	}
	if srv.Stats().Writes != 2 {
		t.Errorf("%d writes, want 2", srv.Stats().Writes)
	}
}

// TestEmptyImportSaysNothingToDo imports a file with a header and no rows:
// the run says there is nothing to do, in words, sends nothing, and still
// leaves its run folder.
func TestEmptyImportSaysNothingToDo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "empty.csv")
	if err := os.WriteFile(file, []byte("First Name,Last Name,Email ID,Region,Division,Department\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dry := range []bool{false, true} {
		env, requests := countingServer(t)
		out := filepath.Join(t.TempDir(), "run")
		args := []string{"import", "users", file, "--out", out}
		sheet := "results.csv"
		if dry {
			args, sheet = append(args, "--dry-run"), "plan.csv"
		}
		r := runBinary(t, env, args...)
		if r.code != 0 || !strings.Contains(r.stderr, "nothing to do") || strings.Contains(r.stderr, "— \n") {
			t.Errorf("dry run %v: exit %d, stderr %q; want 0 and nothing to do", dry, r.code, r.stderr)
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("dry run %v: %d requests for an empty file", dry, n)
		}
		for _, name := range []string{sheet, "summary.json"} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Errorf("dry run %v: %v", dry, err)
			}
		}
	}
}
