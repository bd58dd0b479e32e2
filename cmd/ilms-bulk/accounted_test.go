package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// A stray quote at the start of line 5000 of a generated file used to make
// validate report "4999 rows, 1 invalid", with rows 5001–10000 in no
// output; an import went on with the first half. Now every line is
// accounted for, and every row has its result.
func TestStrayQuoteEveryRowHasAResult(t *testing.T) {
	dir := t.TempDir()
	g := filepath.Join(dir, "g.csv")
	if code, _, stderr := runCmd(t, "generate", "users", "--rows", "10000", "-o", g); code != ExitOK {
		t.Fatalf("generate: %d %s", code, stderr)
	}
	b, _ := os.ReadFile(g)
	lines := bytes.SplitAfter(b, []byte("\n"))
	lines[4999] = append([]byte(`"`), lines[4999]...)
	os.WriteFile(g, bytes.Join(lines, nil), 0o644)

	out := filepath.Join(dir, "v")
	code, _, stderr := runCmd(t, "validate", g, "--out", out)
	if code != ExitPartial {
		t.Fatalf("validate: exit %d\n%s", code, stderr)
	}
	s := readSummary(t, out)
	if s.Lines != 10001 || s.Total != 10000 || s.Failed != 1 || s.LineUse != (report.LineUse{Header: 1, Rows: 10000}) {
		t.Errorf("summary: lines %d total %d failed %d use %+v", s.Lines, s.Total, s.Failed, s.LineUse)
	}
	if !strings.Contains(stderr, "10001 lines, 10000 users rows: 9999 valid, 1 invalid") {
		t.Errorf("console summary:\n%s", stderr)
	}
	if res := readCSV(t, filepath.Join(out, "results.csv")); len(res) != 10001 {
		t.Errorf("results.csv has %d rows, want 10000 and a header", len(res))
	}
	errs := readCSV(t, filepath.Join(out, "errors.csv"))
	if len(errs) != 2 || !strings.HasPrefix(errs[1][0], `"`) || errs[1][14] == "" || !strings.Contains(errs[1][len(errs[1])-1], `row 5000, column 1 "First Name": a quote opened here`) {
		t.Errorf("errors.csv: %q", errs)
	}

	// A dry-run import reads and plans every row too.
	testSandbox(t, sandbox.Options{})
	out = filepath.Join(dir, "i")
	code, _, stderr = runCmd(t, "import", "users", g, "--dry-run", "--out", out)
	if code != ExitPartial {
		t.Fatalf("import --dry-run: exit %d\n%s", code, stderr)
	}
	if s := readSummary(t, out); s.Total != 10000 || s.Lines != 10001 {
		t.Errorf("dry run: total %d lines %d", s.Total, s.Lines)
	}
	if plan := readCSV(t, filepath.Join(out, "plan.csv")); len(plan) != 10001 {
		t.Errorf("plan.csv has %d rows", len(plan))
	}
}

// A quote in the middle of a cell names the column by header and
// position, and errors.csv keeps the row's cells to fix there.
func TestQuoteInCellKeepsItsCells(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "q.csv")
	os.WriteFile(in, []byte("First Name,Last Name,Email ID\nAnn,O\"Neil,ann@example.com\nBo,Ray,bo@example.com\n"), 0o644)
	out := filepath.Join(dir, "v")
	if code, _, stderr := runCmd(t, "validate", in, "--out", out); code != ExitPartial {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	errs := readCSV(t, filepath.Join(out, "errors.csv"))
	if len(errs) != 2 || errs[1][0] != "Ann" || errs[1][1] != `O"Neil` || errs[1][2] != "ann@example.com" || !strings.Contains(errs[1][3], `row 2, column 2 "Last Name"`) {
		t.Errorf("errors.csv %q", errs)
	}
}

