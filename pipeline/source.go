// Package pipeline runs the stages of a job over an input file: it reads
// rows (CSV or XLSX, streamed), maps and validates them, plans what each
// row needs, executes the plan under the shared rate limit, and journals
// progress. It does not format sheets; report does.
package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// CellKind is what a spreadsheet cell held, where the format says (XLSX);
// CSV cells are all text.
type CellKind uint8

// Cell kinds.
const (
	CellText   CellKind = iota
	CellNumber          // a number in a non-date format
	CellDate            // a number in a date format, given as an ISO date
	CellBool
	CellError // #N/A and the like
)

// Row is one data row of an input file.
type Row struct {
	// Line is the row number the user sees in their spreadsheet: the
	// header is row 1, the first data row row 2.
	Line int
	// Cells are the row's values, one per header column.
	Cells []string
	// Kinds are the cells' kinds (XLSX only; nil for CSV).
	Kinds []CellKind
	// Err is set when the row could not be read as it stands: a ragged
	// row, an unbalanced quote, a NUL byte, text that is not in the file's
	// encoding. Cells hold what could be read.
	Err error
}

// Source is an input file being read row by row.
type Source interface {
	// Header returns the first row: the column names.
	Header() []string
	// Next returns the next data row, or io.EOF. Blank rows are skipped.
	Next() (Row, error)
	// Format is "csv" or "xlsx".
	Format() string
	Close() error
}

// Progress is implemented by sources that know how far they are through
// their file: done and total in bytes (of the sheet, for XLSX).
type Progress interface {
	Progress() (done, total int64)
}

// ReadOptions choose how a file is read.
type ReadOptions struct {
	Sheet     string // XLSX: the sheet to read; default the first
	Encoding  string // CSV: "" (UTF-8, or UTF-16 with a BOM) or "windows-1252"
	Delimiter rune   // CSV: 0 to sniff among , ; tab |
}

// Reasons a row cannot be read, wrapped in a RowError.
var (
	ErrRagged   = errors.New("wrong number of cells")
	ErrQuote    = errors.New("unbalanced quote")
	ErrNUL      = errors.New("NUL byte")
	ErrEncoding = errors.New("not valid text in the file's encoding")
)

// RowError explains why a row could not be read: where, and why.
type RowError struct {
	Line   int
	Column string // the header of the cell at fault, when one is
	Err    error  // one of the Err sentinels
	Detail string
}

func (e *RowError) Error() string {
	where := fmt.Sprintf("row %d", e.Line)
	if e.Column != "" {
		where += fmt.Sprintf(", column %q", e.Column)
	}
	return where + ": " + e.Detail
}

func (e *RowError) Unwrap() error { return e.Err }

// FileError is a file that cannot be read at all: missing, empty, not a
// spreadsheet, no header. Nothing is sent for it.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Open opens an input file for reading: XLSX by its extension or its zip
// signature, CSV otherwise.
func Open(path string, opts ReadOptions) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{path, err}
	}
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	f.Close()
	ext := strings.ToLower(filepath.Ext(path))
	isZip := n == 4 && bytes.Equal(magic[:], []byte("PK\x03\x04"))
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || isZip:
		if !isZip {
			return nil, &FileError{path, errors.New("not an XLSX workbook (it does not start as a zip file); if it is CSV text, rename it .csv")}
		}
		return openXLSX(path, opts)
	case ext == ".xls":
		return nil, &FileError{path, errors.New("the old Excel .xls format is not supported; save it as .xlsx or .csv")}
	}
	if opts.Sheet != "" {
		return nil, &FileError{path, errors.New("--sheet applies to XLSX workbooks only")}
	}
	return openCSV(path, opts)
}
