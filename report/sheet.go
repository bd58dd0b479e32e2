package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
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
type ResultCSV struct {
	w   io.Writer
	buf []byte
	err error
}

// NewResultCSV starts a results sheet on w with its header.
func NewResultCSV(w io.Writer) *ResultCSV {
	r := &ResultCSV{w: w}
	r.buf = append(r.buf, strings.Join(ResultColumns, ",")...)
	r.buf = append(r.buf, '\n')
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
	b = append(b, '\n')
	r.buf = b
	if len(b) >= bufSize { // a whole buffer: the run sheet's bufio.Writer then writes it straight through
		r.flush()
	}
}

func (r *ResultCSV) flush() {
	if r.err == nil && len(r.buf) > 0 {
		_, r.err = r.w.Write(r.buf)
	}
	r.buf = r.buf[:0]
}

// Close writes what is buffered and reports the first write error.
func (r *ResultCSV) Close() error {
	r.flush()
	return r.err
}

// quoted are the bytes that make a CSV field need quotes.
var quoted = [256]bool{',': true, '"': true, '\r': true, '\n': true}

// appendField appends s as a CSV field, quoted as encoding/csv would.
func appendField(b []byte, s string) []byte {
	if s == "" {
		return b
	}
	plain := s[0] != ' ' && s[0] != '\t'
	for i := 0; i < len(s) && plain; i++ {
		plain = !quoted[s[i]]
	}
	if plain {
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

// ErrorCSV is an errors sheet: the input's own columns, failed rows only,
// plus an error column, ready to fix and import again. The password
// column, if any, is blanked.
type ErrorCSV struct {
	w        *csv.Writer
	password int
	rec      []string
	Rows     int
}

// ErrorColumn is the header of the errors sheet's added column.
const ErrorColumn = "error"

// NewErrorCSV starts an errors sheet with the input's header; password is
// the index of the password column, or -1.
func NewErrorCSV(w io.Writer, header []string, password int) (*ErrorCSV, error) {
	e := &ErrorCSV{w: csv.NewWriter(w), password: password}
	h := make([]string, 0, len(header)+1)
	for _, c := range header {
		h = append(h, Neutralize(c))
	}
	if err := e.w.Write(append(h, ErrorColumn)); err != nil {
		return nil, err
	}
	return e, nil
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
	return e.w.Write(append(e.rec, Neutralize(msg)))
}

// Close flushes the sheet.
func (e *ErrorCSV) Close() error {
	e.w.Flush()
	return e.w.Error()
}