// Messages lead somewhere: each names the remedy as the flag that applies
// it, and the remedy works.
func TestMessagesLeadSomewhere(t *testing.T) {
	dir := t.TempDir()
	// A UTF-8 BOM before Windows-1252 text.
	bom := filepath.Join(dir, "bom.csv")
	os.WriteFile(bom, []byte("\xEF\xBB\xBFFirst Name,Last Name,Email ID\nZo\xEB,M\xFCller,zoe@example.com\n"), 0o644)
	code, _, stderr := runCmd(t, "validate", bom, "--out", filepath.Join(dir, "a"))
	errs := readCSV(t, filepath.Join(dir, "a", "errors.csv"))
	if code != ExitPartial || !strings.Contains(stderr, "--encoding windows-1252") || len(errs) != 2 || !strings.Contains(errs[1][3], "read it with --encoding windows-1252") {
		t.Errorf("BOM and Windows-1252: exit %d %s %q", code, stderr, errs)
	}
	if code, _, stderr := runCmd(t, "validate", bom, "--encoding", "windows-1252", "--out", filepath.Join(dir, "b")); code != ExitOK {
		t.Errorf("with the advice taken: exit %d\n%s", code, stderr)
	}

	// Data on the second sheet, a title above the header.
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Read me")
	f.SetCellValue("Read me", "A1", "Put the people on the next sheet")
	f.NewSheet("People")
	f.SetSheetRow("People", "A1", &[]any{"First Name", "Last Name", "Email ID"})
	f.SetSheetRow("People", "A2", &[]any{"Ann", "Lee", "ann@example.com"})
	book := filepath.Join(dir, "book.xlsx")
	f.SaveAs(book)
	code, _, stderr = runCmd(t, "validate", book, "--out", filepath.Join(dir, "c"))
	if code != ExitUsage || !strings.Contains(stderr, `sheet "People" has a header row; use --sheet People`) {
		t.Errorf("second sheet: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCmd(t, "validate", book, "--sheet", "People", "--out", filepath.Join(dir, "d")); code != ExitOK {
		t.Errorf("--sheet People: exit %d\n%s", code, stderr)
	}
	title := filepath.Join(dir, "title.csv")
	os.WriteFile(title, []byte("New hires, March 2026,,\nFirst Name,Last Name,Email ID\nAnn,Lee,ann@example.com\n"), 0o644)
	code, _, stderr = runCmd(t, "validate", title, "--out", filepath.Join(dir, "e"))
	if code != ExitUsage || !strings.Contains(stderr, "row 2 looks like the header; use --header-row 2") {
		t.Errorf("title row: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCmd(t, "validate", title, "--header-row", "2", "--out", filepath.Join(dir, "f"))
	if s := readSummary(t, filepath.Join(dir, "f")); code != ExitOK || s.Total != 1 || s.Lines != 3 || s.LineUse.Above != 1 {
		t.Errorf("--header-row 2: exit %d %+v\n%s", code, s, stderr)
	}

	// A date format that is not one; a workbook cut short; a folder.
	if code, _, stderr := runCmd(t, "validate", title, "--date-format", "banana"); code != ExitUsage || !strings.Contains(stderr, `"banana" is not a date format`) {
		t.Errorf("--date-format banana: exit %d\n%s", code, stderr)
	}
	b, _ := os.ReadFile(book)
	cut := filepath.Join(dir, "truncated.xlsx")
	os.WriteFile(cut, b[:len(b)/2], 0o644)
	if code, _, stderr := runCmd(t, "validate", cut); code != ExitUsage || !strings.Contains(stderr, "the workbook is damaged or incomplete") || strings.Contains(stderr, "zip:") {
		t.Errorf("truncated workbook: exit %d\n%s", code, stderr)
	}
	testSandbox(t, sandbox.Options{})
	for _, args := range [][]string{
		{"validate", dir},
		{"import", "users", dir},
		{"import", "enrollments", dir, "--dry-run"},
		{"validate", title, "--mapping", dir},
		{"validate", title, "--settings", dir},
	} {
		code, _, stderr := runCmd(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, dir+" is a folder, not a file") {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
		}
	}
	// No message shows Go's own error text.
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte("{\"columns\": {\"Work Email\": \"F015\",}}"), 0o644)
	code, _, stderr = runCmd(t, "validate", title, "--mapping", broken)
	if code != ExitUsage || !strings.Contains(stderr, "line 1, column 36: not valid JSON: found '}' where a key in double quotes should be") || strings.Contains(stderr, "json:") {
		t.Errorf("broken mapping file: exit %d\n%s", code, stderr)
	}
}

// Common names of a country are recognised and sent in the document's
// form, with a warning that says so; "America" is not turned into
// American Samoa.
func TestCountryCommonNames(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "c.csv")
	os.WriteFile(in, []byte("First Name,Last Name,Email ID,Country\nA,B,a@example.com,USA\nC,D,c@example.com,Great Britain\nE,F,e@example.com,America\n"), 0o644)
	out := filepath.Join(dir, "v")
	code, _, stderr := runCmd(t, "validate", in, "--out", out)
	if code != ExitPartial {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	res := readCSV(t, filepath.Join(out, "results.csv"))
	msg := func(i int) string { return res[i][len(res[i])-1] }
	if res[1][2] != "valid" || !strings.Contains(msg(1), `"USA" is a common name of "United States"`) {
		t.Errorf("USA: %q", res[1])
	}
	if res[2][2] != "valid" || !strings.Contains(msg(2), `"United Kingdom"`) {
		t.Errorf("Great Britain: %q", res[2])
	}
	if res[3][2] != "invalid" || strings.Contains(msg(3), "Samoa") || !strings.Contains(msg(3), `did you mean "United States"?`) {
		t.Errorf("America: %q", res[3])
	}
	if s := readSummary(t, out); s.Warnings != 2 {
		t.Errorf("warnings %d, want 2", s.Warnings)
	}
}

// A 20 MB cell is named in messages, not echoed: the result row and the
// journal line stay small, errors.csv keeps the cell as it was, and
// errors.xlsx cuts it to what a cell holds, saying so.
func TestHugeCellIsNotEchoed(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "huge.csv")
	huge := strings.Repeat("L", 20<<20)
	os.WriteFile(in, []byte("First Name,Last Name,Email ID,Region,Division,Department\n"+huge+",Lee,ann@example.com,Region 1,Division 1,Department 1\n"), 0o644)
	out := filepath.Join(dir, "run")
	code, _, stderr := runCmd(t, "import", "users", in, "--out", out, "--format", "xlsx")
	if code != ExitPartial {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	size := func(name string) int64 {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	if n := size("results.csv"); n > 2<<10 {
		t.Errorf("results.csv is %d bytes", n)
	}
	if n := size("journal.jsonl"); n > 4<<10 {
		t.Errorf("journal.jsonl is %d bytes", n)
	}
	if n := size("errors.csv"); n < 20<<20 || n > 20<<20+2<<10 {
		t.Errorf("errors.csv is %d bytes; want the cell once and a short message", n)
	}
	res := readCSV(t, filepath.Join(out, "results.csv"))
	if msg := res[1][len(res[1])-1]; !strings.Contains(msg, `LLLL…" (20,971,520 characters)`) {
		t.Errorf("message %q", msg)
	}
	errs := readCSV(t, filepath.Join(out, "errors.csv"))
	if errs[1][0] != huge {
		t.Errorf("errors.csv does not keep the cell as it was (%d characters)", len(errs[1][0]))
	}
	f, err := excelize.OpenFile(filepath.Join(out, "errors.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 2 || len(rows[1][0]) != excelize.TotalCellChars || !strings.Contains(rows[1][6], `column 1 "First Name" is cut to its first 32,767 characters`) {
		t.Errorf("errors.xlsx: %d rows, cell of %d, message %.300q", len(rows), len(rows[1][0]), rows[1][6])
	}
}

// A users row found invalid only when its groups or courses were looked
// up (a group that does not exist, a session the course lacks) used to be
// created anyway and reported invalid: the summary said one user was
// created when three were. Now such a row sends nothing, and what the
// results say was created is what the organization gained.
func TestInvalidRowsSendNothing(t *testing.T) {
	srv, _ := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	in := filepath.Join(dir, "u.csv")
	os.WriteFile(in, []byte("First Name,Last Name,Employee ID,Email ID,Region,Division,Department,Groups,Courses\n"+
		"Ann,Lee,E9001,ann.lee@example.com,Region 1,Division 1,Department 1,Sales,Wert98k\n"+
		"Bo,Ray,E9002,bo.ray@example.com,Region 1,Division 1,Department 1,No Such Group,Wert98k\n"+
		"Cy,Tan,E9003,cy.tan@example.com,Region 1,Division 1,Department 1,Sales,pyOgaoli/9999\n"+
		"Di,Orr,E9004,di.orr@example.com,Region 1,Division 1,Department 1,Sales;sales,Wert98k;Ladder Safety\n"), 0o644)
	before := len(stateOf(srv).users)
	out := filepath.Join(dir, "run")
	code, _, stderr := runCmd(t, "import", "users", in, "--rate", "unlimited", "--out", out)
	if code != ExitPartial {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	rows := readResults(t, out)
	if got := column(rows, 2); !slices.Equal(got, []string{"created", "invalid", "invalid", "created"}) {
		t.Fatalf("outcomes %q\n%s", got, stderr)
	}
	for _, r := range rows[1:3] {
		if r[3] != "" || r[4] != "" {
			t.Errorf("invalid row %s has ID %q and actions %q: it sent something", r[0], r[3], r[4])
		}
	}
	if !strings.Contains(rows[3][5], "once is enough") || strings.Count(rows[3][4], "enroll in Wert98k") != 1 {
		t.Errorf("a course named twice: %q", rows[3])
	}
	s := readSummary(t, out)
	if gained := len(stateOf(srv).users) - before; gained != 2 || s.ByOutcome["created"] != 2 {
		t.Errorf("the organization gained %d users, the summary says %d created", gained, s.ByOutcome["created"])
	}
}

// An errors sheet leaves passwords blank (they are never written out);
// the run says so, so that a fixed sheet imported again does not set
// users up without the password the row gave. A run with nothing to fix
// says nothing of it.
func TestErrorsSheetSaysItsPasswordsAreBlank(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "pw.csv")
	for _, tc := range []struct {
		email string
		code  ExitCode
		note  bool
	}{{"not-an-email", ExitPartial, true}, {"ann.lee@example.com", ExitOK, false}} {
		os.WriteFile(in, []byte("First Name,Last Name,Employee ID,Email ID,Password\nAnn,Lee,E1,"+tc.email+",S3cret-Pass1\n"), 0o644)
		out := filepath.Join(dir, tc.email)
		code, _, stderr := runCmd(t, "validate", in, "--out", out)
		if code != tc.code {
			t.Fatalf("validate: exit %d\n%s", code, stderr)
		}
		said := strings.Contains(stderr, `the errors sheet leaves the "Password" column blank`)
		noted := slices.ContainsFunc(readSummary(t, out).Notes, func(n string) bool { return strings.Contains(n, "type the passwords in again") })
		if said != tc.note || noted != tc.note {
			t.Errorf("%s: said %v, in summary.json %v; want %v\n%s", tc.email, said, noted, tc.note, stderr)
		}
		if b, _ := os.ReadFile(filepath.Join(out, "errors.csv")); strings.Contains(string(b), "S3cret") {
			t.Errorf("errors.csv holds the password:\n%s", b)
		}
	}
}
