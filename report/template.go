package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// TemplateColumn is a column of an import template.
type TemplateColumn struct {
	Name    string   // the document's name
	Note    string   // its rules, shown as the header's comment
	List    []string // the values its drop-down offers, if any
	Example string   // a valid value for the example row
}

// Template is a blank import file.
type Template struct {
	Kind    string
	Columns []TemplateColumn
}

func names(entries []validate.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Name
	}
	return out
}

// fieldNote writes a profile field's rules the way the document states
// them.
func fieldNote(f *validate.Field) string {
	var parts []string
	switch {
	case f.Required:
		parts = append(parts, "Required.")
	case f.Kind == validate.KindPassword:
		parts = append(parts, "Optional. Set on a new user; resets the password of a known one. Length as your iLMS settings say.")
	default:
		parts = append(parts, "Optional, unless your iLMS settings require it.")
	}
	if f.MaxLen > 0 {
		parts = append(parts, fmt.Sprintf("At most %d characters.", f.MaxLen))
	}
	if f.Restrict != "" {
		parts = append(parts, fmt.Sprintf("Not allowed: %s", strings.Join(strings.Split(f.Restrict, ""), " ")+"."))
	}
	if f.Functional {
		parts = append(parts, "& and # are restricted by functionality (fine with iLMS Connect).")
	}
	if f.LDAPFirst != "" {
		parts = append(parts, "With LDAP, may not start with "+f.LDAPFirst+".")
	}
	switch f.Kind {
	case validate.KindDate:
		parts = append(parts, "A date: yyyy-MM-dd.")
	case validate.KindEmail:
		parts = append(parts, "An email address.")
	case validate.KindCountry:
		parts = append(parts, "A country name or code of the document's table.")
	case validate.KindState:
		parts = append(parts, "A US state or Canadian province (name or code), for those two countries only.")
	case validate.KindTimeZone:
		parts = append(parts, "A time zone full name, as listed.")
	case validate.KindLanguage:
		parts = append(parts, "A language enabled for your organization.")
	}
	if f.Code == "F013" {
		parts = append(parts, "For countries other than the United States and Canada.")
	}
	return fmt.Sprintf("%s (%s). %s", f.Name, f.Code, strings.Join(parts, " "))
}

var (
	userStatuses       = []string{"active", "inactive"}
	transcriptStatuses = []string{"not started", "pass", "fail", "waived"}
	requirementTypes   = []string{"mandatory", "optional"}
	actions            = []string{"enroll", "unenroll"}
	userKeyNote        = "Who: give one of User ID, Email ID or Employee ID."
)

