package report

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
)

// The sheets of a run folder.
const (
	ResultsCSV  = "results.csv"
	ErrorsCSV   = "errors.csv"
	ResultsXLSX = "results.xlsx"
	ErrorsXLSX  = "errors.xlsx"
	PlanCSV     = "plan.csv"
	// SummaryJSON is the run's summary (Summary.WriteJSON).
	SummaryJSON = "summary.json"
)

// SheetsOptions say which sheets a run writes.
type SheetsOptions struct {
	Dir string
	// Header is the input's header; Password the index of its password
	// column (never written back), or -1.
	Header   []string
	Password int
	// XLSX adds results.xlsx and errors.xlsx to the CSV sheets.
	XLSX bool
	// Plan writes plan.csv alone: what a dry run would do.
	Plan bool
}

// RunSheets are the sheets of a run, written as rows finish, in row
// order: results.csv, one row per input row; errors.csv, the rows to fix
// with their own cells and an error column, ready to import again; their
// XLSX twins when asked; or, for a dry run, plan.csv.
type RunSheets struct {
	files   []*os.File
	bufs    []*bufio.Writer
	results *ResultCSV
	errs    *ErrorCSV
	xres    *ResultXLSX
	xerr    *ErrorXLSX
	dir     string
	width   int
}

// NewRunSheets creates the sheets in o.Dir.
func NewRunSheets(o SheetsOptions) (*RunSheets, error) {
	s := &RunSheets{dir: o.Dir, width: len(o.Header)}
	open := func(name string) (*bufio.Writer, error) {
		path := filepath.Join(o.Dir, name)
		// A sheet of an earlier run in the same folder is replaced by a
		// new file, not cut to nothing and written again: ext4 writes a
		// file cut so back to disk as soon as it is closed (its
		// auto_da_alloc), which for a million-row run costs tens of
		// milliseconds of the run's own time.
		// The new file keeps the old one's permissions (errors.csv holds
		// personal data: someone may have made it private).
		perm := os.FileMode(0o666)
		if fi, err := os.Lstat(path); err == nil && !fi.IsDir() {
			if fi.Mode().IsRegular() {
				perm = fi.Mode().Perm()
			}
			if err := os.Remove(path); err != nil {
				return nil, err
			}
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, perm)
		if err != nil {
			return nil, err
		}
		w := bufio.NewWriterSize(f, bufSize)
		s.files, s.bufs = append(s.files, f), append(s.bufs, w)
		return w, nil
	}
	fail := func(err error) (*RunSheets, error) {
		for _, f := range s.files {
			f.Close()
		}
		return nil, err
	}
	name := ResultsCSV
	if o.Plan {
		name = PlanCSV
	}
	w, err := open(name)
	if err != nil {
		return fail(err)
	}
	s.results = NewResultCSV(w)
	if o.Plan {
		return s, nil
	}
	if w, err = open(ErrorsCSV); err != nil {
		return fail(err)
	}
	if s.errs, err = NewErrorCSV(w, o.Header, o.Password); err != nil {
		return fail(err)
	}
	if o.XLSX {
		if s.xres, err = NewResultXLSX(filepath.Join(o.Dir, ResultsXLSX)); err != nil {
			return fail(err)
		}
		if s.xerr, err = NewErrorXLSX(o.Header, o.Password); err != nil {
			return fail(err)
		}
	}
	return s, nil
}

// Write adds a row's result and, when the row is one to fix, the row
// itself with its message to the errors sheets; columns are the headers
// of the cells at fault.
func (s *RunSheets) Write(r Result, cells []string, columns []string) error {
	s.results.Write(r)
	if s.xres != nil {
		if err := s.xres.Write(r); err != nil {
			return err
		}
	}
	if !r.ToFix || s.errs == nil {
		return nil
	}
	msg := string(r.Message)
	if err := s.errs.Write(cells, s.width, msg); err != nil {
		return err
	}
	if s.xerr != nil {
		return s.xerr.Write(cells, s.width, msg, columns)
	}
	return nil
}

// ErrorRows counts the rows of the errors sheet.
func (s *RunSheets) ErrorRows() int {
	if s.errs == nil {
		return 0
	}
	return s.errs.Rows
}

// Close writes what is buffered, saves the workbooks and closes the files.
func (s *RunSheets) Close() error {
	errs := []error{s.results.Close()}
	if s.errs != nil {
		errs = append(errs, s.errs.Close())
	}
	for i, w := range s.bufs {
		errs = append(errs, w.Flush(), s.files[i].Close())
	}
	if s.xres != nil {
		errs = append(errs, s.xres.Close(), s.xerr.Save(filepath.Join(s.dir, ErrorsXLSX)))
	}
	return errors.Join(errs...)
}
