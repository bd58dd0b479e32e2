package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// TestOwnExportImportsWithoutWarnings: on a fresh sandbox, export users
// to a workbook and import it: every row unchanged, and no warning about
// a column the tool itself wrote.
func TestOwnExportImportsWithoutWarnings(t *testing.T) {
	dir := t.TempDir()
	env := []string{"XDG_CACHE_HOME=" + filepath.Join(dir, "cache")} // one sandbox for both commands
	book := filepath.Join(dir, "users.xlsx")
	if r := runBinary(t, env, "export", "users", "--sandbox", "-o", book); r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "run")
	r := runBinary(t, env, "import", "users", book, "--sandbox", "--out", out)
	if r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Errorf("import: exit %d\n%s", r.code, r.stderr)
	}
	var s struct {
		Total     int            `json:"total"`
		Warnings  int            `json:"warnings"`
		ByOutcome map[string]int `json:"by_outcome"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if err := json.Unmarshal(b, &s); err != nil || s.Warnings != 0 || s.Total < 60 || s.ByOutcome["unchanged"] != s.Total {
		t.Errorf("summary.json: %s", b)
	}
	for _, row := range readResults(t, out) {
		if row[5] != "" {
			t.Errorf("row %s: %q", row[0], row[5])
		}
	}
}

// TestWarningsAreCountedOnTheConsole: rows that import with a warning
// are counted in the console summary, which says where to read them.
func TestWarningsAreCountedOnTheConsole(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	file := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Region,Division,Department\n"+
		"W-1,Ann & Co,Lee,ann.lee@example.com,Region 1,Division 1,Department 1\n"+
		"W-2,Bo,Lee #2,bo.lee@example.com,Region 1,Division 1,Department 1\n"+
		"W-3,Cy,Lee,cy.lee@example.com,Region 1,Division 1,Department 1\n"+
		"W-4,Di & Co,Lee,di.lee@example.com,Region 1,Division 1,Department 1\n"), 0o644)
	for _, dry := range []bool{true, false} {
		out := t.TempDir()
		args := []string{"import", "users", file, "--rate", "unlimited", "--out", out}
		sheet := "results.csv"
		if dry {
			args, sheet = append(args, "--dry-run"), "plan.csv"
		}
		code, _, stderr := runCmd(t, args...)
		if want := "3 rows with warnings: see " + filepath.Join(out, sheet); code != ExitOK || !strings.Contains(stderr, want) {
			t.Errorf("dry run %v: exit %d, stderr %q; want %q", dry, code, stderr, want)
		}
	}
}
