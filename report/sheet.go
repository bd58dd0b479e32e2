package report

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ilms-bulk/ilms-bulk/internal/byteset"
)

// Neutralize makes a value safe to open in a spreadsheet: one starting
// with =, +, -, @, a tab or a carriage return gets a leading apostrophe so
// that it is shown as text and never run as a formula. mapping undoes it
// when such a sheet is imported again.
func Neutralize(v string) string {
	if v != "" && strings.IndexByte("=+-@\t\r", v[0]) >= 0 {
		return "'" + v
	}
	return v
}

// Cell is a value from the user's data or the server: neutralized when
// written.
type Cell string

// Result is one row of a results sheet: every input row has exactly one.
type Result struct {
	Row     int    `csv:"row"`     // the input's spreadsheet row
	Key     Cell   `csv:"key"`     // who (and which course) the row is about
	Outcome string `csv:"outcome"` // created, updated, unchanged, enrolled, … failed, invalid
	ID      string `csv:"ilms_id"` // the iLMS ID of the user, when known
	Actions Cell   `csv:"actions"` // what was done
	Message Cell   `csv:"message"` // why, for failures and warnings
	// ToFix marks a row that goes to the errors sheet (failed, invalid,
	// a conflict): the results workbook fills its outcome red.
	ToFix bool `csv:"-"`
}

// ResultColumns are the results sheet's header.
var ResultColumns = []string{"row", "key", "outcome", "ilms_id", "actions", "message"}

// ResultCSV streams result rows to CSV. It formats each line itself: a
// million-row validation writes a million result rows, and gocsv's
// reflection costs 430 ns a row, encoding/csv's field checks 80, this 40
// (measured here), against about a microsecond to read and check the row.
type ResultCSV struct{ lines }

// NewResultCSV starts a results sheet on w with its header.
func NewResultCSV(w io.Writer) *ResultCSV {
	r := &ResultCSV{lines{w: w}}
	r.record(ResultColumns)
	return r
}

// Write adds a result row.
func (r *ResultCSV) Write(res Result) {
	b := r.buf
	if res.Row > 0 { // 0: not a row of the file
		b = strconv.AppendInt(b, int64(res.Row), 10)
	}
	b = append(b, ',')
	b = appendField(b, Neutralize(string(res.Key)))
	b = append(b, ',')
	b = appendField(b, res.Outcome)
	b = append(b, ',')
	b = appendField(b, res.ID)
	b = append(b, ',')
	b = appendField(b, Neutralize(string(res.Actions)))
	b = append(b, ',')
	b = appendField(b, Neutralize(string(res.Message)))
	r.buf = b
	r.end()
}

// lines writes CSV lines it formats into a buffer to w, a whole buffer at
// a time. Write errors are sticky: Close reports the first.
type lines struct {
	w   io.Writer
	buf []byte
	err error
}

// record adds a line of fields.
func (l *lines) record(fields []string) {
	for i, f := range fields {
		if i > 0 {
			l.buf = append(l.buf, ',')
		}
		l.buf = appendField(l.buf, f)
	}
	l.end()
}

// end ends the line in the buffer.
func (l *lines) end() {
	l.buf = append(l.buf, '\n')
	if len(l.buf) >= bufSize { // a whole buffer: the run sheet's bufio.Writer then writes it straight through
		l.flush()
	}
}

func (l *lines) flush() {
	if l.err == nil && len(l.buf) > 0 {
		_, l.err = l.w.Write(l.buf)
	}
	l.buf = l.buf[:0]
}

// Close writes what is buffered and reports the first write error.
func (l *lines) Close() error {
	l.flush()
	return l.err
}

// quoted are the bytes that make a CSV field need quotes.
var quoted = byteset.New(",\"\r\n")

// appendField appends s as a CSV field, quoted exactly as encoding/csv's
// Writer quotes it (with its defaults: a comma, \n line ends).
func appendField(b []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// needsQuotes is encoding/csv's fieldNeedsQuotes: a delimiter, a quote or
// a line end in it, a leading space of any kind, or \. on its own.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if quoted.Any(s) {
		return true
	}
	if c := s[0]; c < utf8.RuneSelf {
		return c == ' ' || c == '\t' || c == '\v' || c == '\f' || s == `\.`
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// ErrorCSV is an errors sheet: the input's own columns, failed rows only,
// plus an error column, ready to fix and import again. The password
// column, if any, is blanked.
type ErrorCSV struct {
	lines
	password int
	rec      []string
	Rows     int
}

// ErrorColumn is the header of the errors sheet's added column.
const ErrorColumn = "error"

// NewErrorCSV starts an errors sheet with the input's header; password is
// the index of the password column, or -1.
func NewErrorCSV(w io.Writer, header []string, password int) (*ErrorCSV, error) {
	e := &ErrorCSV{lines: lines{w: w}, password: password}
	h := make([]string, 0, len(header)+1)
	for _, c := range header {
		h = append(h, Neutralize(c))
	}
	e.record(append(h, ErrorColumn))
	return e, e.err
}

// Write adds a failed row with its error. Cells beyond width (a ragged
// row) are kept in the error text, so nothing the row held is lost.
func (e *ErrorCSV) Write(cells []string, width int, msg string) error {
	if len(cells) > width {
		msg += "; the row's cells beyond the last column were: " + strings.Join(cells[width:], " | ")
	}
	e.rec = e.rec[:0]
	for i := 0; i < width; i++ {
		v := ""
		if i < len(cells) && i != e.password {
			v = Neutralize(cells[i])
		}
		e.rec = append(e.rec, v)
	}
	e.Rows++
	e.record(append(e.rec, Neutralize(msg)))
	return e.err
}
