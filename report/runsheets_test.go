package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A run written into the folder of an earlier one replaces its sheets
// with new files: what they held is gone but not who may read them, a
// link named like a sheet is replaced and the file it points to left
// alone, and a folder named like one is an error, not removed.
func TestRunSheetsReplaceAnEarlierRunsSheets(t *testing.T) {
	dir := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "keep.csv")
	for path, text := range map[string]string{
		filepath.Join(dir, ResultsCSV): strings.Repeat("old result\n", 1000),
		elsewhere:                      "not a sheet\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(elsewhere, filepath.Join(dir, ErrorsCSV)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, ResultsCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := NewRunSheets(SheetsOptions{Dir: dir, Header: []string{"Email"}, Password: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(Result{Row: 2, Key: "ana@example.com", Outcome: "invalid", Message: "bad", ToFix: true}, []string{"ana@example.com"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	results, _ := os.ReadFile(filepath.Join(dir, ResultsCSV))
	if want := "row,key,outcome,ilms_id,actions,message\n2,ana@example.com,invalid,,,bad\n"; string(results) != want {
		t.Errorf("results.csv holds %q, want %q", results, want)
	}
	if fi, err := os.Stat(filepath.Join(dir, ResultsCSV)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("results.csv made private is no longer: %v, %v", fi.Mode(), err)
	}
	if fi, err := os.Lstat(filepath.Join(dir, ErrorsCSV)); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("errors.csv is not a file of its own: %v, %v", fi, err)
	}
	if kept, _ := os.ReadFile(elsewhere); string(kept) != "not a sheet\n" {
		t.Errorf("the file a link pointed to now holds %q", kept)
	}

	taken := t.TempDir()
	if err := os.Mkdir(filepath.Join(taken, ResultsCSV), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRunSheets(SheetsOptions{Dir: taken, Header: []string{"Email"}, Password: -1}); err == nil {
		t.Error("a folder named results.csv was written over")
	}
	if fi, err := os.Stat(filepath.Join(taken, ResultsCSV)); err != nil || !fi.IsDir() {
		t.Errorf("the folder named results.csv is gone: %v", err)
	}
}
