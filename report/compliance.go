package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// CourseInfo names a course or curriculum of a compliance workbook.
type CourseInfo struct {
	ID, Name, Type string
}

// Compliance builds the quarterly compliance workbook as enrollments
// stream in: a Summary sheet per course (with a chart of completion), a By
// Department sheet (completion of each department in each course), an
// Overdue sheet and a Details sheet with every enrollment. Details and
// Overdue are streamed; the two summaries are small and written at the
// end. Completion is passed or waived over enrolled; an enrollment is
// overdue when its due date is before the as-of date and it is neither
// passed nor waived.
type Compliance struct {
	f       *excelize.File
	asOf    time.Time
	info    ComplianceInfo
	details *XLSXSink
	overdue *XLSXSink
	courses []CourseInfo
	byID    map[string]*tally
	depts   map[string]map[string]*tally // department → course → tally
	chase   map[[2]string]*chased        // supervisor (name, email) → their people overdue
	// prev and now are the enrollments of the workbook compared with
	// (Compare) and of this one; nil without a comparison.
	prev *Previous
	now  map[string]*enrolled
}

// chased is what a supervisor's people have overdue.
type chased struct {
	people      map[int64]bool
	enrollments int
}

type tally struct {
	enrolled, notStarted, inProgress, passed, failed, waived, overdue int
}

func (t *tally) add(o *tally) {
	t.enrolled, t.notStarted, t.inProgress = t.enrolled+o.enrolled, t.notStarted+o.notStarted, t.inProgress+o.inProgress
	t.passed, t.failed, t.waived, t.overdue = t.passed+o.passed, t.failed+o.failed, t.waived+o.waived, t.overdue+o.overdue
}

func (t *tally) completion() float64 {
	if t.enrolled == 0 {
		return 0
	}
	return float64(t.passed+t.waived) / float64(t.enrolled)
}

// Sheet names of the workbook.
const (
	SheetSummary    = "Summary"
	SheetDepartment = "By Department"
	SheetOverdue    = "Overdue"
	SheetSupervisor = "By Supervisor"
	SheetDetails    = "Details"
	SheetChart      = "Chart"
	SheetChanges    = "Changes"
)

// ComplianceInfo says what a workbook is of, for the title block every
// sheet starts with.
type ComplianceInfo struct {
	Org       string    // the organization
	Filters   string    // the courses and curricula chosen, in words; "" for all
	Generated time.Time // when it is made
}

// titleRows are the lines of the title block; the header is on the row
// after a blank line.
const titleRows = 4

// headerAt is the row of each sheet's header, under the title block.
const headerAt = titleRows + 2

// ComplianceHeaderRow is the row of every sheet's header (1 is the
// first), under the title block; the sheet's table is below it, and a
// row labelled "Total" ends it.
const ComplianceHeaderRow = headerAt

// NewCompliance starts a workbook for enrollments as of a day.
func NewCompliance(asOf time.Time, info ComplianceInfo) (*Compliance, error) {
	f := excelize.NewFile()
	if info.Generated.IsZero() {
		info.Generated = time.Now()
	}
	c := &Compliance{f: f, asOf: asOf, info: info, byID: map[string]*tally{}, depts: map[string]map[string]*tally{}, chase: map[[2]string]*chased{}}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return nil, err
	}
	for _, s := range []string{SheetDepartment, SheetOverdue, SheetSupervisor, SheetDetails} {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	// Printed: landscape A4, one page wide, the header on every page, the
	// pages numbered. Set before the sheets are streamed.
	for _, s := range []string{SheetSummary, SheetDepartment, SheetOverdue, SheetSupervisor, SheetDetails} {
		if err := c.printSetup(s); err != nil {
			return nil, err
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "ilms-bulk " + ilmsbulk.Version, LastModifiedBy: "ilms-bulk " + ilmsbulk.Version,
		Created: info.Generated.UTC().Format(time.RFC3339), Modified: info.Generated.UTC().Format(time.RFC3339), Title: c.title()}); err != nil {
		return nil, err
	}
	var err error
	if c.details, err = sinkOn(f, SheetDetails); err != nil {
		return nil, err
	}
	if c.overdue, err = sinkOn(f, SheetOverdue); err != nil {
		return nil, err
	}
	c.details.lead, c.overdue.lead = c.titleBlock(), c.titleBlock()
	c.details.Header(Columns(EnrollmentRecord{}))
	c.overdue.Header([]string{"Course ID", "Course Name", "User ID", "First Name", "Last Name", "Email ID", "Supervisor Name", "Supervisor Email",
		"Region", "Division", "Department", "Status", "Due Date", "Days Overdue"})
	return c, nil
}

