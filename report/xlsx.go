package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// XLSXStream writes one sheet of text rows through excelize's
// StreamWriter, so that rows are not kept as cells in memory. Values are
// written as text: an employee ID "00123" stays "00123".
type XLSXStream struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	path string
	row  int
	cell []any
}

// NewXLSXStream starts a workbook at path with one sheet.
func NewXLSXStream(path, sheet string) (*XLSXStream, error) {
	f := excelize.NewFile()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	return &XLSXStream{f: f, sw: sw, path: path}, nil
}

// Write adds a row.
func (x *XLSXStream) Write(row []string) error {
	x.row++
	x.cell = x.cell[:0]
	for _, v := range row {
		x.cell = append(x.cell, v)
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.cell)
}

// Close writes the workbook.
func (x *XLSXStream) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return saveXLSX(x.f, x.path)
}

// saveXLSX writes a workbook to path whole or not at all (WriteFile),
// with the permissions of the CSVs beside it. excelize's SaveAs creates
// the file with os.ModePerm, which makes a workbook executable.
func saveXLSX(f *excelize.File, path string) error {
	return WriteFile(path, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}
