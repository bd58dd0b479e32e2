package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// goldenExports are small exports of every kind from the seed org.
var goldenExports = []struct {
	name string
	args []string
}{
	{"users", []string{"users", "--status", "active,inactive", "--where", "F019=Region 1"}},
	{"users-fields", []string{"users", "--group", "Manager", "--fields", "Employee ID,F001,last name,F015,Supervisor Email,UserStatus", "--headers", "names"}},
	{"users-where", []string{"users", "--where", "F001=J*", "--where", "Department=Sales", "--status", "active,inactive,deleted"}},
	{"enrollments", []string{"enrollments", "--course", "Course 99", "--curriculum", "h0IHluoD", "--session", "iiOYhg6E/1234", "--include-inactive"}},
	{"transcripts", []string{"transcripts", "--user", "123456,sam.lee@email.com,Emp005"}},
	{"summary", []string{"summary", "--curriculum", "dHg6Kdl8", "--course", "pyOgaoli", "--course", "Course 99", "--include-inactive"}},
}

func TestExportGoldenFiles(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	for _, ex := range goldenExports {
		t.Run(ex.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), ex.name+".csv")
			code, _, stderr := runCmd(t, append(append([]string{"export"}, ex.args...), "--rate", "unlimited", "-o", out)...)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("..", "..", "testdata", "export", ex.name+".golden.csv")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s:\n%s", out, golden, got)
			}
			if rows := readCSV(t, out); len(rows) < 2 {
				t.Errorf("the golden export %s has no rows; pick filters that find some", ex.name)
			}
		})
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestExportXLSXMatchesCSV exports each golden case as a workbook and reads
// it back: same header and text as the CSV, dates as date cells, numbers as
// numbers, a frozen header with filter buttons.
func TestExportXLSXMatchesCSV(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	for _, ex := range goldenExports {
		t.Run(ex.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, o := range []string{"e.csv", "e.xlsx"} {
				if code, _, stderr := runCmd(t, append(append([]string{"export"}, ex.args...), "--rate", "unlimited", "-o", filepath.Join(dir, o))...); code != ExitOK {
					t.Fatalf("%s: exit %d\n%s", o, code, stderr)
				}
			}
			want := readCSV(t, filepath.Join(dir, "e.csv"))
			f, err := excelize.OpenFile(filepath.Join(dir, "e.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheet := f.GetSheetName(0)
			raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != len(want) {
				t.Fatalf("%d rows in the workbook, %d in the CSV", len(raw), len(want))
			}
			if !slices.Equal(raw[0], want[0]) {
				t.Errorf("header %q, want %q", raw[0], want[0])
			}
			dates, numbers := 0, 0
			for r := 1; r < len(want); r++ {
				for c, w := range want[r] {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					typ, _ := f.GetCellType(sheet, cell)
					v := ""
					if c < len(raw[r]) {
						v = raw[r][c]
					}
					switch {
					case w == "":
						if v != "" {
							t.Errorf("%s: %q, want blank", cell, v)
						}
					case typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset && v != "" && isNumber(v):
						n := parseFloat(t, v)
						switch {
						case strings.Contains(w, "T") && len(w) == 19: // a date
							d, err := excelize.ExcelDateToTime(n, false)
							if err != nil || d.Format(ilms.DateLayout) != w {
								t.Errorf("%s: date %v, want %s", cell, d, w)
							}
							style, _ := f.GetCellStyle(sheet, cell)
							if s, _ := f.GetStyle(style); s == nil || s.CustomNumFmt == nil || !strings.Contains(*s.CustomNumFmt, "yy") {
								t.Errorf("%s: a date without a date format", cell)
							}
							dates++
						case strings.HasSuffix(raw[0][c], "%"):
							if math.Abs(n*100-parseFloat(t, w)) > 0.05 {
								t.Errorf("%s: %v, want %s%%", cell, n, w)
							}
							numbers++
						default:
							if math.Abs(n-parseFloat(t, w)) > 1e-9 {
								t.Errorf("%s: %v, want %s", cell, n, w)
							}
							numbers++
						}
					default:
						if v != w {
							t.Errorf("%s: %q, want %q", cell, v, w)
						}
					}
				}
			}
			if numbers == 0 && ex.name != "users-fields" { // the one without a numeric column
				t.Error("no cell was written as a number")
			}
			if ex.name == "enrollments" || ex.name == "transcripts" {
				if dates == 0 {
					t.Error("no cell was written as a date")
				}
			}
			panes, _ := f.GetPanes(sheet)
			if !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("header not frozen: %+v", panes)
			}
			if tables, _ := f.GetTables(sheet); len(tables) != 1 {
				t.Errorf("tables (filter buttons): %+v", tables)
			}
		})
	}
}