// AddCourse adds a course (or curriculum) to the summary, in order.
func (c *Compliance) AddCourse(info CourseInfo) {
	if _, ok := c.byID[info.ID]; ok {
		return
	}
	c.courses = append(c.courses, info)
	c.byID[info.ID] = &tally{}
}

// Add counts one enrollment of a course added before; u is the user's
// full profile when known (for the supervisor).
func (c *Compliance) Add(courseID string, e *ilms.Enrollment, u *ilms.User) error {
	t := c.byID[courseID]
	if t == nil {
		return fmt.Errorf("compliance: course %s was not added", courseID)
	}
	p := e.User.Profile_Basic
	dept := p.F019 + " / " + p.F020 + " / " + p.F021
	if c.depts[dept] == nil {
		c.depts[dept] = map[string]*tally{}
	}
	dt := c.depts[dept][courseID]
	if dt == nil {
		dt = &tally{}
		c.depts[dept][courseID] = dt
	}
	overdue := c.Overdue(e)
	if c.now != nil {
		c.keep(&enrolled{course: courseID, courseName: e.CourseName, user: strconv.FormatInt(e.User.ID, 10), name: strings.TrimSpace(p.F001 + " " + p.F003),
			email: p.F015, dept: dept, done: e.CourseStatus == "Pass" || e.CourseStatus == "Waived", overdue: overdue})
	}
	for _, x := range []*tally{t, dt} {
		x.enrolled++
		switch e.CourseStatus {
		case "Not Started":
			x.notStarted++
		case "In Progress":
			x.inProgress++
		case "Pass":
			x.passed++
		case "Fail":
			x.failed++
		case "Waived":
			x.waived++
		}
		if overdue {
			x.overdue++
		}
	}
	if err := c.details.Row(Values(NewEnrollmentRecord(e))); err != nil {
		return err
	}
	if overdue {
		var supName, supEmail string
		if u != nil {
			supName, supEmail = u.Profile.F033, u.Profile.F034
		}
		sup := [2]string{supName, supEmail}
		if c.chase[sup] == nil {
			c.chase[sup] = &chased{people: map[int64]bool{}}
		}
		c.chase[sup].people[e.User.ID] = true
		c.chase[sup].enrollments++
		days := int(dayOf(c.asOf).Sub(dayOf(e.DueDate.Time)).Hours() / 24)
		return c.overdue.Row([]any{e.CourseID, Cell(e.CourseName), e.User.ID, Cell(p.F001), Cell(p.F003), Cell(p.F015), Cell(supName), Cell(supEmail),
			Cell(p.F019), Cell(p.F020), Cell(p.F021), e.CourseStatus, DateOf(e.DueDate), days})
	}
	return nil
}

// Overdue says whether an enrollment is overdue as of the workbook's day:
// due before that day, and neither passed nor waived.
func (c *Compliance) Overdue(e *ilms.Enrollment) bool {
	return e.DueDate != nil && !e.DueDate.IsZero() && dayOf(e.DueDate.Time).Before(dayOf(c.asOf)) &&
		e.CourseStatus != "Pass" && e.CourseStatus != "Waived"
}

func dayOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// WriteTo writes the summaries, then the workbook to w.
func (c *Compliance) WriteTo(w io.Writer) (int64, error) {
	defer c.f.Close()
	overdue := 0
	for _, t := range c.byID {
		overdue += t.overdue
	}
	c.details.total = []any{"Total", fmt.Sprintf("%d enrollments", c.Enrollments())}
	c.overdue.total = []any{"Total", fmt.Sprintf("%d overdue", overdue)}
	for _, s := range []*XLSXSink{c.details, c.overdue} {
		if err := s.finish(); err != nil {
			return 0, err
		}
	}
	if err := c.writeSummary(); err != nil {
		return 0, err
	}
	if err := c.writeDepartments(); err != nil {
		return 0, err
	}
	if err := c.writeSupervisors(); err != nil {
		return 0, err
	}
	if err := c.writeChanges(); err != nil {
		return 0, err
	}
	c.f.SetActiveSheet(0)
	return c.f.WriteTo(w)
}

// title is the workbook's title.
func (c *Compliance) title() string {
	if c.info.Org == "" {
		return "Compliance report"
	}
	return "Compliance report of organization " + c.info.Org
}

// titleBlock is the text every sheet starts with: what, as of when, made
// when, of which courses.
func (c *Compliance) titleBlock() [][]any {
	asOf := "As of " + c.asOf.Format("2006-01-02")
	if dayOf(c.asOf).Before(dayOf(c.info.Generated)) {
		asOf += ": statuses are as iLMS has them today; due dates are judged as of that date"
	}
	courses := "Courses: " + c.filters()
	return [][]any{{c.title()}, {asOf}, {"Generated " + c.info.Generated.Format("2006-01-02 15:04 MST") + " by ilms-bulk " + ilmsbulk.Version}, {Neutralize(courses)}}
}

// filters says the courses and curricula of the workbook in words.
func (c *Compliance) filters() string {
	if c.info.Filters == "" {
		return "all courses and curricula"
	}
	return c.info.Filters
}

// writeTitle writes the title block on a sheet not streamed.
func (c *Compliance) writeTitle(sheet string) error {
	bold, err := c.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	for i, line := range c.titleBlock() {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := c.f.SetSheetRow(sheet, cell, &line); err != nil {
			return err
		}
	}
	return c.f.SetCellStyle(sheet, "A1", "A1", bold)
}

// printSetup prints a sheet landscape on A4, fitted to one page wide,
// its header repeated on every page, the pages numbered.
func (c *Compliance) printSetup(sheet string) error {
	landscape, a4, one, any := "landscape", 9, 1, 0
	if err := c.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any}); err != nil {
		return err
	}
	if err := c.fitToPage(sheet); err != nil {
		return err
	}
	footer := "&L" + strings.ReplaceAll(c.title(), "&", "&&") + ", as of " + c.asOf.Format("2006-01-02") + "&RPage &P of &N"
	if err := c.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: footer}); err != nil {
		return err
	}
	return c.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerAt, headerAt), Scope: sheet})
}

func (c *Compliance) fitToPage(sheet string) error {
	return c.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: boolPtr(true)})
}

// Enrollments returns how many enrollments the workbook holds.
func (c *Compliance) Enrollments() int {
	n := 0
	for _, t := range c.byID {
		n += t.enrolled
	}
	return n
}

// finish ends a streamed sheet inside a workbook another writer saves.
func (s *XLSXSink) finish() error {
	if s.row == 0 {
		if err := s.flushBuffered(); err != nil {
			return err
		}
	}
	if hr := s.headerRow(); s.row > hr {
		last, _ := excelize.CoordinatesToCellName(len(s.cols), s.row)
		if err := s.sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A%d:%s", hr, last), Name: tableName(s.sheet), StyleName: tableStyle, ShowRowStripes: boolPtr(true)}); err != nil {
			return err
		}
	}
	if s.total != nil {
		cells := make([]any, len(s.total))
		for i, v := range s.total {
			cells[i] = excelize.Cell{StyleID: s.head, Value: s.cell(v)}
		}
		s.row++
		if err := s.sw.SetRow(fmt.Sprintf("A%d", s.row), cells); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

func tableName(sheet string) string {
	out := []rune{}
	for _, r := range sheet {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			out = append(out, r)
		}
	}
	return string(out)
}

