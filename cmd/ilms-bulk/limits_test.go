package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// TestSafetyLimitsStopBeforeTheFirstWrite: a file over any safety limit
// (the defaults, or one given) sends nothing: exit 2, the limit and the
// count named, every row that would write blocked, and the plan left to
// inspect. Under the limits, the same kind of file runs.
func TestSafetyLimitsStopBeforeTheFirstWrite(t *testing.T) {
	srv, c := testSandbox(t, sandbox.Options{})
	var active []ilms.User
	for u, err := range c.Users.List(ilms.NewUserQuery().WithStatus(ilms.StatusActive)).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if u.Profile.F004 != "" && u.Profile.F007 != "" {
			active = append(active, u)
		}
	}
	total := 0
	for _, err := range c.Users.List(ilms.NewUserQuery().WithStatus(ilms.StatusActive)).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		total++
	}
	tenth := total / 10 // what 10% of the active users allows
	if len(active) <= tenth+1 {
		t.Fatalf("the seed has %d active users with an employee ID and a job title; the test needs more than %d", len(active), tenth+1)
	}
	rows := func(n int, row func(u ilms.User) string) string {
		var b strings.Builder
		for _, u := range active[:n] {
			b.WriteString(row(u) + "\n")
		}
		return b.String()
	}
	newUsers := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "N-%d,New,Person%d,new.person%d@example.com,Region 1,Division 1,Department 1\n", i, i, i)
		}
		return b.String()
	}
	cases := []struct {
		name, header, body string
		args               []string
		blocked            bool
		want               string
	}{
		{"creates", "Employee ID,First Name,Last Name,Email,Region,Division,Department", newUsers(3), []string{"--max-creates", "2"}, true,
			"the plan would make 3 new users, and --max-creates allows 2"},
		{"updates", "Employee ID,Job Title", rows(3, func(u ilms.User) string { return u.Profile.F004 + ",Chief " + u.Profile.F007 }), []string{"--max-updates", "2"}, true,
			"the plan would make 3 updates, and --max-updates allows 2"},
		{"deactivations by default", "Employee ID,Status", rows(tenth+1, func(u ilms.User) string { return u.Profile.F004 + ",inactive" }), nil, true,
			fmt.Sprintf("the plan would make %d deactivations, and --max-deactivations allows %d (10%% of the %d active users)", tenth+1, tenth, total)},
		{"cleared fields by default", "Employee ID,Job Title", rows(tenth+1, func(u ilms.User) string { return u.Profile.F004 + ",#clear" }), nil, true,
			fmt.Sprintf("the plan would make %d cleared fields, and --max-cleared allows %d (10%% of the %d active users)", tenth+1, tenth, total)},
		{"within the limits", "Employee ID,Job Title", rows(2, func(u ilms.User) string { return u.Profile.F004 + ",#clear" }), []string{"--max-updates", "2"}, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "f.csv")
			os.WriteFile(file, []byte(tc.header+"\n"+tc.body), 0o644)
			out := t.TempDir()
			srv.ResetStats()
			code, _, stderr := runCmd(t, append([]string{"import", "users", file, "--rate", "unlimited", "--out", out}, tc.args...)...)
			results := readResults(t, out)
			if !tc.blocked {
				if code != ExitOK || srv.Stats().Writes == 0 {
					t.Fatalf("exit %d, %d writes\n%s", code, srv.Stats().Writes, stderr)
				}
				return
			}
			if code != ExitUsage || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "nothing was sent") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitUsage, tc.want)
			}
			if w := srv.Stats().Writes; w != 0 {
				t.Errorf("%d writes sent", w)
			}
			if len(results) != strings.Count(tc.body, "\n") {
				t.Errorf("%d results for %d rows", len(results), strings.Count(tc.body, "\n"))
			}
			for _, r := range results {
				if r[2] != "blocked" || !strings.Contains(r[5], tc.want) {
					t.Errorf("row %s: %s %q", r[0], r[2], r[5])
				}
			}
			if _, err := os.Stat(filepath.Join(out, "plan.json")); err != nil || !strings.Contains(stderr, "plan show "+filepath.Join(out, "plan.json")) {
				t.Errorf("no plan to inspect: %v\n%s", err, stderr)
			}
		})
	}
}

// TestSafetyLimitKeepsTheRowsToFix: a run a safety limit stops blocks the
// rows that would write; a row found invalid keeps its outcome and its
// message, and is in errors.csv to fix, as in a run under the limits.
func TestSafetyLimitKeepsTheRowsToFix(t *testing.T) {
	srv, _ := testSandbox(t, sandbox.Options{})
	file := filepath.Join(t.TempDir(), "f.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Region,Division,Department\n"+
		"N-1,New,One,new.one@example.com,Region 1,Division 1,Department 1\n"+
		"N-2,New,Two,not-an-email,Region 1,Division 1,Department 1\n"+
		"N-3,New,Three,new.three@example.com,Region 1,Division 1,Department 1\n"), 0o644)
	out := t.TempDir()
	srv.ResetStats()
	code, _, stderr := runCmd(t, "import", "users", file, "--rate", "unlimited", "--out", out, "--max-creates", "1")
	if code != ExitUsage || srv.Stats().Writes != 0 {
		t.Fatalf("exit %d, %d writes\n%s", code, srv.Stats().Writes, stderr)
	}
	results := readResults(t, out)
	if got := column(results, 2); !slices.Equal(got, []string{"blocked", "invalid", "blocked"}) || !strings.Contains(results[1][5], "not-an-email") {
		t.Errorf("results %q", results)
	}
	errs := readCSV(t, filepath.Join(out, "errors.csv"))
	if len(errs) != 2 || errs[1][0] != "N-2" {
		t.Errorf("errors.csv %q, want the invalid row", errs)
	}
	if s := readSummary(t, out); s.ByOutcome["invalid"] != 1 || s.ByOutcome["blocked"] != 2 {
		t.Errorf("summary %v", s.ByOutcome)
	}
}
