package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
)

// statuses reads every user's status from the sandbox.
func statuses(t *testing.T, c *ilms.Client) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	q := ilms.NewUserQuery().WithStatus(ilms.StatusActive, ilms.StatusInactive, ilms.StatusDeleted)
	for u, err := range c.Users.List(q).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		out[u.ID] = u.UserStatus
	}
	return out
}

// changedStatus lists the users whose status differs between two reads.
func changedStatus(before, after map[int64]string) map[int64]string {
	out := map[int64]string{}
	for id, s := range after {
		if before[id] != s {
			out[id] = before[id] + " → " + s
		}
	}
	return out
}

// TestDeactivateMissing: --deactivate-missing inactivates exactly the
// active users in scope whom the file does not name, and no one else; it
// refuses to run without a scope, sending nothing.
func TestDeactivateMissing(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	ctx := context.Background()
	var logistics, others []ilms.User
	for u, err := range c.Users.List(ilms.NewUserQuery().WithStatus(ilms.StatusActive)).All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if u.Profile.F021 == "Logistics" {
			logistics = append(logistics, u)
		} else {
			others = append(others, u)
		}
	}
	if len(logistics) < 4 {
		t.Fatalf("the seed has %d active users in Logistics; the test needs 4", len(logistics))
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "logistics.csv")
	body := "Employee ID,Email ID,Job Title\n"
	kept := logistics[:2]
	for _, u := range kept {
		body += u.Profile.F004 + ",," + u.Profile.F007 + "\n"
	}
	body += ",nobody.new@example.com,\n" // names no one in iLMS: no one is kept by it
	os.WriteFile(file, []byte(body), 0o644)

	srv.ResetStats()
	code, _, stderr := runCmd(t, "import", "users", file, "--deactivate-missing", "--rate", "unlimited", "--out", t.TempDir())
	if code != ExitUsage || !strings.Contains(stderr, "--deactivate-missing needs a --scope") || srv.Stats().Requests != 0 {
		t.Fatalf("without a scope: exit %d, %d requests, stderr %q", code, srv.Stats().Requests, stderr)
	}

	before := statuses(t, c)
	out := t.TempDir()
	code, _, stderr = runCmd(t, "import", "users", file, "--deactivate-missing", "--scope", "F021=Logistics", "--rate", "unlimited", "--out", out)
	if code != ExitPartial { // the row of nobody.new is invalid: no names to create them with
		t.Errorf("exit %d, want %d\n%s", code, ExitPartial, stderr)
	}
	got := changedStatus(before, statuses(t, c))
	want := map[int64]string{}
	for _, u := range logistics[2:] {
		want[u.ID] = "Active → Inactive"
	}
	if len(got) != len(want) {
		t.Fatalf("status changes %v, want exactly %v\n%s", got, want, stderr)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("user %d: %q, want %q", id, got[id], w)
		}
	}
	rows := readResults(t, out)
	deactivated := 0
	for _, r := range rows {
		if r[0] == "" {
			if r[2] != "deactivated" || !strings.Contains(r[5], "not in the file") {
				t.Errorf("a result not of the file: %v", r)
			}
			deactivated++
		}
	}
	if deactivated != len(want) || len(rows) != 3+len(want) {
		t.Errorf("%d results, %d of users not in the file; want 3 rows and %d", len(rows), deactivated, len(want))
	}
	if !strings.Contains(stderr, "users in scope and not in the file (--deactivate-missing): ") {
		t.Errorf("the summary does not say so:\n%s", stderr)
	}
}