func (c *Compliance) styles() (head, pct int, err error) {
	if head, err = c.f.NewStyle(headerStyle()); err != nil {
		return
	}
	// Right-aligned: a completion of "—" stands where the numbers do.
	p := percentStyle()
	p.Alignment = &excelize.Alignment{Horizontal: "right"}
	pct, err = c.f.NewStyle(p)
	return
}

// chartLabels name the courses as the chart shows them: by name, with
// the ID where two share a name.
func (c *Compliance) chartLabels() []string {
	seen := map[string]int{}
	for _, ci := range c.courses {
		seen[ci.Name]++
	}
	out := make([]string, len(c.courses))
	for i, ci := range c.courses {
		out[i] = ci.Name
		if seen[ci.Name] > 1 || ci.Name == "" {
			out[i] = strings.TrimSpace(ci.Name + " (" + ci.ID + ")")
		}
	}
	return out
}

// noCompletion is what a course no one is enrolled in shows as its
// completion: there is none, which 0% would misstate.
const noCompletion = "—"

func (c *Compliance) writeSummary() error {
	f, sheet := c.f, SheetSummary
	head, pct, err := c.styles()
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(headerStyle())
	if err != nil {
		return err
	}
	if err := c.writeTitle(sheet); err != nil {
		return err
	}
	cols := []string{"Course ID", "Course Name", "Type", "Enrolled", "Not Started", "In Progress", "Passed", "Failed", "Waived", "Completion %", "Overdue", "Chart label"}
	hcell, _ := excelize.CoordinatesToCellName(1, headerAt)
	f.SetSheetRow(sheet, hcell, &cols)
	last, _ := excelize.CoordinatesToCellName(len(cols)-1, headerAt)
	f.SetCellStyle(sheet, hcell, last, head)
	widths := make([]float64, len(cols))
	for i, h := range cols {
		widths[i] = width(h) + 2
	}
	labels := c.chartLabels()
	var sum tally
	for i, ci := range c.courses {
		t := c.byID[ci.ID]
		var completion any = t.completion()
		if t.enrolled == 0 {
			completion = noCompletion
		}
		row := []any{ci.ID, Neutralize(ci.Name), ci.Type, t.enrolled, t.notStarted, t.inProgress, t.passed, t.failed, t.waived, completion, t.overdue, Neutralize(labels[i])}
		cell, _ := excelize.CoordinatesToCellName(1, headerAt+1+i)
		f.SetSheetRow(sheet, cell, &row)
		pc, _ := excelize.CoordinatesToCellName(10, headerAt+1+i)
		f.SetCellStyle(sheet, pc, pc, pct)
		widths[1] = max(widths[1], min(width(ci.Name)+2, 50))
		sum.add(t)
	}
	n := len(c.courses)
	var completion any = sum.completion()
	if sum.enrolled == 0 {
		completion = noCompletion
	}
	total := []any{"Total", fmt.Sprintf("%d courses and curricula", n), nil, sum.enrolled, sum.notStarted, sum.inProgress, sum.passed, sum.failed, sum.waived, completion, sum.overdue}
	tcell, _ := excelize.CoordinatesToCellName(1, headerAt+1+n)
	f.SetSheetRow(sheet, tcell, &total)
	tend, _ := excelize.CoordinatesToCellName(len(total), headerAt+1+n)
	f.SetCellStyle(sheet, tcell, tend, bold)
	tpc, _ := excelize.CoordinatesToCellName(10, headerAt+1+n)
	boldPct, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: percentFormat, Fill: headerStyle().Fill, Alignment: &excelize.Alignment{Horizontal: "right"}})
	f.SetCellStyle(sheet, tpc, tpc, boldPct)
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, w)
	}
	f.SetColVisible(sheet, "L", false) // the chart's labels; not printed
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerAt, TopLeftCell: fmt.Sprintf("A%d", headerAt+1), ActivePane: "bottomLeft"})
	end, _ := excelize.CoordinatesToCellName(len(cols)-1, headerAt+n)
	if err := f.AutoFilter(sheet, hcell+":"+end, nil); err != nil {
		return err
	}
	if err := c.fitToPage(sheet); err != nil { // the filter resets it
		return err
	}
	if n == 0 {
		return nil
	}
	// The chart on a sheet of its own: one printed page, whatever the
	// number of courses.
	ref := func(col string) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, col, headerAt+1, col, headerAt+n)
	}
	return f.AddChartSheet(SheetChart, &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("'%s'!$J$%d", sheet, headerAt),
			Categories: ref("L"),
			Values:     ref("J"),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{chartColor}},
		}},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf("Completion by course, as of %s", c.asOf.Format("2006-01-02")), Font: &excelize.Font{Bold: true, Size: 14, Color: "000000"}}}},
		VaryColors: boolPtr(false),
		XAxis:      excelize.ChartAxis{Font: excelize.Font{Size: 11, Color: "000000"}, ReverseOrder: true},
		YAxis:      excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Maximum: floatPtr(1), Minimum: floatPtr(0), Font: excelize.Font{Size: 10, Color: "000000"}},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Legend:     excelize.ChartLegend{Position: "none"},
	})
}

