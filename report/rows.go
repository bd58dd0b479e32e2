package report

import (
	"encoding/csv"
	"fmt"
	"io"
)

// RowWriter takes rows of text.
type RowWriter interface {
	Write(row []string) error
}

// WriteRows writes the rows rows gives to w as format: CSV, or XLSX with
// one sheet named sheet whose every cell is text, so that an employee ID
// 00123 stays 00123.
func WriteRows(w io.Writer, format, sheet string, rows func(RowWriter) error) error {
	if format == "xlsx" {
		x, err := NewXLSXStream("", sheet)
		if err != nil {
			return err
		}
		defer x.f.Close()
		if err := rows(x); err != nil {
			return err
		}
		if err := x.sw.Flush(); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		_, err = x.f.WriteTo(w)
		return err
	}
	cw := csv.NewWriter(w)
	if err := rows(cw); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