// TestImportLeavers: import leavers inactivates exactly the people its
// file names, reading nothing else of the rows; --delete needs
// --yes-delete.
func TestImportLeavers(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "leavers.csv")
	os.WriteFile(file, []byte("Employee ID,Leaving Date,First Name\nEmp003,2026-11-30,Someone Else\nemp004,2026-11-30,\nNOPE-1,2026-11-30,\n"), 0o644)
	srv.ResetStats()
	if code, _, stderr := runCmd(t, "import", "leavers", file, "--delete", "--out", t.TempDir()); code != ExitUsage || !strings.Contains(stderr, "--yes-delete") || srv.Stats().Requests != 0 {
		t.Fatalf("--delete alone: exit %d, %d requests\n%s", code, srv.Stats().Requests, stderr)
	}
	before := statuses(t, c)
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "leavers", file, "--rate", "unlimited", "--out", out)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := changedStatus(before, statuses(t, c))
	if len(got) != 2 || got[123456] != "Active → Inactive" || got[444038] != "Active → Inactive" {
		t.Errorf("status changes %v; want users 123456 and 444038 inactivated, no one else", got)
	}
	u, err := c.Users.Get(context.Background(), 123456)
	if err != nil || u.Profile.F001 != "Jane" {
		t.Errorf("a leaver's other columns were imported: %+v %v", u, err)
	}
	var outcomes []string
	for _, r := range readResults(t, out) {
		outcomes = append(outcomes, r[2])
	}
	if strings.Join(outcomes, " ") != "deactivated deactivated skipped" {
		t.Errorf("outcomes %v", outcomes)
	}
}

// TestDeactivateMissingResumes: a --deactivate-missing run stopped part
// way through the users not in the file (the API refuses the credentials
// on one of them) is finished by --resume with the run's own options:
// each of those users is inactivated once and has one result, and the
// results of those done before the stop are kept.
func TestDeactivateMissingResumes(t *testing.T) {
	var refuse atomic.Value // the path answered 401, once
	var log writeLog
	srv, c, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: func(s *sandbox.Server) http.Handler {
		inner := log.wrap(s)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, _ := refuse.Load().(string); p != "" && r.Method == http.MethodDelete && r.URL.Path == p && refuse.CompareAndSwap(p, "") {
				http.Error(w, `{"message":"invalid credentials"}`, http.StatusUnauthorized)
				return
			}
			inner.ServeHTTP(w, r)
		})
	}})
	pointAt(t, srv, url)
	var logistics []ilms.User
	for u, err := range c.Users.List(ilms.NewUserQuery().WithStatus(ilms.StatusActive)).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if u.Profile.F021 == "Logistics" {
			logistics = append(logistics, u)
		}
	}
	if len(logistics) < 5 {
		t.Fatalf("the seed has %d active users in Logistics; the test needs 5", len(logistics))
	}
	file := filepath.Join(t.TempDir(), "logistics.csv")
	os.WriteFile(file, []byte("Employee ID,Job Title\n"+logistics[0].Profile.F004+","+logistics[0].Profile.F007+"\n"), 0o644)
	missing := logistics[1:]
	refuse.Store(fmt.Sprintf("/organizations/%s/users/%d/Activate", srv.OrgID(), missing[1].ID))

	before, out := statuses(t, c), t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", file, "--deactivate-missing", "--scope", "F021=Logistics", "--max-deactivations", "100%", "--workers", "1", "--rate", "unlimited", "--out", out)
	if code != ExitAborted || !strings.Contains(stderr, "--resume") {
		t.Fatalf("the stopped run: exit %d\n%s", code, stderr)
	}
	done := len(changedStatus(before, statuses(t, c)))
	if done == 0 || done == len(missing) {
		t.Fatalf("%d of %d inactivated before the stop: the test needs a run stopped part way", done, len(missing))
	}
	code, _, stderr = runCmd(t, "import", "users", "--resume", out, "--rate", "unlimited")
	if code != ExitOK {
		t.Fatalf("the resume: exit %d\n%s", code, stderr)
	}
	got := changedStatus(before, statuses(t, c))
	if len(got) != len(missing) {
		t.Errorf("status changes %v, want the %d users not in the file", got, len(missing))
	}
	sent := map[string]int{}
	for _, r := range log.take() {
		if strings.HasPrefix(r, "DELETE ") && strings.Contains(r, "/Activate") {
			sent[strings.Fields(r)[1]]++
		}
	}
	results := map[string]int{}
	for _, r := range readResults(t, out) {
		if r[0] == "" {
			if r[2] != "deactivated" {
				t.Errorf("a user not in the file: %v", r)
			}
			results[r[3]]++ // the user's iLMS ID
		}
	}
	for _, u := range missing {
		if id := fmt.Sprintf("/organizations/%s/users/%d/Activate", srv.OrgID(), u.ID); sent[id] != 1 {
			t.Errorf("user %d: %d inactivations accepted, want 1", u.ID, sent[id])
		}
	}
	for _, u := range missing {
		if results[fmt.Sprint(u.ID)] != 1 {
			t.Errorf("user %d has %d results, want 1 (results %v)", u.ID, results[fmt.Sprint(u.ID)], results)
		}
	}
	if len(results) != len(missing) {
		t.Errorf("results of users not in the file: %v, want one for each of %d", results, len(missing))
	}
}