func isNumber(s string) bool {
	var f float64
	_, err := fmt.Sscan(s, &f)
	return err == nil
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

// TestExportUsersImportsUnchanged is the round trip: a users export,
// imported as it is, changes nothing and sends no write.
func TestExportUsersImportsUnchanged(t *testing.T) {
	srv, _ := testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	for _, c := range []struct{ file, headers string }{{"users.csv", "codes"}, {"users.xlsx", "codes"}, {"named.csv", "names"}, {"named.xlsx", "names"}} {
		path := filepath.Join(dir, c.file)
		if code, _, stderr := runCmd(t, "export", "users", "--status", "active,inactive", "--headers", c.headers, "--rate", "unlimited", "-o", path); code != ExitOK {
			t.Fatalf("export: exit %d\n%s", code, stderr)
		}
		srv.ResetStats()
		out := t.TempDir()
		code, _, stderr := runCmd(t, "import", "users", path, "--rate", "unlimited", "--out", out)
		if code != ExitOK {
			t.Fatalf("%s: import exit %d\n%s", c.file, code, stderr)
		}
		rows := readResults(t, out)
		if o := outcomes(rows); o["unchanged"] != len(rows) || len(rows) < 50 {
			t.Errorf("%s: %v", c.file, o)
		}
		if s := srv.Stats(); s.Writes != 0 || s.ByMethod["POST"]+s.ByMethod["PUT"]+s.ByMethod["DELETE"] != 0 {
			t.Errorf("%s: the import sent %d writes: %v", c.file, s.Writes, s.ByMethod)
		}
	}
}

// TestExportNeutralizesFormulas stores values that a spreadsheet would run
// and checks that no export (nor the import's sheets) hands them over as
// formulas.
func TestExportNeutralizesFormulas(t *testing.T) {
	_, c := testSandbox(t, sandbox.Options{})
	ctx := context.Background()
	// iLMS refuses + (and ") in these fields; = - @ it takes.
	evil := map[string]string{"F007": "=HYPERLINK('http://x')", "F008": "-2 Main St", "F009": "@SUM(A1)", "F010": "=1*2"}
	var fields []ilms.ProfileField
	for k, v := range evil {
		fields = append(fields, ilms.ProfileField{Key: k, Value: v})
	}
	if err := c.Users.Update(ctx, 517244, fields); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, o := range []string{"u.csv", "u.xlsx"} {
		if code, _, stderr := runCmd(t, "export", "users", "--fields", "ID,F007,F008,F009,F010", "--rate", "unlimited", "-o", filepath.Join(dir, o)); code != ExitOK {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
	}
	var got [][]string
	for _, r := range readCSV(t, filepath.Join(dir, "u.csv")) {
		if r[0] == "517244" {
			got = append(got, r[1:])
		}
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "u.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Users")
	for i, r := range rows {
		if r[0] == "517244" {
			got = append(got, r[1:])
			for c := 2; c <= 5; c++ {
				cell, _ := excelize.CoordinatesToCellName(c, i+1)
				if formula, _ := f.GetCellFormula("Users", cell); formula != "" {
					t.Errorf("%s holds a formula %q", cell, formula)
				}
			}
		}
	}
	want := []string{"'=HYPERLINK('http://x')", "'-2 Main St", "'@SUM(A1)", "'=1*2"}
	if len(got) != 2 || !slices.Equal(got[0], want) || !slices.Equal(got[1], want) {
		t.Errorf("exported %q, want %q in CSV and XLSX", got, want)
	}
}

func TestExportUsageErrors(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"users", "--format", "xlsx", "-o", "-"}, "XLSX cannot go to standard output"},
		{[]string{"users", "--format", "pdf"}, `--format "pdf": give csv or xlsx`},
		{[]string{"users", "--headers", "labels"}, `--headers "labels": give codes or names`},
		{[]string{"users", "--fields", "F016"}, "never returns passwords"},
		{[]string{"users", "--fields", "F001,First Name"}, `"First Name" names F001, which is already a column`},
		{[]string{"users", "--fields", "Frist Name"}, `did you mean First Name (F001)?`},
		{[]string{"users", "--where", "F001"}, "write FIELD=VALUE"},
		{[]string{"users", "--where", "Groups=Sales"}, "is not a profile field"},
		{[]string{"users", "--status", "retired"}, `--status "retired": give active, inactive or deleted`},
		{[]string{"users", "--group", "No Such Group"}, "--group"},
		{[]string{"enrollments"}, "--all"},
		{[]string{"enrollments", "--all", "--course", "p1gyJg4a"}, "--all"},
		{[]string{"enrollments", "--course", "Nope"}, `no course has the ID or the name "Nope"`},
		{[]string{"enrollments", "--session", "pyOgaoli/1"}, "has no session 1"},
		{[]string{"transcripts", "--user", "1", "--status", "active"}, "not both"},
		{[]string{"compliance", "--as-of", "30/09/2026"}, "--as-of"},
		{[]string{"compliance", "--format", "csv"}, "give xlsx or html"},
	} {
		code, stdout, stderr := runCmd(t, append(append([]string{"export"}, c.args...), "--rate", "unlimited")...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("export %q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestExportTranscriptsOfUnknownUsers(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	code, stdout, stderr := runCmd(t, "export", "transcripts", "--user", "nobody@example.com,123456,E-404", "--rate", "unlimited", "-o", "-")
	if code != ExitPartial || !strings.Contains(stderr, `"nobody@example.com", "E-404"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("stdout %q: %v", stdout, err)
	}
	for _, r := range rows[1:] {
		if r[0] != "123456" {
			t.Errorf("row of user %s", r[0])
		}
	}
}

func TestExportExcelBOMAndStdout(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	code, stdout, stderr := runCmd(t, "export", "users", "--excel", "--fields", "F015", "--rate", "unlimited")
	if code != ExitOK || !strings.HasPrefix(stdout, "\ufeffF015\r\n") && !strings.HasPrefix(stdout, "\ufeffF015\n") {
		t.Errorf("exit %d, stdout starts %q", code, stdout[:min(len(stdout), 20)])
	}
	if stderr != "" {
		t.Errorf("an export to stdout should say nothing on stderr, said %q", stderr)
	}
}

// TestComplianceWorkbook reads the workbook back and checks it against a
// computation of its own from the enrollment lists.
func TestComplianceWorkbook(t *testing.T) {
	_, c := testSandbox(t, sandbox.Options{})
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "compliance.xlsx")
	courses := []string{"i4pkE0es", "fO1uIKJO", "wqivr6aA", "meOexN1A", "WErt98k"}
	curricula := []string{"PP1uIKJO", "h0IHluoD"}
	args := []string{"export", "compliance", "--as-of", "2025-06-30", "--rate", "unlimited", "-o", path}
	for _, id := range courses {
		args = append(args, "--course", id)
	}
	for _, id := range curricula {
		args = append(args, "--curriculum", id)
	}
	if code, _, stderr := runCmd(t, args...); code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Summary", "By Department", "Overdue", "By Supervisor", "Details", "Chart"}) {
		t.Fatalf("sheets %q", got)
	}

	// The hand computation: every enrollment of each course, from the API.
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	type tally struct{ enrolled, done, overdue int }
	perCourse := map[string]*tally{}
	perDept := map[string]*tally{} // "dept|course"
	overdue := map[string]bool{}   // "course|user"
	details := 0
	for i, id := range append(append([]string(nil), courses...), curricula...) {
		pager := c.Enrollments.Course(id, ilms.EnrollmentListOptions{})
		if i >= len(courses) {
			pager = c.Enrollments.Curriculum(id, ilms.EnrollmentListOptions{})
		}
		perCourse[id] = &tally{}
		for e, err := range pager.All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			details++
			p := e.User.Profile_Basic
			k := p.F019 + " / " + p.F020 + " / " + p.F021 + "|" + id
			if perDept[k] == nil {
				perDept[k] = &tally{}
			}
			for _, x := range []*tally{perCourse[id], perDept[k]} {
				x.enrolled++
				if e.CourseStatus == "Pass" || e.CourseStatus == "Waived" {
					x.done++
				}
			}
			if e.DueDate != nil && e.DueDate.Time.Before(asOf) && e.CourseStatus != "Pass" && e.CourseStatus != "Waived" {
				perCourse[id].overdue++
				overdue[fmt.Sprintf("%s|%d", id, e.User.ID)] = true
			}
		}
	}

	summary := sheetRows(t, f, "Summary", excelize.Options{RawCellValue: true})
	if !slices.Equal(summary[0][:11], []string{"Course ID", "Course Name", "Type", "Enrolled", "Not Started", "In Progress", "Passed", "Failed", "Waived", "Completion %", "Overdue"}) {
		t.Errorf("summary header %q", summary[0])
	}
	if len(summary) != 1+len(courses)+len(curricula) {
		t.Fatalf("summary has %d rows", len(summary))
	}
	for _, r := range summary[1:] {
		want := perCourse[r[0]]
		if want == nil {
			t.Errorf("summary row for %s", r[0])
			continue
		}
		pct := 0.0
		if want.enrolled > 0 {
			pct = float64(want.done) / float64(want.enrolled)
		}
		if r[3] != fmt.Sprint(want.enrolled) || r[10] != fmt.Sprint(want.overdue) || math.Abs(parseFloat(t, r[9])-pct) > 1e-9 {
			t.Errorf("summary %s: enrolled %s, completion %s, overdue %s; computed %d, %.4f, %d", r[0], r[3], r[9], r[10], want.enrolled, pct, want.overdue)
		}
	}
	// The report endpoint agrees with the workbook's counts.
	for _, r := range summary[1:] {
		rep, err := c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: r[0]})
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(rep[0].Enrolled, rep[0].NotStarted, rep[0].InProgress, rep[0].Passed, rep[0].Failed, rep[0].Waived)
		if want := strings.Join(r[3:9], " "); got != want {
			t.Errorf("%s: the summary report says %s, the workbook %s", r[0], got, want)
		}
	}
	if !hasChart(t, path) {
		t.Error("the Summary sheet has no chart")
	}

	depts := sheetRows(t, f, "By Department", excelize.Options{RawCellValue: true})
	header := depts[0]
	checked := 0
	for _, r := range depts[1:] {
		for col := 1; col < len(header); col++ {
			id := header[col][strings.LastIndex(header[col], "(")+1 : len(header[col])-1]
			want := perDept[r[0]+"|"+id]
			v := ""
			if col < len(r) {
				v = r[col]
			}
			if want == nil {
				if v != "" {
					t.Errorf("By Department %s × %s: %s, but nobody of it is enrolled", r[0], id, v)
				}
				continue
			}
			if got, pct := parseFloat(t, v), float64(want.done)/float64(want.enrolled); math.Abs(got-pct) > 1e-9 {
				t.Errorf("By Department %s × %s: %v, computed %v", r[0], id, got, pct)
			}
			checked++
		}
	}
	if checked != len(perDept) {
		t.Errorf("By Department has %d department × course cells, computed %d", checked, len(perDept))
	}

	od := sheetRows(t, f, "Overdue")
	if len(od)-1 != len(overdue) || len(overdue) == 0 {
		t.Errorf("Overdue has %d rows, computed %d", len(od)-1, len(overdue))
	}
	supervisors := 0
	for _, r := range od[1:] {
		if !overdue[r[0]+"|"+r[2]] {
			t.Errorf("overdue row %q is not overdue", r)
		}
		if r[2] == "123456" {
			if r[6] != "John Doe" || r[7] != "john.doe@email.com" {
				t.Errorf("Jane Roe's supervisor: %q %q", r[6], r[7])
			}
			supervisors++
		}
	}
	if supervisors == 0 {
		t.Error("no overdue row of Jane Roe, whose supervisor is known")
	}
	// Every overdue person with a supervisor in iLMS has them named, and
	// By Supervisor counts them.
	chase := map[string]int{}
	named := 0
	for _, r := range od[1:] {
		id, _ := strconv.ParseInt(r[2], 10, 64)
		u, err := c.Users.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		cell := func(i int) string {
			if i < len(r) {
				return r[i]
			}
			return ""
		}
		if cell(6) != u.Profile.F033 || cell(7) != u.Profile.F034 {
			t.Errorf("overdue %s: supervisor %q %q; iLMS has %q %q", r[2], cell(6), cell(7), u.Profile.F033, u.Profile.F034)
		}
		if u.Profile.F033 != "" {
			named++
		}
		chase[u.Profile.F034]++
	}
	if named*2 < len(od)-1 {
		t.Errorf("only %d of %d overdue rows name a supervisor: the seed gives most staff one", named, len(od)-1)
	}
	for _, r := range sheetRows(t, f, "By Supervisor")[1:] {
		email := r[1]
		if r[0] == "(no supervisor in iLMS)" {
			email = ""
		}
		if r[3] != fmt.Sprint(chase[email]) {
			t.Errorf("By Supervisor %s: %s overdue enrollments, the Overdue sheet %d", r[0], r[3], chase[email])
		}
	}
	if rows := sheetRows(t, f, "Details"); len(rows)-1 != details {
		t.Errorf("Details has %d rows, the API %d enrollments", len(rows)-1, details)
	}
	for _, sheet := range f.GetSheetList() {
		if sheet == "Chart" {
			continue // a chart sheet: no cells
		}
		if panes, _ := f.GetPanes(sheet); !panes.Freeze {
			t.Errorf("%s: header not frozen", sheet)
		}
	}
	// Numbers as numbers, dates as dates.
	first := report.ComplianceHeaderRow + 1 // the first course's row
	if typ, _ := f.GetCellType("Summary", fmt.Sprintf("D%d", first)); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("Summary D%d is text", first)
	}
	style, _ := f.GetCellStyle("Summary", fmt.Sprintf("J%d", first))
	if s, _ := f.GetStyle(style); s == nil || s.NumFmt != 10 {
		t.Errorf("completion is not a percentage: %+v", s)
	}
}

// sheetRows reads a sheet of the compliance workbook as a table: its
// header row and the rows under it, the title block above and the Total
// row below left out.
func sheetRows(t *testing.T, f *excelize.File, sheet string, opts ...excelize.Options) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, opts...)
	if err != nil || len(rows) < report.ComplianceHeaderRow {
		t.Fatalf("sheet %s: %v, %d rows", sheet, err, len(rows))
	}
	rows = rows[report.ComplianceHeaderRow-1:]
	if last := rows[len(rows)-1]; len(rows) > 1 && len(last) > 0 && last[0] == "Total" {
		rows = rows[:len(rows)-1]
	}
	return rows
}

// hasChart looks for a chart drawn on the first sheet.
func hasChart(t *testing.T, path string) bool {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, name := range []string{"xl/charts/chart1.xml", "xl/drawings/drawing1.xml"} {
		if _, ok := f.Pkg.Load(name); !ok {
			return false
		}
	}
	b, _ := f.Pkg.Load("xl/charts/chart1.xml")
	return strings.Contains(string(b.([]byte)), "barChart") && strings.Contains(string(b.([]byte)), "Summary")
}

// TestEmptyExportsHaveTheirHeader: an export that finds nothing is a
// file with its header, in either format, and exit 0.
func TestEmptyExportsHaveTheirHeader(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	for _, args := range [][]string{
		{"transcripts", "--status", "deleted"}, // deleted users have no transcript lines
		{"users", "--where", "F001=Nobody*"},
		{"enrollments", "--course", "hIst0ric"},
	} {
		for _, ext := range []string{".csv", ".xlsx"} {
			out := filepath.Join(t.TempDir(), "empty"+ext)
			code, _, stderr := runCmd(t, append(append([]string{"export"}, args...), "--rate", "unlimited", "-o", out)...)
			if code != ExitOK || !strings.Contains(stderr, "exported 0 ") {
				t.Errorf("%q %s: exit %d, %q", args, ext, code, stderr)
				continue
			}
			var rows [][]string
			if ext == ".csv" {
				rows = readCSV(t, out)
			} else {
				f, err := excelize.OpenFile(out)
				if err != nil {
					t.Fatal(err)
				}
				rows, _ = f.GetRows(f.GetSheetName(0))
				f.Close()
			}
			if len(rows) != 1 || len(rows[0]) < 2 {
				t.Errorf("%q %s: %q, want the header alone", args, ext, rows)
			}
		}
	}
}

// TestComplianceCountsInOneUnit reads the progress lines of a compliance
// export and its last line: both count enrollments, and the last count is
// the Details sheet's.
func TestComplianceCountsInOneUnit(t *testing.T) {
	testSandbox(t, sandbox.Options{Latency: 2 * time.Millisecond})
	old := logEvery
	logEvery = time.Millisecond
	defer func() { logEvery = old }()
	path := filepath.Join(t.TempDir(), "compliance.xlsx")
	code, _, stderr := runCmd(t, "export", "compliance", "--as-of", "2025-06-30", "--rate", "unlimited", "-o", path)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	progress := regexp.MustCompile(`^export compliance: (\d+) enrollments, [\d.]+ enrollments/s$`)
	final := regexp.MustCompile(`^wrote the compliance workbook of \d+ courses and curricula, (\d+) enrollments, `)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last, seen := 0, 0
	for _, l := range lines[:len(lines)-1] {
		m := progress.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("progress line %q does not count enrollments", l)
			continue
		}
		last, _ = strconv.Atoi(m[1])
		seen++
	}
	m := final.FindStringSubmatch(lines[len(lines)-1])
	if m == nil || seen == 0 {
		t.Fatalf("no progress lines or no final line in %q", stderr)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	details := sheetRows(t, f, report.SheetDetails)
	if n, _ := strconv.Atoi(m[1]); n != len(details)-1 || last > n {
		t.Errorf("the last line says %s enrollments, the Details sheet has %d, the last progress line %d", m[1], len(details)-1, last)
	}
}

// TestExportUsersWritesDatesAsDates: in a workbook, Hire Date (F005) and
// Registration Date (F032) are date cells holding the CSV's dates.
func TestExportUsersWritesDatesAsDates(t *testing.T) {
	testSandbox(t, sandbox.Options{})
	dir := t.TempDir()
	for _, o := range []string{"u.csv", "u.xlsx"} {
		if code, _, stderr := runCmd(t, "export", "users", "--fields", "ID,F005,F032", "--rate", "unlimited", "-o", filepath.Join(dir, o)); code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", o, code, stderr)
		}
	}
	want := readCSV(t, filepath.Join(dir, "u.csv"))
	f, err := excelize.OpenFile(filepath.Join(dir, "u.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, _ := f.GetRows("Users", excelize.Options{RawCellValue: true})
	dates := 0
	for r := 1; r < len(want); r++ {
		for c := 1; c <= 2; c++ {
			if want[r][c] == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			d, err := excelize.ExcelDateToTime(parseFloat(t, raw[r][c]), false)
			style, _ := f.GetCellStyle("Users", cell)
			s, _ := f.GetStyle(style)
			if err != nil || d.Format(ilms.DateLayout) != want[r][c][:19] || s == nil || s.CustomNumFmt == nil || !strings.Contains(*s.CustomNumFmt, "yy") {
				t.Errorf("%s (%s): %q, want a date cell of %s", cell, want[0][c], raw[r][c], want[r][c])
			}
			dates++
		}
	}
	if dates < len(want) {
		t.Errorf("%d dates in %d users", dates, len(want)-1)
	}
}

// TestComplianceComparesTwoQuarters: the workbook of 30 September,
// compared with the one of 30 June, says per course what completion was
// and is, and who is newly overdue, no longer overdue, newly enrolled and
// gone, as a hand computation from iLMS's enrollments before and after
// the changes between them says; a workbook not of ilms-bulk is refused.
func TestComplianceComparesTwoQuarters(t *testing.T) {
	_, c := testSandbox(t, sandbox.Options{})
	ctx := context.Background()
	dir := t.TempDir()
	june, sept := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	type rec struct {
		course, user  string
		done, overdue bool
		due           *time.Time
	}
	read := func(asOf time.Time) map[string]rec {
		out := map[string]rec{}
		var pagers []*ilms.Pager[ilms.Enrollment]
		for co, err := range c.Courses.List(ilms.CourseListOptions{}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			pagers = append(pagers, c.Enrollments.Course(co.ID, ilms.EnrollmentListOptions{}))
		}
		for cu, err := range c.Curricula.List("").All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			pagers = append(pagers, c.Enrollments.Curriculum(cu.ID, ilms.EnrollmentListOptions{}))
		}
		for _, p := range pagers {
			for e, err := range p.All(ctx) {
				if err != nil {
					t.Fatal(err)
				}
				r := rec{course: e.CourseID, user: fmt.Sprint(e.User.ID), done: e.CourseStatus == "Pass" || e.CourseStatus == "Waived"}
				if e.DueDate != nil && !r.done {
					d := e.DueDate.Time.UTC()
					r.overdue = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Before(asOf)
				}
				out[r.course+"|"+r.user] = r
			}
		}
		return out
	}
	first := filepath.Join(dir, "2026-06-30.xlsx")
	if code, _, stderr := runCmd(t, "export", "compliance", "--as-of", "2026-06-30", "--rate", "unlimited", "-o", first); code != ExitOK {
		t.Fatalf("June: exit %d\n%s", code, stderr)
	}
	then := read(june)
	// Between the two: one overdue person passes, one person is enrolled
	// anew, one is un-enrolled.
	var passed, gone string
	for k, r := range then {
		if r.overdue && passed == "" && !strings.HasPrefix(r.course, "Ilt") {
			passed = k
		} else if !r.overdue && !r.done && gone == "" && k != passed && !strings.HasPrefix(r.course, "Ilt") {
			gone = k
		}
	}
	if passed == "" || gone == "" {
		t.Fatal("the seed has no overdue or open enrollment to change")
	}
	pc, pu, _ := strings.Cut(passed, "|")
	gc, gu, _ := strings.Cut(gone, "|")
	puID, _ := strconv.ParseInt(pu, 10, 64)
	guID, _ := strconv.ParseInt(gu, 10, 64)
	if err := c.Transcripts.UpdateCourse(ctx, puID, pc, ilms.TranscriptUpdate{Status: "pass"}); err != nil {
		t.Logf("pass %s: %v (a curriculum?)", passed, err)
		if err := c.Transcripts.UpdateCurriculum(ctx, puID, pc, ilms.TranscriptUpdate{Status: "pass"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Enrollments.UnenrollCourse(ctx, gc, guID); err != nil {
		if err := c.Enrollments.UnenrollCurriculum(ctx, gc, guID); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Enrollments.EnrollCourse(ctx, "Wert98k", 123456); err != nil {
		t.Fatal(err)
	}
	now := read(sept)
	second := filepath.Join(dir, "2026-09-30.xlsx")
	if code, _, stderr := runCmd(t, "export", "compliance", "--as-of", "2026-09-30", "--compare", first, "--rate", "unlimited", "-o", second); code != ExitOK {
		t.Fatalf("September: exit %d\n%s", code, stderr)
	}

	// The hand computation.
	want := map[string][]string{}
	keys := map[string]bool{}
	for k := range then {
		keys[k] = true
	}
	for k := range now {
		keys[k] = true
	}
	for k := range keys {
		a, inA := then[k]
		b, inB := now[k]
		switch {
		case inB && b.overdue && (!inA || !a.overdue):
			want["Newly overdue"] = append(want["Newly overdue"], k)
		}
		if inA && a.overdue && (!inB || !b.overdue) {
			want["No longer overdue"] = append(want["No longer overdue"], k)
		}
		if !inA && inB {
			want["Newly enrolled"] = append(want["Newly enrolled"], k)
		}
		if inA && !inB {
			want["Gone"] = append(want["Gone"], k)
		}
	}
	for _, l := range want {
		slices.Sort(l)
	}
	if !slices.Contains(want["No longer overdue"], passed) || !slices.Equal(want["Gone"], []string{gone}) || !slices.Contains(want["Newly enrolled"], "Wert98k|123456") {
		t.Fatalf("the hand computation: %v", want)
	}

	f, err := excelize.OpenFile(second)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Changes", excelize.Options{RawCellValue: true})
	got := map[string][]string{}
	completion := map[string][2]string{}
	section := ""
	for _, r := range rows[report.ComplianceHeaderRow-1:] {
		switch {
		case len(r) == 0 || r[0] == "":
			section = ""
		case section == "" && len(r) > 2 && r[2] == "Then" || section == "" && len(r) > 1 && r[1] == "Course Name":
			section = r[0]
		case section == "Completion by course":
			completion[r[0]] = [2]string{r[2], r[3]}
		case section != "" && section != "Completion by department" && r[0] != "Total":
			got[section] = append(got[section], r[0]+"|"+r[2])
		}
	}
	for _, l := range got {
		slices.Sort(l)
	}
	for _, s := range []string{"Newly overdue", "No longer overdue", "Newly enrolled", "Gone"} {
		if !slices.Equal(got[s], want[s]) {
			t.Errorf("%s: the workbook %v, computed %v", s, got[s], want[s])
		}
	}
	// Completion then → now of the course someone passed in.
	rate := func(m map[string]rec, course string) string {
		n, done := 0, 0
		for _, r := range m {
			if r.course == course {
				n++
				if r.done {
					done++
				}
			}
		}
		if n == 0 {
			return "—"
		}
		return strconv.FormatFloat(float64(done)/float64(n), 'f', -1, 64)
	}
	for _, course := range []string{pc, gc, "Wert98k"} {
		g := completion[course]
		same := func(got, want string) bool {
			if got == "—" || want == "—" {
				return got == want
			}
			return math.Abs(parseFloat(t, got)-parseFloat(t, want)) < 1e-9
		}
		if !same(g[0], rate(then, course)) || !same(g[1], rate(now, course)) {
			t.Errorf("%s completion: the workbook %v, computed %s → %s", course, g, rate(then, course), rate(now, course))
		}
	}

	// The one-page summary says the same in short.
	page := filepath.Join(dir, "2026-09-30.html")
	if code, _, stderr := runCmd(t, "export", "compliance", "--as-of", "2026-09-30", "--compare", first, "--rate", "unlimited", "-o", page); code != ExitOK {
		t.Fatalf("html: exit %d\n%s", code, stderr)
	}
	html, _ := os.ReadFile(page)
	for _, s := range []string{"Newly overdue", "No longer overdue", "Newly enrolled", "Gone"} {
		if want := fmt.Sprintf("<tr><th>%s</th><td class=\"num\">%d</td></tr>", s, len(want[s])); !strings.Contains(string(html), want) {
			t.Errorf("the html page lacks %s", want)
		}
	}
	if !strings.Contains(string(html), "<h2>Since 2026-06-30</h2>") {
		t.Error("the html page has no changes since June")
	}

	// A workbook ilms-bulk did not write is refused, having sent nothing.
	other := filepath.Join(dir, "other.xlsx")
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "hello")
	x.SaveAs(other)
	code, _, stderr := runCmd(t, "export", "compliance", "--compare", other, "--rate", "unlimited", "-o", filepath.Join(dir, "x.xlsx"))
	if code != ExitUsage || !strings.Contains(stderr, "was not written by ilms-bulk") {
		t.Errorf("a foreign workbook: exit %d\n%s", code, stderr)
	}
}
