package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// enrolled is one enrollment as the quarter-over-quarter comparison needs
// it: who, where, in what, and whether overdue as of its workbook's day.
type enrolled struct {
	course, courseName, user, name, email, dept string
	done, overdue                               bool
}

func (e *enrolled) key() string { return e.course + "\x00" + e.user }

// Previous is a compliance workbook this tool wrote before: its day, its
// filters and its enrollments, read from its Details sheet.
type Previous struct {
	Path    string
	AsOf    time.Time
	Filters string // its title block's "Courses: …" line
	rows    map[string]*enrolled
}

// PreviousError is a file that is not a compliance workbook of ilms-bulk.
type PreviousError struct{ Path, Why string }

func (e *PreviousError) Error() string { return e.In(nil) }

// In writes the error with the option it is of in w's words.
func (e *PreviousError) In(w remedy.Words) string {
	return fmt.Sprintf("%s: %s; give a workbook that ilms-bulk export compliance wrote", w.Of(remedy.Of(remedy.Compare, e.Path)), e.Why)
}

// Input marks the error as a file that cannot be read as given: nothing
// was sent.
func (e *PreviousError) Input() bool { return true }

// ReadPrevious reads the workbook at path for a comparison, refusing one
// this tool did not write.
func ReadPrevious(path string) (*Previous, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, &PreviousError{path, "it cannot be read as a workbook (" + err.Error() + ")"}
	}
	defer f.Close()
	props, err := f.GetDocProps()
	if err != nil || !strings.HasPrefix(props.Creator, "ilms-bulk") {
		return nil, &PreviousError{path, "it was not written by ilms-bulk (its author is " + strconvQuote(props.Creator) + ")"}
	}
	p := &Previous{Path: path, rows: map[string]*enrolled{}}
	title, _ := f.GetRows(SheetDetails, excelize.Options{RawCellValue: true})
	if len(title) < ComplianceHeaderRow || len(title[1]) == 0 || !strings.HasPrefix(title[1][0], "As of ") {
		return nil, &PreviousError{path, "its Details sheet has no title block saying what day it is as of (it is not a compliance workbook, or one of an ilms-bulk older than this)"}
	}
	if p.AsOf, err = time.Parse("2006-01-02", strings.TrimPrefix(title[1][0], "As of ")[:min(10, len(title[1][0])-6)]); err != nil {
		return nil, &PreviousError{path, "its title block's date " + strconvQuote(title[1][0]) + " cannot be read"}
	}
	if len(title[3]) > 0 {
		p.Filters = strings.TrimPrefix(title[3][0], "Courses: ")
	}
	header := title[ComplianceHeaderRow-1]
	want := Columns(EnrollmentRecord{})
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"Course ID", "Course Name", "User ID", "First Name", "Last Name", "Email ID", "Region", "Division", "Department", "Status", "Due Date"} {
		if _, ok := col[h]; !ok {
			return nil, &PreviousError{path, fmt.Sprintf("its Details sheet has no %q column (its header is %q, a compliance workbook's %q)", h, header, want)}
		}
	}
	for _, r := range title[ComplianceHeaderRow:] {
		get := func(h string) string {
			if i := col[h]; i < len(r) {
				return r[i]
			}
			return ""
		}
		if get("Course ID") == "" || get("Course ID") == "Total" {
			continue
		}
		e := &enrolled{course: get("Course ID"), courseName: get("Course Name"), user: get("User ID"),
			name: strings.TrimSpace(get("First Name") + " " + get("Last Name")), email: get("Email ID"),
			dept: get("Region") + " / " + get("Division") + " / " + get("Department")}
		status := get("Status")
		e.done = status == "Pass" || status == "Waived"
		if due, ok := cellDate(get("Due Date")); ok && !e.done {
			e.overdue = dayOf(due).Before(dayOf(p.AsOf))
		}
		p.rows[e.key()] = e
	}
	return p, nil
}

