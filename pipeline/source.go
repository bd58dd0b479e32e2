// Package pipeline runs the stages of a job over an input file: it reads
// rows (CSV or XLSX, streamed), maps and validates them, plans what each
// row needs, executes the plan under the shared rate limit, and journals
// progress. It does not format sheets; report does.
package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/internal/files"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
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
	// Phys is the first physical line of the file the row was read from
	// and Span how many lines it took (CSV: a quoted newline joins two
	// lines in one row). For XLSX, Phys is Line and Span 1.
	Phys, Span int
	// End is how far through the file the row ends, in the unit of the
	// source's Progress (bytes of text, or of the sheet's XML).
	End int64
}

// Lines accounts for the lines of a file read so far (for XLSX, the rows
// of the sheet): every line is the header's, above the header, a row's,
// or blank, so Read = Header + Above + Rows + Blank once the file is read.
type Lines struct {
	// Read counts the physical lines as wc -l does, plus one for a last
	// line without a newline; for XLSX, the sheet's rows up to the last
	// one read.
	Read   int
	Header int // lines the header took
	Above  int // lines above the header (titles), skipped
	Rows   int // lines the data rows took, unreadable rows included
	Blank  int // blank lines and rows with no value, skipped
}

// Source is an input file being read row by row.
type Source interface {
	// Header returns the first row: the column names.
	Header() []string
	// Next returns the next data row, or io.EOF. Blank rows are skipped.
	Next() (Row, error)
	// Format is "csv" or "xlsx".
	Format() string
	// Lines accounts for the lines read so far.
	Lines() Lines
	// SHA256 is the hex SHA-256 of the file, for the audit trail.
	SHA256() (string, error)
	Close() error
}

// measured is implemented by sources that know how far they are through
// their file: done and total in bytes (of the sheet, for XLSX).
type measured interface {
	Progress() (done, total int64)
}

// ReadOptions choose how a file is read.
type ReadOptions struct {
	Sheet     string // XLSX: the sheet to read; default the first not hidden
	Encoding  string // CSV: "" (UTF-8, or UTF-16 with a BOM) or "windows-1252"
	Delimiter rune   // CSV: 0 to sniff among , ; tab |
	// HeaderRow is the spreadsheet row that holds the header (1 is the
	// first); 0 means the first row with a value.
	HeaderRow int
}

// HintOf returns the remedy an error names, or nil.
func HintOf(err error) *remedy.Hint {
	var h interface{ hintOf() *remedy.Hint }
	if errors.As(err, &h) {
		return h.hintOf()
	}
	return nil
}

// hinted is an error that names a remedy.
type hinted struct {
	err  error
	hint remedy.Hint
}

func (e *hinted) Error() string        { return e.err.Error() }
func (e *hinted) Unwrap() error        { return e.err }
func (e *hinted) hintOf() *remedy.Hint { return &e.hint }

// Reasons a row cannot be read, wrapped in a RowError.
var (
	ErrRagged   = errors.New("wrong number of cells")
	ErrQuote    = errors.New("unbalanced quote")
	ErrNUL      = errors.New("NUL byte")
	ErrEncoding = errors.New("not valid text in the file's encoding")
	// ErrNoValue is a workbook cell with a formula and no value saved
	// (a file written by a program that does not compute formulas).
	ErrNoValue = errors.New("a formula with no value saved")
)

// RowError explains why a row could not be read: where, and why.
type RowError struct {
	Line int
	// Index is the column at fault (0 is the first), or -1 for the row as
	// a whole; Column is its header, or how to find it ("column H").
	Index  int
	Column string
	Err    error // one of the Err sentinels
	Detail string
	// Hint is an option that would read the row, when one would.
	Hint *remedy.Hint
}

func (e *RowError) Error() string {
	where := fmt.Sprintf("row %d", e.Line)
	switch {
	case e.Index >= 0 && e.Column != "":
		where += fmt.Sprintf(", column %d %s", e.Index+1, validate.Quote(e.Column))
	case e.Index >= 0:
		where += fmt.Sprintf(", column %d", e.Index+1)
	case e.Column != "":
		where += ", " + e.Column
	}
	return where + ": " + e.Detail
}

func (e *RowError) Unwrap() error        { return e.Err }
func (e *RowError) hintOf() *remedy.Hint { return e.Hint }

// FileError is a file that cannot be read at all: missing, empty, not a
// spreadsheet, no header. Nothing is sent for it.
type FileError struct {
	Path string
	Err  error
	// Hint is an option that would read the file, when one would.
	Hint *remedy.Hint
}

func (e *FileError) Error() string {
	var fe *files.Error
	if errors.As(e.Err, &fe) && fe.Path == e.Path {
		return fe.Error() // it names the path itself
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}
func (e *FileError) Unwrap() error { return e.Err }

// Input marks the error as input that cannot be read: nothing was sent.
func (e *FileError) Input() bool { return true }
func (e *FileError) hintOf() *remedy.Hint {
	if e.Hint != nil {
		return e.Hint
	}
	return HintOf(e.Err)
}

// Open opens an input file for reading: XLSX by its extension or its zip
// signature, CSV otherwise. The file is opened once, and its SHA-256
// computed from the bytes read (SHA256).
func Open(path string, opts ReadOptions) (Source, error) {
	f, err := files.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	var magic [4]byte
	n, _ := f.ReadAt(magic[:], 0)
	ext := strings.ToLower(filepath.Ext(path))
	isZip := n == 4 && bytes.Equal(magic[:], []byte("PK\x03\x04"))
	fail := func(msg string) (Source, error) {
		f.Close()
		return nil, &FileError{Path: path, Err: errors.New(msg)}
	}
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || isZip:
		if !isZip {
			return fail("not an XLSX workbook (it does not start as a zip file); if it is CSV text, rename it .csv")
		}
		return openXLSX(path, f, size, opts)
	case ext == ".xls":
		return fail("the old Excel .xls format is not supported; save it as .xlsx or .csv")
	}
	if opts.Sheet != "" {
		return fail("a sheet can be chosen in XLSX workbooks only; this file is CSV text")
	}
	return openCSV(path, f, size, opts)
}
