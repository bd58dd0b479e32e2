package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// TestGeneratedUsersAreNewPeople: a generated file, of any seed, imports
// into the sandbox as new people; none of its rows rewrites the sandbox's
// staff.
func TestGeneratedUsersAreNewPeople(t *testing.T) {
	dir := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache")} // one sandbox for both commands
	file := filepath.Join(dir, "r.csv")
	if r := runBinary(t, env, "generate", "users", "--rows", "100", "--seed", "3", "-o", file); r.code != 0 {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "run")
	r := runBinary(t, env, "import", "users", file, "--sandbox", "--rate", "1000", "--out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "100 created") {
		t.Errorf("import: exit %d\n%s", r.code, r.stderr)
	}
	if o := outcomes(readResults(t, out)); o["created"] != 100 {
		t.Errorf("outcomes %v, want 100 created", o)
	}
}

// TestMatchedKeyOfAnotherPerson: a row whose employee ID finds a user
// with two other of first name, last name and email, or whose email finds
// one with another employee ID, is a conflict that changes nothing, unless
// --allow-identity-change.
func TestMatchedKeyOfAnotherPerson(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	byID := filepath.Join(dir, "by-id.csv")
	os.WriteFile(byID, []byte("Employee ID,First Name,Last Name,Email,Job Title\n"+
		"E000001,Omar,Chen,omar.chen@example.com,Analyst\n"+ // Ashley Johnson's ID
		"E000002,Jenny,Davis,jennifer.davis.2@example.com,Regional Manager\n"+ // a first name changes: the same person
		"E000003,Elizabeth,Reed,liz.reed@example.com,\n"), 0o644) // last name and email change
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", byID, "--rate", "unlimited", "--out", out)
	if code != ExitPartial {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	rows := readResults(t, out)
	want := []struct{ outcome, msg string }{
		{"conflict", "employee ID E000001 is Ashley Johnson <ashley.johnson.1@example.com> in iLMS (user 520001); this row is Omar Chen <omar.chen@example.com>; fix the row, or if it is the same person, use --allow-identity-change"},
		{"updated", ""},
		{"conflict", "employee ID E000003 is Elizabeth Thomas <elizabeth.thomas.3@example.com> in iLMS (user 520003); this row is Elizabeth Reed <liz.reed@example.com>"},
	}
	for i, w := range want {
		if r := rows[i]; r[2] != w.outcome || !strings.Contains(r[5], w.msg) {
			t.Errorf("row %s: %s %q, want %s %q", r[0], r[2], r[5], w.outcome, w.msg)
		}
	}
	if s := srv.Stats(); s.Writes != 1 {
		t.Errorf("%d writes, want 1 (Jennifer Davis's update)", s.Writes)
	}
	errs := readCSV(t, filepath.Join(out, "errors.csv"))
	if len(errs) != 3 || errs[1][0] != "E000001" || !strings.Contains(errs[1][len(errs[1])-1], "is Ashley Johnson") || errs[2][0] != "E000003" {
		t.Errorf("errors.csv %q, want the two conflicting rows", errs)
	}
	var sum struct {
		Failed    int            `json:"failed"`
		ByOutcome map[string]int `json:"by_outcome"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if json.Unmarshal(b, &sum); sum.Failed != 2 || sum.ByOutcome["conflict"] != 2 {
		t.Errorf("summary.json %s", b)
	}

	byEmail := filepath.Join(dir, "by-email.csv")
	os.WriteFile(byEmail, []byte("Email,Employee ID,First Name,Last Name\n"+
		"ashley.johnson.1@example.com,E777777,Ashley,Johnson\n"+ // she is E000001
		"dep@testiel.com,D-0001,deepak,jain\n"), 0o644) // has no employee ID yet
	out = t.TempDir()
	runCmd(t, "import", "users", byEmail, "--match", "F015", "--rate", "unlimited", "--out", out)
	rows = readResults(t, out)
	if r := rows[0]; r[2] != "conflict" || !strings.Contains(r[5], "email ashley.johnson.1@example.com is Ashley Johnson, employee ID E000001, in iLMS (user 520001); this row gives employee ID E777777") {
		t.Errorf("row %s: %s %q", r[0], r[2], r[5])
	}
	if r := rows[1]; r[2] != "updated" {
		t.Errorf("row %s: %s %q, want updated", r[0], r[2], r[5])
	}

	out = t.TempDir()
	if code, _, stderr := runCmd(t, "import", "users", byID, "--allow-identity-change", "--rate", "unlimited", "--out", out); code != ExitOK {
		t.Fatalf("--allow-identity-change: exit %d\n%s", code, stderr)
	}
	if o := outcomes(readResults(t, out)); o["updated"] != 2 || o["unchanged"] != 1 {
		t.Errorf("--allow-identity-change: %v", o)
	}
	u, err := c.Users.Get(t.Context(), 520001)
	if err != nil || u.Profile.F001 != "Omar" || u.Profile.F015 != "omar.chen@example.com" {
		t.Errorf("user 520001 after --allow-identity-change: %+v %v", u, err)
	}
}
