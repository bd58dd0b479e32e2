package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ilms-bulk/ilms-bulk/report"
)

// RunDir makes a run folder: out, or ./ilms-bulk-runs/<time>-<name>.
func RunDir(out, name string) (string, error) {
	if out == "" {
		out = filepath.Join("ilms-bulk-runs", time.Now().Format("20060102-150405")+"-"+name)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", &FileError{Path: out, Err: fmt.Errorf("the run folder cannot be made: %w", err)}
	}
	return out, nil
}

// FolderOptions say which sheets a run folder holds.
type FolderOptions struct {
	// XLSX adds results.xlsx and errors.xlsx to the CSV sheets.
	XLSX bool
	// DryRun writes plan.csv alone.
	DryRun bool
}

// Folder is a Sink that writes a run folder's sheets as rows finish:
// results.csv (every row), errors.csv (the rows to fix, their own cells
// and an error column; a password is never written back), their XLSX
// twins when asked, or a dry run's plan.csv.
type Folder struct {
	Dir    string
	sheets *report.RunSheets
}

// NewFolder starts the sheets of a run of in, in dir.
func NewFolder(dir string, in *Input, opts FolderOptions) (*Folder, error) {
	s, err := report.NewRunSheets(report.SheetsOptions{Dir: dir, Header: in.Source.Header(), Password: in.Mapper.ColumnOf("F016"), XLSX: opts.XLSX, Plan: opts.DryRun})
	if err != nil {
		return nil, &FileError{Path: dir, Err: err}
	}
	return &Folder{Dir: dir, sheets: s}, nil
}

// Row writes a row's result.
func (f *Folder) Row(r *RowResult) error {
	res := report.Result{Row: max(r.Line, 0), Key: report.Cell(r.Key), Outcome: string(r.Outcome), Actions: report.Cell(r.Actions), Message: report.Cell(r.Message), ToFix: r.Outcome.ToFix() && r.Line > 0}
	if r.Planned {
		res.Outcome, res.ToFix = string(r.Outcome.Planned()), false
	}
	if r.ID != 0 {
		res.ID = strconv.FormatInt(r.ID, 10)
	}
	return f.sheets.Write(res, r.Cells, r.Columns)
}

// ErrorRows counts the rows of errors.csv.
func (f *Folder) ErrorRows() int { return f.sheets.ErrorRows() }

// Close finishes the sheets.
func (f *Folder) Close() error { return f.sheets.Close() }

// Fill writes the tally's counts into a summary.
func (t *Tally) Fill(s *report.Summary) {
	s.Total, s.Succeeded, s.Failed, s.Warnings = t.Rows, t.Succeeded, t.Failed, t.Warnings
	s.ByOutcome = map[string]int{}
	for o, n := range t.ByOutcome {
		s.ByOutcome[string(o)] = n
	}
	s.TopProblems = report.Top(t.Problems, 10)
	s.Lines = t.Lines.Read
	s.LineUse = report.LineUse{Header: t.Lines.Header, Above: t.Lines.Above, Rows: t.Lines.Rows, Blank: t.Lines.Blank}
	s.Input.SHA256 = t.SHA256
	for o, n := range t.NotInFile {
		if s.NotInFile == nil {
			s.NotInFile = map[string]int{}
		}
		s.NotInFile[string(o)] = n
	}
}
