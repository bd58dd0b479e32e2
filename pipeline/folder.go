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

// The files of a run folder beside report's sheets and summary.
const (
	JournalFile = "journal.jsonl" // what was applied, for a resume or an undo
	PlanJSON    = "plan.json"     // the plan a run ran, or a web page's dry run saved
)

// runFiles are the files a run writes into its folder.
var runFiles = []string{report.ResultsCSV, report.ErrorsCSV, report.ResultsXLSX, report.ErrorsXLSX, report.PlanCSV, report.SummaryJSON, JournalFile, PlanJSON}

// notOverInput refuses a run that would write over the file it reads: a
// run folder's errors.csv, fixed and checked again into the same folder,
// or a plan saved over its input. Cut to nothing while it was read, the
// file would end early and look like a shorter file; replaced, the user's
// fixes would be gone.
func notOverInput(input, dir string, more ...string) error {
	in, err := os.Stat(input)
	if err != nil {
		return nil // not a file of the file system (it was opened already)
	}
	paths := append([]string(nil), more...)
	for _, name := range runFiles {
		paths = append(paths, filepath.Join(dir, name))
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && os.SameFile(in, fi) {
			return jobErrorf("%s is the file to read, and this run would write over it: write the run to another folder, or read a copy of the file", p)
		}
	}
	return nil
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
	s.LineUse = report.LineUse{Header: t.Lines.Header, Above: t.Lines.Above, Rows: t.Lines.Rows, Blank: t.Lines.Blank, Others: t.OtherLines}
	s.Input.SHA256 = t.SHA256
	for o, n := range t.NotInFile {
		if s.NotInFile == nil {
			s.NotInFile = map[string]int{}
		}
		s.NotInFile[string(o)] = n
	}
}