// chartColor is the one colour of the chart's bars.
const chartColor = "2E75B6"

func floatPtr(f float64) *float64 { return &f }

func (c *Compliance) writeDepartments() error {
	f, sheet := c.f, SheetDepartment
	head, pct, err := c.styles()
	if err != nil {
		return err
	}
	if err := c.writeTitle(sheet); err != nil {
		return err
	}
	depts := make([]string, 0, len(c.depts))
	for d := range c.depts {
		depts = append(depts, d)
	}
	sort.Strings(depts)
	header := []any{"Region / Division / Department"}
	for _, ci := range c.courses {
		header = append(header, Neutralize(ci.Name+" ("+ci.ID+")"))
	}
	hcell, _ := excelize.CoordinatesToCellName(1, headerAt)
	f.SetSheetRow(sheet, hcell, &header)
	last, _ := excelize.CoordinatesToCellName(len(header), headerAt)
	f.SetCellStyle(sheet, hcell, last, head)
	f.SetRowHeight(sheet, headerAt, 45)
	wrap, _ := f.NewStyle(wrappedHeaderStyle())
	if len(header) > 1 {
		from, _ := excelize.CoordinatesToCellName(2, headerAt)
		f.SetCellStyle(sheet, from, last, wrap)
	}
	w := width(header[0].(string)) + 2
	for i, d := range depts {
		row := []any{Neutralize(d)}
		w = max(w, min(width(d)+2, 60))
		for _, ci := range c.courses {
			if t := c.depts[d][ci.ID]; t != nil && t.enrolled > 0 {
				row = append(row, t.completion())
			} else {
				row = append(row, nil)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, headerAt+1+i)
		f.SetSheetRow(sheet, cell, &row)
		if len(c.courses) > 0 {
			from, _ := excelize.CoordinatesToCellName(2, headerAt+1+i)
			to, _ := excelize.CoordinatesToCellName(len(c.courses)+1, headerAt+1+i)
			f.SetCellStyle(sheet, from, to, pct)
		}
	}
	// Total: each course's completion over every department.
	total := []any{"Total"}
	for _, ci := range c.courses {
		if t := c.byID[ci.ID]; t.enrolled > 0 {
			total = append(total, t.completion())
		} else {
			total = append(total, noCompletion)
		}
	}
	trow := headerAt + 1 + len(depts)
	tcell, _ := excelize.CoordinatesToCellName(1, trow)
	f.SetSheetRow(sheet, tcell, &total)
	boldPct, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: percentFormat, Fill: headerStyle().Fill, Alignment: &excelize.Alignment{Horizontal: "right"}})
	tend, _ := excelize.CoordinatesToCellName(len(total), trow)
	f.SetCellStyle(sheet, tcell, tend, boldPct)
	f.SetColWidth(sheet, "A", "A", w)
	if len(c.courses) > 0 {
		lastCol, _ := excelize.ColumnNumberToName(len(c.courses) + 1)
		f.SetColWidth(sheet, "B", lastCol, 16)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: headerAt, TopLeftCell: fmt.Sprintf("B%d", headerAt+1), ActivePane: "bottomRight"})
	end, _ := excelize.CoordinatesToCellName(len(header), headerAt+len(depts))
	if err := f.AutoFilter(sheet, hcell+":"+end, nil); err != nil {
		return err
	}
	return c.fitToPage(sheet) // the filter resets it
}

