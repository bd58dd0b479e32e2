package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// ErrorXLSX is the errors sheet as a workbook: the input's own columns,
// failed rows only, and the error column; the cells at fault are filled
// red and carry the message as a comment, so the user fixes them in place
// and imports the workbook again. The password column is blanked.
type ErrorXLSX struct {
	f        *excelize.File
	sheet    string
	header   []string
	password int
	row      int
	bad      int // style of a cell at fault
	head     int // style of the header
}

// NewErrorXLSX starts an errors workbook with the input's header.
func NewErrorXLSX(header []string, password int) (*ErrorXLSX, error) {
	f := excelize.NewFile()
	e := &ErrorXLSX{f: f, sheet: "Errors", header: header, password: password, row: 1}
	if err := f.SetSheetName("Sheet1", e.sheet); err != nil {
		return nil, err
	}
	var err error
	if e.bad, err = f.NewStyle(faultStyle()); err != nil {
		return nil, err
	}
	if e.head, err = f.NewStyle(headerStyle()); err != nil {
		return nil, err
	}
	row := make([]any, 0, len(header)+1)
	for _, h := range header {
		row = append(row, Neutralize(h))
	}
	if err := f.SetSheetRow(e.sheet, "A1", &row); err != nil {
		return nil, err
	}
	last, _ := excelize.CoordinatesToCellName(len(header)+1, 1)
	f.SetCellValue(e.sheet, last, ErrorColumn)
	f.SetCellStyle(e.sheet, "A1", last, e.head)
	f.SetPanes(e.sheet, frozenHeader())
	return e, nil
}

// Write adds a failed row; columns are the headers of its cells at fault
// (none for an error of the server's that names no column: the error cell
// is marked then).
func (e *ErrorXLSX) Write(cells []string, width int, msg string, columns []string) error {
	e.row++
	if len(cells) > width {
		extra := make([]string, 0, len(cells)-width)
		for _, c := range cells[width:] {
			extra = append(extra, validate.Quote(c))
		}
		msg += "; the row's cells beyond the last column were: " + strings.Join(extra, " | ")
	}
	row := make([]any, 0, width+1)
	var cut []string
	for i := 0; i < width; i++ {
		v := ""
		if i < len(cells) && i != e.password {
			v = Neutralize(cells[i])
			if short, ok := fitCell(v); !ok {
				v = short
				cut = append(cut, fmt.Sprintf("column %d %s", i+1, validate.Quote(e.header[min(i, len(e.header)-1)])))
			}
		}
		// The sheet is held in memory until it is saved: a copy of the
		// cell, not the cell, which may keep a block of the input alive.
		row = append(row, strings.Clone(v))
	}
	if len(cut) > 0 {
		msg += fmt.Sprintf("; in this sheet %s is cut to its first %s characters, the most a cell holds (errors.csv has it whole)", strings.Join(cut, ", "), validate.Thousands(excelize.TotalCellChars))
	}
	row = append(row, Neutralize(msg))
	cell, _ := excelize.CoordinatesToCellName(1, e.row)
	if err := e.f.SetSheetRow(e.sheet, cell, &row); err != nil {
		return err
	}
	marked := false
	for _, col := range columns {
		for i, h := range e.header {
			if h == col && i < width {
				name, _ := excelize.CoordinatesToCellName(i+1, e.row)
				e.f.SetCellStyle(e.sheet, name, name, e.bad)
				e.f.AddComment(e.sheet, excelize.Comment{Cell: name, Author: "ilms-bulk", Paragraph: []excelize.RichTextRun{{Text: msg}}})
				marked = true
			}
		}
	}
	if !marked {
		name, _ := excelize.CoordinatesToCellName(width+1, e.row)
		e.f.SetCellStyle(e.sheet, name, name, e.bad)
	}
	return nil
}

// Save writes the workbook.
func (e *ErrorXLSX) Save(path string) error {
	defer e.f.Close()
	for i := range e.header {
		col, _ := excelize.ColumnNumberToName(i + 1)
		e.f.SetColWidth(e.sheet, col, col, 18)
	}
	col, _ := excelize.ColumnNumberToName(len(e.header) + 1)
	e.f.SetColWidth(e.sheet, col, col, 80)
	if err := saveXLSX(e.f, path); err != nil {
		return fmt.Errorf("errors.xlsx: %w", err)
	}
	return nil
}

// ResultXLSX is the results sheet as a workbook, streamed: one row per
// input row; failed and invalid outcomes are filled red.
type ResultXLSX struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	bad  int
	path string
}

// NewResultXLSX starts a results workbook at path.
func NewResultXLSX(path string) (*ResultXLSX, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Results"); err != nil {
		return nil, err
	}
	bad, err := f.NewStyle(faultStyle())
	if err != nil {
		return nil, err
	}
	head, err := f.NewStyle(headerStyle())
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter("Results")
	if err != nil {
		return nil, err
	}
	for i, w := range []float64{7, 34, 12, 12, 40, 80} {
		sw.SetColWidth(i+1, i+1, w)
	}
	sw.SetPanes(frozenHeader())
	header := make([]any, len(ResultColumns))
	for i, c := range ResultColumns {
		header[i] = excelize.Cell{StyleID: head, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	return &ResultXLSX{f: f, sw: sw, row: 1, bad: bad, path: path}, nil
}

// Write adds a result row; numbers are numbers.
func (x *ResultXLSX) Write(r Result) error {
	x.row++
	outcome := any(r.Outcome)
	if r.ToFix {
		outcome = excelize.Cell{StyleID: x.bad, Value: r.Outcome}
	}
	var id any = r.ID
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	var row any
	if r.Row > 0 { // 0: not a row of the file
		row = r.Row
	}
	return x.sw.SetRow(cell, []any{row, Neutralize(string(r.Key)), outcome, id, Neutralize(string(r.Actions)), Neutralize(string(r.Message))})
}

// Close writes the workbook.
func (x *ResultXLSX) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return saveXLSX(x.f, x.path)
}

// fitCell cuts a value to what a workbook cell holds (32,767 UTF-16
// units); ok is false when it had to.
func fitCell(v string) (string, bool) {
	if len(v) <= excelize.TotalCellChars {
		return v, true // a byte is at most one unit
	}
	units := 0
	for i, r := range v {
		n := 1
		if r > 0xFFFF {
			n = 2
		}
		if units+n > excelize.TotalCellChars {
			return v[:i], false
		}
		units += n
	}
	return v, true
}
