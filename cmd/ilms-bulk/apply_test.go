package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// writeLog records the write requests a sandbox is sent: method, path and
// body.
type writeLog struct {
	mu   sync.Mutex
	reqs []string
}

func (l *writeLog) wrap(srv *sandbox.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			l.mu.Lock()
			l.reqs = append(l.reqs, r.Method+" "+r.URL.Path+" "+string(body))
			l.mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	})
}

func (l *writeLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	slices.Sort(out)
	return out
}

// readPlan reads a plan file's rows.
func readPlan(t *testing.T, path string) (*pipeline.PlanFile, []*pipeline.PlannedRow) {
	t.Helper()
	p, err := pipeline.OpenPlan(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var rows []*pipeline.PlannedRow
	for {
		r, err := p.Next()
		if err == io.EOF {
			return p, rows
		} else if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
}

// TestPlanThenApply: a saved plan holds every change as old → new and no
// password; applying it sends exactly its requests, leaves a record
// changed since as stale and untouched; a second apply sends nothing.
func TestPlanThenApply(t *testing.T) {
	var log writeLog
	srv, c, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: log.wrap})
	pointAt(t, srv, url)
	dir := t.TempDir()
	file := filepath.Join(dir, "cohort.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Job Title,City,Password,Groups,Region,Division,Department\n"+
		"Emp001,John,Doe,john.doe@email.com,Regional Manager,,,Leadership,,,\n"+ // update, and a group
		"Emp003,,,,,Evanston,,,,,\n"+ // changed in iLMS before the apply: stale
		"P-1,Pat,New,pat.new@example.com,Analyst,Austin,S3cret-Passw0rd!,Leadership,Region 1,Division 1,Department 1\n"+ // create, password, group
		"Emp004,,,,,,,,,,\n"), 0o644) // unchanged
	plan := filepath.Join(dir, "cohort.plan.json")
	code, _, stderr := runCmd(t, "import", "users", file, "--plan-out", plan, "--rate", "unlimited", "--out", filepath.Join(dir, "plan-run"))
	if code != ExitOK || len(log.take()) != 0 {
		t.Fatalf("plan: exit %d, or it sent writes\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "plan saved: "+plan) {
		t.Errorf("the dry run does not say where the plan is: %s", stderr)
	}
	st, err := os.Stat(plan)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("plan file: %v, mode %v; want 0600", err, st.Mode().Perm())
	}
	b, _ := os.ReadFile(plan)
	if bytes.Contains(b, []byte("S3cret")) {
		t.Fatal("the plan holds the password")
	}
	_, rows := readPlan(t, plan)
	if len(rows) != 4 {
		t.Fatalf("the plan has %d rows, want 4", len(rows))
	}
	var outcomes []string
	for _, r := range rows {
		outcomes = append(outcomes, string(r.Outcome))
	}
	if want := []string{"updated", "updated", "created", "unchanged"}; !slices.Equal(outcomes, want) {
		t.Fatalf("planned %v, want %v", outcomes, want)
	}
	if a := rows[0].Actions[0]; a.Op != pipeline.OpUpdate || len(a.Changes) != 1 || a.Changes[0].Old != "Manager" || a.Changes[0].New != "Regional Manager" {
		t.Errorf("row 2's update: %+v", a)
	}

	// plan show: the counts, then each change as old → new.
	code, out, _ := runCmd(t, "plan", "show", plan)
	for _, want := range []string{"rows            4: 1 create, 1 unchanged, 2 update", "update F007 Job Title: Manager → Regional Manager", "update F010 City: Chicago → Evanston", "set F016 Password: (set from the input file)"} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("plan show lacks %q:\n%s", want, out)
		}
	}

	// Someone changes Emp003 between the plan and the apply.
	ctx := context.Background()
	if err := c.Users.Update(ctx, 123456, []ilms.ProfileField{{Key: "F007", Value: "Director"}}); err != nil {
		t.Fatal(err)
	}
	log.take()

	run := filepath.Join(dir, "apply-run")
	code, _, stderr = runCmd(t, "apply", plan, "--out", run)
	if code != ExitPartial {
		t.Fatalf("apply: exit %d, want %d (a row stale)\n%s", code, ExitPartial, stderr)
	}
	results := readCSV(t, filepath.Join(run, "results.csv"))[1:]
	got := map[string]string{}
	for _, r := range results {
		got[r[0]] = r[2]
	}
	if want := map[string]string{"2": "updated", "3": "stale", "4": "created", "5": "unchanged"}; !mapsEqual(got, want) {
		t.Fatalf("apply results %v, want %v", got, want)
	}
	// Exactly the planned requests: one per action of the rows that
	// were not stale (row 2's update, row 4's create and group).
	sent := log.take()
	planned := 0
	for _, r := range rows {
		if r.Line != 3 {
			planned += len(r.Actions)
		}
	}
	want := []string{
		"POST /organizations/99999/groups/407/members ",
		"POST /organizations/99999/users ",
		"PUT /organizations/99999/users/517244 ",
	}
	if len(sent) != planned || len(sent) != len(want) {
		t.Fatalf("apply sent %d writes, want the plan's %d:\n%s", len(sent), planned, strings.Join(sent, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(sent[i], w) {
			t.Errorf("write %d: %s, want %s…", i, sent[i], w)
		}
	}
	if !strings.Contains(strings.Join(sent, "\n"), "Regional Manager") || !strings.Contains(strings.Join(sent, "\n"), "S3cret-Passw0rd!") {
		t.Errorf("the writes lack the planned values:\n%s", strings.Join(sent, "\n"))
	}
	var u ilms.User
	if err := getUser(c, 123456, &u); err != nil || u.Profile.F010 != "Chicago" || u.Profile.F007 != "Director" {
		t.Errorf("the stale user was touched: %+v, %v", u.Profile, err)
	}
	var sum struct {
		Plan struct {
			Path, Decision string
			Applied        struct{ Path, SHA256 string }
		} `json:"plan"`
	}
	b, _ = os.ReadFile(filepath.Join(run, "summary.json"))
	if json.Unmarshal(b, &sum); sum.Plan.Applied.Path != plan || sum.Plan.Decision != "applied" || sum.Plan.Path != filepath.Join(run, "plan.json") {
		t.Errorf("summary.json plan: %+v", sum.Plan)
	}

	// Applied twice: nothing is sent.
	code, _, stderr = runCmd(t, "apply", plan, "--out", filepath.Join(dir, "again"))
	if sent := log.take(); len(sent) != 0 {
		t.Errorf("the second apply sent %d writes:\n%s\n%s", len(sent), strings.Join(sent, "\n"), stderr)
	}
	// Row 2 is as the plan has it; the user row 4 creates exists now,
	// which makes it stale, as row 3 still is.
	again := readCSV(t, filepath.Join(dir, "again", "results.csv"))[1:]
	wantAgain := map[string]string{"2": "unchanged", "3": "stale", "4": "stale", "5": "unchanged"}
	for _, r := range again {
		if r[2] != wantAgain[r[0]] {
			t.Errorf("second apply, row %s: %s %s; want %s", r[0], r[2], r[5], wantAgain[r[0]])
		}
	}
	if r := again[2]; !strings.Contains(r[5], "the plan creates this user, and iLMS has them now (user "+r[3]+")") {
		t.Errorf("row 4's message: %s", r[5])
	}
	if code != ExitPartial {
		t.Errorf("second apply: exit %d", code)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func getUser(c *ilms.Client, id int64, u *ilms.User) error {
	got, err := c.Users.Get(context.Background(), id)
	if err == nil {
		*u = *got
	}
	return err
}

// TestApplyRefusesAPlanForElsewhere: a plan applies only to the org and
// server it was made for, while it is fresh and its file unchanged;
// each refusal exits 2 having sent nothing.
func TestApplyRefusesAPlanForElsewhere(t *testing.T) {
	srv, _, url := sandboxtest.Serve(t, sandboxtest.Options{})
	pointAt(t, srv, url)
	dir := t.TempDir()
	file := filepath.Join(dir, "u.csv")
	os.WriteFile(file, []byte("Employee ID,Job Title\nEmp001,Regional Manager\n"), 0o644)
	plan := filepath.Join(dir, "p.json")
	if code, _, stderr := runCmd(t, "import", "users", file, "--plan-out", plan, "--rate", "unlimited", "--out", filepath.Join(dir, "r")); code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	other, _, otherURL := sandboxtest.Serve(t, sandboxtest.Options{})
	cases := []struct {
		name string
		env  map[string]string
		args []string
		edit func()
		want string
	}{
		{"another org", map[string]string{"ILMS_ORG_ID": "12345"}, nil, nil, "made for organization 99999 at " + url + ", and this run is connected to organization 12345"},
		{"another server", map[string]string{"ILMS_BASE_URL": otherURL}, nil, nil, "a plan applies only where it was made"},
		{"too old", nil, []string{"--max-age", "1ns"}, nil, "more than --max-age 1ns allows"},
		{"input changed", nil, nil, func() { os.WriteFile(file, []byte("Employee ID,Job Title\nEmp001,CEO\n"), 0o644) }, "the input file has changed since the plan was made"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if tc.edit != nil {
				tc.edit()
			}
			before, beforeOther := srv.Stats().Requests, other.Stats().Requests
			code, _, stderr := runCmd(t, append([]string{"apply", plan, "--out", t.TempDir()}, tc.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tc.want)
			}
			if srv.Stats().Requests != before || other.Stats().Requests != beforeOther {
				t.Errorf("a refused plan sent requests")
			}
		})
	}
}

// TestApplyDryRunAndReplan: apply --dry-run says what applying now would
// do and sends nothing; --replan applies a row changed since the plan as
// it is planned now.
func TestApplyDryRunAndReplan(t *testing.T) {
	var log writeLog
	srv, c, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: log.wrap})
	pointAt(t, srv, url)
	dir := t.TempDir()
	file := filepath.Join(dir, "u.csv")
	os.WriteFile(file, []byte("Employee ID,Job Title,City\nEmp001,Regional Manager,\nEmp003,,Evanston\n"), 0o644)
	plan := filepath.Join(dir, "p.json")
	if code, _, stderr := runCmd(t, "import", "users", file, "--plan-out", plan, "--rate", "unlimited", "--out", filepath.Join(dir, "plan")); code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	if err := c.Users.Update(context.Background(), 123456, []ilms.ProfileField{{Key: "F007", Value: "Director"}}); err != nil {
		t.Fatal(err)
	}
	log.take()
	dry := filepath.Join(dir, "dry")
	code, _, stderr := runCmd(t, "apply", plan, "--dry-run", "--out", dry)
	if got := column(readCSV(t, filepath.Join(dry, "plan.csv"))[1:], 2); code != ExitPartial || !slices.Equal(got, []string{"update", "stale"}) || len(log.take()) != 0 {
		t.Fatalf("apply --dry-run: exit %d, %v, or it sent writes\n%s", code, got, stderr)
	}
	replan := filepath.Join(dir, "replan")
	code, _, stderr = runCmd(t, "apply", plan, "--replan", "--out", replan)
	rows := readResults(t, replan)
	if code != ExitOK || !slices.Equal(column(rows, 2), []string{"updated", "updated"}) || !strings.Contains(rows[1][5], "planned again (--replan)") {
		t.Fatalf("apply --replan: exit %d, %v\n%s", code, rows, stderr)
	}
	if sent := log.take(); len(sent) != 2 {
		t.Errorf("apply --replan sent %d writes, want 2:\n%s", len(sent), strings.Join(sent, "\n"))
	}
	if u, err := c.Users.Get(context.Background(), 123456); err != nil || u.Profile.F010 != "Evanston" || u.Profile.F007 != "Director" {
		t.Errorf("user 123456 after --replan: %+v %v", u, err)
	}
}