// writeSupervisors writes who to chase: each supervisor with how many of
// their people are overdue, in how many enrollments, the most first;
// people with no supervisor in iLMS together, last.
func (c *Compliance) writeSupervisors() error {
	f, sheet := c.f, SheetSupervisor
	head, _, err := c.styles()
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(headerStyle())
	if err != nil {
		return err
	}
	if err := c.writeTitle(sheet); err != nil {
		return err
	}
	cols := []any{"Supervisor Name", "Supervisor Email", "People Overdue", "Overdue Enrollments"}
	hcell, _ := excelize.CoordinatesToCellName(1, headerAt)
	f.SetSheetRow(sheet, hcell, &cols)
	hend, _ := excelize.CoordinatesToCellName(len(cols), headerAt)
	f.SetCellStyle(sheet, hcell, hend, head)
	sups := make([][2]string, 0, len(c.chase))
	for s := range c.chase {
		sups = append(sups, s)
	}
	sort.Slice(sups, func(i, j int) bool {
		a, b := sups[i], sups[j]
		if (a == [2]string{}) != (b == [2]string{}) {
			return b == [2]string{} // no supervisor: last
		}
		if ca, cb := c.chase[a].enrollments, c.chase[b].enrollments; ca != cb {
			return ca > cb
		}
		return a[0] < b[0]
	})
	people, enrollments := 0, 0
	for i, s := range sups {
		name := Neutralize(s[0])
		if s == ([2]string{}) {
			name = "(no supervisor in iLMS)"
		}
		ch := c.chase[s]
		row := []any{name, Neutralize(s[1]), len(ch.people), ch.enrollments}
		cell, _ := excelize.CoordinatesToCellName(1, headerAt+1+i)
		f.SetSheetRow(sheet, cell, &row)
		people, enrollments = people+len(ch.people), enrollments+ch.enrollments
	}
	trow := headerAt + 1 + len(sups)
	total := []any{"Total", fmt.Sprintf("%d supervisors", len(sups)), people, enrollments}
	tcell, _ := excelize.CoordinatesToCellName(1, trow)
	f.SetSheetRow(sheet, tcell, &total)
	tend, _ := excelize.CoordinatesToCellName(len(total), trow)
	f.SetCellStyle(sheet, tcell, tend, bold)
	f.SetColWidth(sheet, "A", "B", 32)
	f.SetColWidth(sheet, "C", "D", 20)
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerAt, TopLeftCell: fmt.Sprintf("A%d", headerAt+1), ActivePane: "bottomLeft"})
	return c.fitToPage(sheet)
}

// Courses returns how many courses and curricula the workbook holds.
func (c *Compliance) Courses() int { return len(c.courses) }
