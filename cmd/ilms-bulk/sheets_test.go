package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// TestErrorsWorkbookMarksTheCells imports an XLSX with a bad country and a
// password: errors.xlsx has the country cell filled and commented, the
// password blanked, and the workbook imports again once fixed.
func TestErrorsWorkbookMarksTheCells(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "people.xlsx")
	f := excelize.NewFile()
	rows := [][]any{
		{"First Name", "Last Name", "Email", "Country", "Password", "Region", "Division", "Department"},
		{"Ok", "Person", "ok.person@example.com", "US", "Secret-123", "Region 1", "Division 1", "Department 1"},
		{"Bad", "Country", "bad.country@example.com", "Untied States", "Hunter-2000", "Region 1", "Division 1", "Department 1"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	f.SaveAs(in)
	f.Close()
	out := t.TempDir()
	code, _, stderr := runCmd(t, "import", "users", in, "--rate", "unlimited", "--out", out)
	if code != ExitPartial {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	x, err := excelize.OpenFile(filepath.Join(out, "errors.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	got, _ := x.GetRows("Errors")
	if len(got) != 2 || got[1][1] != "Country" || got[1][3] != "Untied States" || got[1][4] != "" || !strings.Contains(got[1][8], "United States") {
		t.Fatalf("errors.xlsx rows %q", got)
	}
	style, _ := x.GetCellStyle("Errors", "D2")
	s, _ := x.GetStyle(style)
	if s == nil || len(s.Fill.Color) == 0 {
		t.Errorf("the country cell is not marked: style %+v", s)
	}
	comments, _ := x.GetComments("Errors")
	if len(comments) != 1 || comments[0].Cell != "D2" || !strings.Contains(comments[0].Paragraph[0].Text, "Untied States") {
		t.Errorf("comments %+v", comments)
	}
	for _, name := range []string{"results.csv", "errors.csv", "journal.jsonl", "summary.json"} {
		b, _ := os.ReadFile(filepath.Join(out, name))
		if bytes.Contains(b, []byte("Hunter-2000")) || bytes.Contains(b, []byte("Secret-123")) {
			t.Errorf("%s holds a password", name)
		}
	}
	// Fix the cell in the errors workbook and import it as it is: its
	// error column is left out, the row goes in.
	x.SetCellValue("Errors", "D2", "United States")
	x.SetCellValue("Errors", "E2", "Hunter-2000")
	fixed := filepath.Join(dir, "fixed.xlsx")
	x.SaveAs(fixed)
	out = t.TempDir()
	if code, _, stderr := runCmd(t, "import", "users", fixed, "--rate", "unlimited", "--out", out); code != ExitOK {
		t.Fatalf("re-import of the fixed errors: exit %d\n%s", code, stderr)
	}
	if o := outcomes(readResults(t, out)); o["created"] != 1 {
		t.Errorf("fixed row: %v", o)
	}
}

func TestProgressWithoutTerminal(t *testing.T) {
	old := logEvery
	logEvery = 20 * time.Millisecond
	defer func() { logEvery = old }()
	var buf bytes.Buffer
	p := newProgress(&IOStreams{ErrOut: &buf}, "import users", "rows", false)
	// Four rows done, the last failed, 40% of a 1,000-byte file read.
	p.update(pipeline.Progress{Rows: 4, Failed: 1, Done: 400, Size: 1000})
	if got := p.Line(); !strings.Contains(got, "import users: 4 rows (40.0% of the file)") || !strings.Contains(got, "1 failed") || !strings.Contains(got, "left") {
		t.Errorf("log line %q", got)
	}
	time.Sleep(70 * time.Millisecond)
	p.Close()
	if !strings.Contains(buf.String(), "import users: 4 rows (40.0% of the file)") {
		t.Errorf("log lines %q", buf.String())
	}
	buf.Reset()
	q := newProgress(&IOStreams{ErrOut: &buf}, "import users", "rows", true)
	q.update(pipeline.Progress{Rows: 1, Done: 10, Size: 100})
	time.Sleep(50 * time.Millisecond)
	q.Close()
	if buf.Len() != 0 {
		t.Errorf("--quiet printed %q", buf.String())
	}
	buf.Reset()
	bar := newProgress(&IOStreams{ErrOut: &buf, StderrTTY: true}, "import users", "rows", false)
	bar.update(pipeline.Progress{Rows: 1, Done: 10, Size: 30})
	bar.Close()
	if !strings.Contains(buf.String(), "import users") {
		t.Errorf("the terminal bar drew %q", buf.String())
	}
}

// TestWorkbooksAreWrittenLikeTheCSVs checks the mode of every workbook the
// tool writes beside a CSV written the same way: the run folder's
// results.xlsx and errors.xlsx, a generated file, a template, the exports
// and the compliance workbook. None is executable; each has the
// permissions of a file made by os.Create, as the CSVs have.
func TestWorkbooksAreWrittenLikeTheCSVs(t *testing.T) {
	env, _ := countingServer(t)
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if r := runBinary(t, env, "import", "users", "../../testdata/cohort.xlsx", "--rate", "unlimited", "--out", run, "-q"); r.code != 0 {
		t.Fatalf("import: exit %d %s", r.code, r.stderr)
	}
	pairs := [][2]string{
		{filepath.Join(run, "results.xlsx"), filepath.Join(run, "results.csv")},
		{filepath.Join(run, "errors.xlsx"), filepath.Join(run, "errors.csv")},
	}
	for _, args := range [][]string{
		{"generate", "users", "--rows", "3", "-o"},
		{"template", "users", "-o"},
		{"export", "users", "--rate", "unlimited", "-o"},
		{"export", "summary", "--rate", "unlimited", "-o"},
	} {
		name := filepath.Join(dir, strings.Join(args[:2], "-"))
		for _, ext := range []string{".xlsx", ".csv"} {
			if r := runBinary(t, env, append(args, name+ext)...); r.code != 0 {
				t.Fatalf("%s %s: exit %d %s", strings.Join(args, " "), name+ext, r.code, r.stderr)
			}
		}
		pairs = append(pairs, [2]string{name + ".xlsx", name + ".csv"})
	}
	compliance := filepath.Join(dir, "compliance.xlsx")
	if r := runBinary(t, env, "export", "compliance", "--rate", "unlimited", "-o", compliance); r.code != 0 {
		t.Fatalf("export compliance: exit %d %s", r.code, r.stderr)
	}
	// The mode os.Create gives under this umask: 0644 under the usual 022.
	probe := filepath.Join(dir, "probe.csv")
	if f, err := os.Create(probe); err != nil {
		t.Fatal(err)
	} else {
		f.Close()
	}
	pairs = append(pairs, [2]string{compliance, probe}, [2]string{pairs[2][1], probe})
	for _, p := range pairs {
		x, err := os.Stat(p[0])
		if err != nil {
			t.Fatal(err)
		}
		c, err := os.Stat(p[1])
		if err != nil {
			t.Fatal(err)
		}
		if x.Mode().Perm()&0o111 != 0 || x.Mode().Perm() != c.Mode().Perm() {
			t.Errorf("%s has mode %v; %s has %v", filepath.Base(p[0]), x.Mode().Perm(), filepath.Base(p[1]), c.Mode().Perm())
		}
	}
}
