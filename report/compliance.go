package report

import (
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

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
	details *XLSXSink
	overdue *XLSXSink
	courses []CourseInfo
	byID    map[string]*tally
	depts   map[string]map[string]*tally // department → course → tally
}

type tally struct {
	enrolled, notStarted, inProgress, passed, failed, waived, overdue int
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
	SheetDetails    = "Details"
)

// NewCompliance starts a workbook for enrollments as of a day.
func NewCompliance(asOf time.Time) (*Compliance, error) {
	f := excelize.NewFile()
	c := &Compliance{f: f, asOf: asOf, byID: map[string]*tally{}, depts: map[string]map[string]*tally{}}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return nil, err
	}
	for _, s := range []string{SheetDepartment, SheetOverdue, SheetDetails} {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	var err error
	if c.details, err = sinkOn(f, SheetDetails); err != nil {
		return nil, err
	}
	if c.overdue, err = sinkOn(f, SheetOverdue); err != nil {
		return nil, err
	}
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
	c.f.SetActiveSheet(0)
	return c.f.WriteTo(w)
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
	if s.row > 1 {
		last, _ := excelize.CoordinatesToCellName(len(s.cols), s.row)
		if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(s.sheet), StyleName: tableStyle, ShowRowStripes: boolPtr(true)}); err != nil {
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
	pct, err = c.f.NewStyle(percentStyle())
	return
}

func (c *Compliance) writeSummary() error {
	f, sheet := c.f, SheetSummary
	head, pct, err := c.styles()
	if err != nil {
		return err
	}
	cols := []string{"Course ID", "Course Name", "Type", "Enrolled", "Not Started", "In Progress", "Passed", "Failed", "Waived", "Completion %", "Overdue"}
	f.SetSheetRow(sheet, "A1", &cols)
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	f.SetCellStyle(sheet, "A1", last, head)
	widths := make([]float64, len(cols))
	for i, h := range cols {
		widths[i] = width(h) + 2
	}
	for i, ci := range c.courses {
		t := c.byID[ci.ID]
		row := []any{ci.ID, Neutralize(ci.Name), ci.Type, t.enrolled, t.notStarted, t.inProgress, t.passed, t.failed, t.waived, t.completion(), t.overdue}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(sheet, cell, &row)
		pc, _ := excelize.CoordinatesToCellName(10, i+2)
		f.SetCellStyle(sheet, pc, pc, pct)
		widths[1] = max(widths[1], min(width(ci.Name)+2, 50))
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, w)
	}
	f.SetPanes(sheet, frozenHeader())
	n := len(c.courses)
	end, _ := excelize.CoordinatesToCellName(len(cols), n+1)
	if err := f.AutoFilter(sheet, "A1:"+end, nil); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	anchor, _ := excelize.CoordinatesToCellName(len(cols)+2, 2)
	return f.AddChart(sheet, anchor, &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("'%s'!$J$1", sheet),
			Categories: fmt.Sprintf("'%s'!$B$2:$B$%d", sheet, n+1),
			Values:     fmt.Sprintf("'%s'!$J$2:$J$%d", sheet, n+1),
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf("Completion as of %s", c.asOf.Format("2006-01-02"))}}},
		Dimension: excelize.ChartDimension{Width: 640, Height: uint(max(320, 24*n))},
		XAxis:     excelize.ChartAxis{Font: excelize.Font{Size: 9}},
		YAxis:     excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Maximum: floatPtr(1), Minimum: floatPtr(0)},
		Legend:    excelize.ChartLegend{Position: "none"},
	})
}

func floatPtr(f float64) *float64 { return &f }

func (c *Compliance) writeDepartments() error {
	f, sheet := c.f, SheetDepartment
	head, pct, err := c.styles()
	if err != nil {
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
	f.SetSheetRow(sheet, "A1", &header)
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	f.SetCellStyle(sheet, "A1", last, head)
	f.SetRowHeight(sheet, 1, 45)
	wrap, _ := f.NewStyle(wrappedHeaderStyle())
	f.SetCellStyle(sheet, "B1", last, wrap)
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
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(sheet, cell, &row)
		if len(c.courses) > 0 {
			from, _ := excelize.CoordinatesToCellName(2, i+2)
			to, _ := excelize.CoordinatesToCellName(len(c.courses)+1, i+2)
			f.SetCellStyle(sheet, from, to, pct)
		}
	}
	f.SetColWidth(sheet, "A", "A", w)
	if len(c.courses) > 0 {
		lastCol, _ := excelize.ColumnNumberToName(len(c.courses) + 1)
		f.SetColWidth(sheet, "B", lastCol, 16)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"})
	end, _ := excelize.CoordinatesToCellName(len(header), len(depts)+1)
	return f.AutoFilter(sheet, "A1:"+end, nil)
}

// Courses returns how many courses and curricula the workbook holds.
func (c *Compliance) Courses() int { return len(c.courses) }
