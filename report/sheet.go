package report

import (
	"encoding/csv"
	"io"
	"strings"
	"sync"

	"github.com/gocarina/gocsv"
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

// Cell is a value written through gocsv, neutralized.
type Cell string

// MarshalCSV implements gocsv's TypeMarshaller.
func (c Cell) MarshalCSV() (string, error) { return Neutralize(string(c)), nil }

// Result is one row of a results sheet: every input row has exactly one.
type Result struct {
	Row     int    `csv:"row"`     // the input's spreadsheet row
	Key     Cell   `csv:"key"`     // who (and which course) the row is about
	Outcome string `csv:"outcome"` // created, updated, unchanged, enrolled, … failed, invalid
	ID      string `csv:"ilms_id"` // the iLMS ID of the user, when known
	Actions Cell   `csv:"actions"` // what was done
	Message Cell   `csv:"message"` // why, for failures and warnings
}

// ResultColumns are the results sheet's header.
var ResultColumns = []string{"row", "key", "outcome", "ilms_id", "actions", "message"}

// ResultCSV streams result rows to CSV through gocsv on its own goroutine,
// so that writing overlaps reading.
type ResultCSV struct {
	w     io.Writer
	ch    chan any
	done  chan error
	once  sync.Once
	wrote bool
	err   error
}

// NewResultCSV starts a results sheet on w.
func NewResultCSV(w io.Writer) *ResultCSV {
	r := &ResultCSV{w: w, ch: make(chan any, 4096), done: make(chan error, 1)}
	go func() {
		err := gocsv.MarshalChan(r.ch, gocsv.NewSafeCSVWriter(csv.NewWriter(w)))
		for range r.ch { // drain after an error so that Write never blocks
		}
		r.done <- err
	}()
	return r
}

// Write adds a result row.
func (r *ResultCSV) Write(res Result) {
	r.wrote = true
	r.ch <- res
}

// Close finishes the sheet; a sheet with no rows still gets its header.
func (r *ResultCSV) Close() error {
	r.once.Do(func() {
		close(r.ch)
		r.err = <-r.done
		if r.err == nil && !r.wrote {
			cw := csv.NewWriter(r.w)
			cw.Write(ResultColumns)
			cw.Flush()
			r.err = cw.Error()
		}
	})
	return r.err
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