// TestAResumeWritesWhereTheRunBegan: a run is finished, or its failures
// re-run, only against the organization and server it wrote to: pointed
// at another, --resume and --only-failed refuse before any request.
func TestAResumeWritesWhereTheRunBegan(t *testing.T) {
	_, _ = testSandbox(t, sandbox.Options{})
	file := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(file, []byte("First Name,Last Name,Email ID,Employee ID\nAda,Lovelace,ada.l@example.com,AL-1\nAlan,Turing,not-an-email,AT-2\n"), 0o644)
	out := t.TempDir()
	if code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", out); code != ExitPartial {
		t.Fatalf("the run: exit %d\n%s", code, stderr)
	}
	other, _ := testSandbox(t, sandbox.Options{}) // the environment now names another server
	for _, args := range [][]string{{"--resume", out}, {"--only-failed", out}} {
		other.ResetStats()
		code, _, stderr := runCmd(t, append([]string{"import", "users", "--rate", "unlimited"}, args...)...)
		if code != ExitUsage || !strings.Contains(stderr, "wrote to organization 99999 at http://127.0.0.1") || other.Stats().Requests != 0 {
			t.Errorf("%s against another server: exit %d, %d requests\n%s", args[0], code, other.Stats().Requests, stderr)
		}
	}
}

// TestLeaversResumeAsBegun: a leavers run with --delete, stopped part way
// (the API refuses the credentials once), is finished by a --resume that
// does not say --delete again: the rest are deleted too, as the run was
// begun, not inactivated. And --leave is the leavers' own: import users
// refuses it.
func TestLeaversResumeAsBegun(t *testing.T) {
	var refuse atomic.Bool
	srv, c, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: func(s *sandbox.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/users/444038") && refuse.CompareAndSwap(true, false) {
				http.Error(w, `{"message":"invalid credentials"}`, http.StatusUnauthorized)
				return
			}
			s.ServeHTTP(w, r)
		})
	}})
	pointAt(t, srv, url)
	file := filepath.Join(t.TempDir(), "leavers.csv")
	os.WriteFile(file, []byte("Employee ID\nEmp003\nemp004\n"), 0o644)
	if code, _, stderr := runCmd(t, "import", "users", file, "--leave", "delete", "--out", t.TempDir()); code != ExitUsage || !strings.Contains(stderr, "--leave is not for import users") {
		t.Errorf("import users --leave: exit %d\n%s", code, stderr)
	}
	refuse.Store(true)
	before, out := statuses(t, c), t.TempDir()
	code, _, stderr := runCmd(t, "import", "leavers", file, "--delete", "--yes-delete", "--workers", "1", "--rate", "unlimited", "--out", out)
	if code != ExitAborted {
		t.Fatalf("the stopped run: exit %d\n%s", code, stderr)
	}
	if got := changedStatus(before, statuses(t, c)); len(got) != 1 || got[123456] != "Active → Deleted" {
		t.Fatalf("before the stop: %v, want only 123456 deleted", got)
	}
	if code, _, stderr = runCmd(t, "import", "leavers", "--resume", out, "--rate", "unlimited"); code != ExitOK {
		t.Fatalf("the resume: exit %d\n%s", code, stderr)
	}
	if got := changedStatus(before, statuses(t, c)); len(got) != 2 || got[123456] != "Active → Deleted" || got[444038] != "Active → Deleted" {
		t.Errorf("after the resume: %v, want 123456 and 444038 deleted", got)
	}
}