// SheetName is the XLSX sheet of a kind of file: Users for users.
func SheetName(kind string) string {
	if kind == "" {
		return kind
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

// TemplateFor returns the template of a kind of file: users,
// enrollments or transcripts.
func TemplateFor(kind string) (*Template, error) {
	t := &Template{Kind: kind}
	switch kind {
	case "users":
		examples := map[string]string{
			"F001": "Ana", "F003": "Silva", "F004": "E100001", "F005": "2026-01-05", "F006": "English", "F007": "Sales Associate",
			"F010": "San Antonio", "F011": "United States", "F012": "Texas", "F014": "78205", "F015": "ana.silva@example.com",
			"F019": "North America", "F020": "Sales", "F021": "Inside Sales", "F022": "Acme Corp",
			"F023": "(GMT-06.00) Central Time (US & Canada)", "F033": "John Doe", "F034": "john.doe@email.com",
		}
		for i := range validate.Fields {
			f := &validate.Fields[i]
			if f.Kind == validate.KindReadOnly {
				continue
			}
			col := TemplateColumn{Name: f.Name, Note: fieldNote(f), Example: examples[f.Code]}
			switch f.Kind {
			case validate.KindCountry:
				col.List = names(validate.Countries)
			case validate.KindState:
				col.List = append(names(validate.USStates), names(validate.CanadianProvinces)...)
			case validate.KindTimeZone:
				for _, z := range validate.TimeZones {
					col.List = append(col.List, z.FullName)
				}
			case validate.KindLanguage:
				for _, l := range validate.Languages {
					col.List = append(col.List, l.Name)
				}
			}
			t.Columns = append(t.Columns, col)
		}
		t.Columns = append(t.Columns,
			TemplateColumn{Name: "Status", Note: "active or inactive. Blank: no change (new users are active).", List: userStatuses, Example: "active"},
			TemplateColumn{Name: "Groups", Note: "Group names or IDs, separated by ;", Example: "New Hires 2026"},
			TemplateColumn{Name: "Courses", Note: "Course or curriculum IDs or exact names, separated by ;. An ILT session as courseID/sessionID.", Example: "fO1uIKJO"},
		)
	case "enrollments", "transcripts":
		t.Columns = []TemplateColumn{
			{Name: "User ID", Note: "The iLMS user ID. " + userKeyNote},
			{Name: "Email ID", Note: "The user's email. " + userKeyNote, Example: "john.doe@email.com"},
			{Name: "Employee ID", Note: "The user's employee ID. " + userKeyNote},
			{Name: "Course ID", Note: "A course ID or exact name. Give a course or a curriculum, not both.", Example: "p1gyJg4a"},
			{Name: "Curriculum ID", Note: "A curriculum ID or exact name."},
			{Name: "Session ID", Note: "An ILT session of the course, by number."},
		}
		if kind == "enrollments" {
			t.Columns = append(t.Columns, TemplateColumn{Name: "Action", Note: "enroll (the default) or unenroll.", List: actions, Example: "enroll"})
			break
		}
		date := func(name, rule string) TemplateColumn {
			return TemplateColumn{Name: name, Note: name + ": a date, yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss. " + rule}
		}
		t.Columns = append(t.Columns,
			TemplateColumn{Name: "Status", Note: "not started, pass, fail or waived. It has priority over the other fields.", List: transcriptStatuses, Example: "pass"},
			TemplateColumn{Name: "Score", Note: "A whole number from 0 to 100, only with pass or fail.", Example: "92"},
			TemplateColumn{Name: "Requirement Type", Note: "mandatory or optional.", List: requirementTypes, Example: "mandatory"},
			date("Enrollment Date", ""),
			date("Start Date", "Not with status not started."),
			date("Due Date", "#clear removes the due date."),
			func() TemplateColumn {
				c := date("Completion Date", "Only with pass or fail.")
				c.Example = "2026-03-04"
				return c
			}(),
			date("License Expiration Date", ""),
			date("Certification Expiration Date", "Only for a certification enabled course."),
		)
	default:
		return nil, fmt.Errorf("no template for %q: users, enrollments or transcripts", kind)
	}
	return t, nil
}

// Write writes the template as format: xlsx (WriteXLSX) or csv
// (WriteCSV).
func (t *Template) Write(w io.Writer, format string) error {
	if format == "xlsx" {
		return t.WriteXLSX(w)
	}
	return t.WriteCSV(w)
}

// WriteCSV writes the template as CSV: the header alone. A CSV has no
// second sheet to keep an example on, and an example row among the data
// would be imported as a person.
func (t *Template) WriteCSV(w io.Writer) error {
	s := NewCSVSink(w, false)
	s.Header(t.header())
	return s.Close()
}

func (t *Template) header() []string {
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Name
	}
	return head
}

// ExampleSheet is the template workbook's sheet with an example row: a
// sheet of its own, after the one to fill in, so that importing the
// template as it is imports nothing.
const ExampleSheet = "Example"

// listSheet holds the drop-downs' values, hidden.
const listSheet = "Lists"

// rowsValidated is how many rows the drop-downs cover.
const rowsValidated = 10000

// WriteXLSX writes the template as a workbook: on the first sheet, the
// one to fill in and the one import reads, the header with each column's
// rules as a comment, frozen, and drop-down lists fed from a hidden sheet
// holding the document's tables; an example row on the Example sheet.
func (t *Template) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := SheetName(t.Kind)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := t.writeExample(f, sheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(listSheet); err != nil {
		return err
	}
	head, _ := f.NewStyle(headerStyle())
	text, _ := f.NewStyle(textStyle())
	listCol := 0
	for i, c := range t.Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sheet, cell, c.Name)
		f.SetCellStyle(sheet, cell, cell, head)
		if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: "ilms-bulk", Paragraph: []excelize.RichTextRun{{Text: c.Note}}}); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColStyle(sheet, col, text)
		f.SetColWidth(sheet, col, col, max(14, min(width(c.Name)+4, 40)))
		if len(c.List) == 0 {
			continue
		}
		listCol++
		lc, _ := excelize.ColumnNumberToName(listCol)
		f.SetCellValue(listSheet, lc+"1", c.Name)
		for j, v := range c.List {
			f.SetCellValue(listSheet, fmt.Sprintf("%s%d", lc, j+2), v)
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, rowsValidated)
		dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$2:$%s$%d", listSheet, lc, lc, len(c.List)+1))
		// A warning, not a stop: codes (US, TX) are valid too.
		dv.SetError(excelize.DataValidationErrorStyleWarning, c.Name, "Not a value of the list; the document's tables also accept codes. Check the column's note.")
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	f.SetPanes(sheet, frozenHeader())
	if err := f.SetSheetVisible(listSheet, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err := f.WriteTo(w)
	return err
}

// writeExample adds the Example sheet: the header and one valid row, with
// a note that the row is not imported from there.
func (t *Template) writeExample(f *excelize.File, sheet string) error {
	if _, err := f.NewSheet(ExampleSheet); err != nil {
		return err
	}
	head, ex := t.header(), make([]any, len(t.Columns))
	for i, c := range t.Columns {
		ex[i] = c.Example
	}
	if err := f.SetSheetRow(ExampleSheet, "A1", &head); err != nil {
		return err
	}
	if err := f.SetSheetRow(ExampleSheet, "A2", &ex); err != nil {
		return err
	}
	note := fmt.Sprintf("An example of a filled-in row. It is on a sheet of its own so that it is never imported: fill in the %s sheet.", sheet)
	return f.AddComment(ExampleSheet, excelize.Comment{Cell: "A2", Author: "ilms-bulk", Paragraph: []excelize.RichTextRun{{Text: note}}})
}