// cellDate reads a date cell's raw value: an Excel serial number, or text.
func cellDate(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		t, err := excelize.ExcelDateToTime(n, false)
		return t, err == nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// Compare adds a Changes sheet to the workbook: what changed since prev.
func (c *Compliance) Compare(prev *Previous) { c.prev, c.now = prev, map[string]*enrolled{} }

// keep notes an enrollment for the comparison.
func (c *Compliance) keep(e *enrolled) {
	if c.now != nil {
		c.now[e.key()] = e
	}
}

// completionOf is the completion of each group of a set of enrollments
// (by course, or by department): done over enrolled.
func completionOf(rows map[string]*enrolled, by func(*enrolled) string) map[string][2]int {
	out := map[string][2]int{}
	for _, e := range rows {
		n := out[by(e)]
		n[0]++
		if e.done {
			n[1]++
		}
		out[by(e)] = n
	}
	return out
}

// writeChanges writes the Changes sheet: completion then → now by course
// and by department, and the people newly overdue, no longer overdue,
// newly enrolled and gone.
func (c *Compliance) writeChanges() error {
	if c.prev == nil {
		return nil
	}
	f, sheet := c.f, SheetChanges
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if err := c.printSetup(sheet); err != nil {
		return err
	}
	if err := c.writeTitle(sheet); err != nil {
		return err
	}
	head, pct, err := c.styles()
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(headerStyle())
	row := headerAt
	put := func(style int, values ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		f.SetSheetRow(sheet, cell, &values)
		if style != 0 {
			end, _ := excelize.CoordinatesToCellName(len(values), row)
			f.SetCellStyle(sheet, cell, end, style)
		}
		row++
	}
	note := fmt.Sprintf("Compared with %s, as of %s", c.prev.Path, c.prev.AsOf.Format("2006-01-02"))
	if c.prev.Filters != c.filters() {
		note += fmt.Sprintf(". The two were made with different filters: then %q, now %q; what one counts and the other does not shows as newly enrolled or gone", c.prev.Filters, c.filters())
	}
	cell, _ := excelize.CoordinatesToCellName(1, titleRows+1)
	f.SetCellValue(sheet, cell, Neutralize(note))
	pctCells := func(from, to int) {
		a, _ := excelize.CoordinatesToCellName(from, row-1)
		b, _ := excelize.CoordinatesToCellName(to, row-1)
		f.SetCellStyle(sheet, a, b, pct)
	}
	completion := func(n [2]int, ok bool) any {
		if !ok || n[0] == 0 {
			return noCompletion
		}
		return float64(n[1]) / float64(n[0])
	}
	diff := func(then, now any) any {
		a, ok1 := then.(float64)
		b, ok2 := now.(float64)
		if !ok1 || !ok2 {
			return noCompletion
		}
		return b - a
	}
	section := func(title string, by func(*enrolled) string, label func(string) string) {
		put(head, title, "", "Then", "Now", "Change")
		then, now := completionOf(c.prev.rows, by), completionOf(c.now, by)
		keys := map[string]bool{}
		for k := range then {
			keys[k] = true
		}
		for k := range now {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			t, okT := then[k]
			n, okN := now[k]
			a, b := completion(t, okT), completion(n, okN)
			put(0, Neutralize(k), Neutralize(label(k)), a, b, diff(a, b))
			pctCells(3, 5)
		}
		row++
	}
	names := map[string]string{}
	for _, m := range []map[string]*enrolled{c.prev.rows, c.now} {
		for _, e := range m {
			names[e.course] = e.courseName
		}
	}
	section("Completion by course", func(e *enrolled) string { return e.course }, func(k string) string { return names[k] })
	section("Completion by department", func(e *enrolled) string { return e.dept }, func(string) string { return "" })
	counts := make([]int, len(changeLists))
	for i, l := range changeLists {
		put(head, l.title, "Course Name", "User ID", "Name", "Email ID", "Region / Division / Department")
		var hits []*enrolled
		seen := map[string]bool{}
		for k := range c.prev.rows {
			seen[k] = true
		}
		for k := range c.now {
			seen[k] = true
		}
		for k := range seen {
			t, n := c.prev.rows[k], c.now[k]
			if l.keep(t, n) {
				hits = append(hits, firstOf(n, t))
			}
		}
		sort.Slice(hits, func(a, b int) bool {
			if hits[a].course != hits[b].course {
				return hits[a].course < hits[b].course
			}
			return hits[a].user < hits[b].user
		})
		for _, e := range hits {
			put(0, e.course, Neutralize(e.courseName), e.user, Neutralize(e.name), Neutralize(e.email), Neutralize(e.dept))
		}
		counts[i] = len(hits)
		row++
	}
	put(bold, "Total", fmt.Sprintf("%d newly overdue, %d no longer overdue, %d newly enrolled, %d gone", counts[0], counts[1], counts[2], counts[3]), counts[0], counts[1], counts[2], counts[3])
	f.SetColWidth(sheet, "A", "A", 34)
	f.SetColWidth(sheet, "B", "B", 34)
	f.SetColWidth(sheet, "C", "F", 16)
	return c.fitToPage(sheet)
}

// changeLists are the people lists of a comparison: an enrollment then
// (nil when it was not) and now (nil when it is not), and whether it
// belongs in the list.
var changeLists = []struct {
	title string
	keep  func(then, now *enrolled) bool
}{
	{"Newly overdue", func(t, n *enrolled) bool { return n != nil && n.overdue && (t == nil || !t.overdue) }},
	{"No longer overdue", func(t, n *enrolled) bool { return t != nil && t.overdue && (n == nil || !n.overdue) }},
	{"Newly enrolled", func(t, n *enrolled) bool { return t == nil && n != nil }},
	{"Gone", func(t, n *enrolled) bool { return t != nil && n == nil }},
}

func firstOf(a, b *enrolled) *enrolled {
	if a != nil {
		return a
	}
	return b
}
