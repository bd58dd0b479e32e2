package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// complianceBook makes a workbook of three courses, one of them empty and
// two of the same name, and reads it back.
func complianceBook(t *testing.T) *excelize.File {
	t.Helper()
	c := complianceOf(t)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// complianceOf is the workbook of complianceBook, not written yet.
func complianceOf(t *testing.T) *Compliance {
	t.Helper()
	asOf := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	c, err := NewCompliance(asOf, ComplianceInfo{Org: "99999", Filters: "courses A, B, C", Generated: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	c.AddCourse(CourseInfo{ID: "A", Name: "Safety", Type: "Course"})
	c.AddCourse(CourseInfo{ID: "B", Name: "Safety", Type: "Course"})
	c.AddCourse(CourseInfo{ID: "C", Name: "Ethics", Type: "Course"})
	due, _ := ilms.ParseDate("2026-06-01T00:00:00")
	person := func(id int64, status string) *ilms.Enrollment {
		return &ilms.Enrollment{User: ilms.EnrollmentUser{ID: id, Profile_Basic: ilms.ProfileBasic{F001: "P", F003: "Q", F019: "R", F020: "D", F021: "Dept"}},
			CourseID: "A", CourseName: "Safety", CourseStatus: status, DueDate: &due}
	}
	for i, status := range []string{"Pass", "Not Started", "Waived", "In Progress"} {
		if err := c.Add("A", person(int64(i+1), status), &ilms.User{Profile: ilms.Profile{F033: "Sam Boss", F034: "sam@example.com"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Add("B", person(9, "Pass"), nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestComplianceIsPrintReady: every sheet prints landscape, one page
// wide, its header repeated and its pages numbered; starts with the
// title block and ends with a Total row.
func TestComplianceIsPrintReady(t *testing.T) {
	f := complianceBook(t)
	if got := f.GetSheetList(); got[0] != SheetSummary || got[len(got)-1] != SheetChart {
		t.Errorf("sheets %q: Summary first, the chart last", got)
	}
	titles := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles[d.Scope] = d.RefersTo
		}
	}
	for _, sheet := range []string{SheetSummary, SheetDepartment, SheetOverdue, SheetSupervisor, SheetDetails} {
		pl, err := f.GetPageLayout(sheet)
		if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.Size == nil || *pl.Size != 9 {
			t.Errorf("%s: page layout %+v %v", sheet, pl, err)
		}
		if props, _ := f.GetSheetProps(sheet); props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page", sheet)
		}
		if want := "'" + sheet + "'!$6:$6"; titles[sheet] != want {
			t.Errorf("%s: print titles %q, want %q", sheet, titles[sheet], want)
		}
		if hf, _ := f.GetHeaderFooter(sheet); hf == nil || !strings.Contains(hf.OddFooter, "Page &P of &N") {
			t.Errorf("%s: footer %+v", sheet, hf)
		}
		rows, _ := f.GetRows(sheet)
		if len(rows) < ComplianceHeaderRow+1 || rows[0][0] != "Compliance report of organization 99999" || !strings.HasPrefix(rows[1][0], "As of 2026-09-30") ||
			!strings.HasPrefix(rows[2][0], "Generated ") || rows[3][0] != "Courses: courses A, B, C" {
			t.Errorf("%s: title block %q", sheet, rows[:min(4, len(rows))])
		}
		if last := rows[len(rows)-1]; last[0] != "Total" {
			t.Errorf("%s: last row %q, want a Total row", sheet, last)
		}
		if !strings.Contains(rows[1][0], "statuses are as iLMS has them today") {
			t.Errorf("%s: an as-of date in the past does not say what it means: %q", sheet, rows[1][0])
		}
	}
	props, err := f.GetDocProps()
	if err != nil || !strings.HasPrefix(props.Creator, "ilms-bulk ") {
		t.Errorf("doc props %+v %v", props, err)
	}
	if created, err := time.Parse(time.RFC3339, props.Created); err != nil || time.Since(created) > time.Hour {
		t.Errorf("created %q (%v)", props.Created, err)
	}
}

// TestComplianceSummary: a course nobody is enrolled in shows its
// completion as "—", its counts as numbers; the Total row adds up the
// courses; the chart is one series of the completions, one colour, its
// values labelled, its courses named by name and ID where names repeat.
func TestComplianceSummary(t *testing.T) {
	f := complianceBook(t)
	rows, _ := f.GetRows(SheetSummary, excelize.Options{RawCellValue: true})
	table := rows[ComplianceHeaderRow-1:]
	byID := map[string][]string{}
	for _, r := range table[1:] {
		byID[r[0]] = r
	}
	if c := byID["C"]; c == nil || c[3] != "0" || c[9] != "—" {
		t.Errorf("the empty course: %q", c)
	}
	if a := byID["A"]; a == nil || a[3] != "4" || a[9] != "0.5" || a[10] != "2" {
		t.Errorf("course A: %q (4 enrolled, 2 done, 2 overdue)", a)
	}
	if total := byID["Total"]; total == nil || total[3] != "5" || total[6] != "2" || total[8] != "1" || total[10] != "2" || total[9] != "0.6" {
		t.Errorf("the Total row: %q", total)
	}
	if a, b := byID["A"], byID["B"]; a[11] != "Safety (A)" || b[11] != "Safety (B)" || byID["C"][11] != "Ethics" {
		t.Errorf("chart labels %q %q %q", a[11], b[11], byID["C"][11])
	}
	if visible, _ := f.GetColVisible(SheetSummary, "L"); visible {
		t.Error("the chart's labels are printed")
	}
	b, ok := f.Pkg.Load("xl/charts/chart1.xml")
	if !ok {
		t.Fatal("no chart")
	}
	chart := strings.ReplaceAll(strings.ReplaceAll(string(b.([]byte)), "&#39;", "'"), "<c:", "<")
	for _, want := range []string{`<varyColors val="0"`, `<showVal val="1"`, "'Summary'!$L$7:$L$9", "'Summary'!$J$7:$J$9", chartColor, "Completion by course, as of 2026-09-30"} {
		if !strings.Contains(chart, want) {
			t.Errorf("the chart lacks %s", want)
		}
	}
	if strings.Count(chart, "<ser>") != 1 {
		t.Errorf("the chart has %d series", strings.Count(chart, "<ser>"))
	}
}

// TestComplianceHTML: the one-page summary holds the title block, a bar
// per course drawn inline, the Summary with its Total, whom to chase;
// nothing is fetched from elsewhere and nothing links out.
func TestComplianceHTML(t *testing.T) {
	var b bytes.Buffer
	if err := complianceOf(t).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"<h1>Compliance report of organization 99999</h1>", "As of 2026-09-30", "<svg", "Safety (A)", "Safety (B)", ">50.0%<", ">—<",
		`<tr class="total">`, "Sam Boss", "R / D / Dept"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<rect"); n != 3 {
		t.Errorf("%d bars, want one per course", n)
	}
	for _, bad := range []string{"<link", "<script", "<img", "href=", "src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %q: it must stand alone", bad)
		}
	}
}
