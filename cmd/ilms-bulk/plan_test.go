package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// TestDryRunSaysWhatItWillDo: a dry run's plan is in the present tense
// and names each field an update changes, with its value now and after.
func TestDryRunSaysWhatItWillDo(t *testing.T) {
	srv, _ := testSandbox(t, sandbox.Options{})
	file := filepath.Join(t.TempDir(), "changes.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Job Title,City,Region,Division,Department\n"+
		"Emp001,John,Doe,john.doe@email.com,Regional Manager,,,,\n"+ // Manager, no city
		"Emp003,,,,,#clear,Central,Projects,Special Projects\n"+ // moves; city cleared
		"P-1,Pat,New,pat.new@example.com,,,Region 1,Division 1,Department 1\n"), 0o644)
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", file, "--dry-run", "--rate", "unlimited", "--out", out)
	if code != ExitOK || srv.Stats().Writes != 0 {
		t.Fatalf("exit %d, %d writes\n%s", code, srv.Stats().Writes, stderr)
	}
	rows := readCSV(t, filepath.Join(out, "plan.csv"))[1:]
	want := []struct{ outcome, actions string }{
		{"update", "update F007 Job Title: Manager → Regional Manager"},
		{"update", "update F010 City: Chicago → (blank), F019 Region: Region 1 → Central, F020 Division: Division 1 → Projects, F021 Department: Department 1 → Special Projects"},
		{"create", "create"},
	}
	for i, w := range want {
		if r := rows[i]; r[2] != w.outcome || r[4] != w.actions {
			t.Errorf("row %s: %s %q, want %s %q", r[0], r[2], r[4], w.outcome, w.actions)
		}
	}
	if !strings.Contains(stderr, "1 create, 2 update") {
		t.Errorf("console: %q", stderr)
	}
	var s struct {
		ByOutcome map[string]int `json:"by_outcome"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if json.Unmarshal(b, &s); s.ByOutcome["create"] != 1 || s.ByOutcome["update"] != 2 || len(s.ByOutcome) != 2 {
		t.Errorf("summary.json by_outcome %v", s.ByOutcome)
	}
}
