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
	p := newProgress(&IOStreams{ErrOut: &buf}, "import users", 10, false)
	for i := range 4 {
		outcome := pipeline.Created
		if i == 3 {
			outcome = pipeline.Failed
		}
		p.Add(pipeline.Result{Outcome: outcome})
	}
	time.Sleep(70 * time.Millisecond)
	p.Close()
	if !strings.Contains(buf.String(), "import users: 4/10 rows (40.0%)") || !strings.Contains(buf.String(), "1 failed") {
		t.Errorf("log lines %q", buf.String())
	}
	buf.Reset()
	q := newProgress(&IOStreams{ErrOut: &buf}, "import users", 10, true)
	q.Add(pipeline.Result{Outcome: pipeline.Created})
	time.Sleep(50 * time.Millisecond)
	q.Close()
	if buf.Len() != 0 {
		t.Errorf("--quiet printed %q", buf.String())
	}
	buf.Reset()
	bar := newProgress(&IOStreams{ErrOut: &buf, StderrTTY: true}, "import users", 3, false)
	bar.Add(pipeline.Result{Outcome: pipeline.Created})
	bar.Close()
	if !strings.Contains(buf.String(), "import users") {
		t.Errorf("the terminal bar drew %q", buf.String())
	}
}
