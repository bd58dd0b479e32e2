package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// Job is a validation or an import as a person asks for one, from the
// command line or a web page: a file, how to read and check it, what to
// do with it, and the run folder its results go to.
type Job struct {
	// Path is the file; with Resume it may be "", for the run's own.
	Path  string
	Input InputOptions
	Check CheckOptions
	// Mode is, for a validation of a users file, how its rows are checked
	// (CheckAsNew); an import's is in Import.
	Mode Mode
	// Import is nil for a validation. Its Resume and Journal are the
	// job's to set.
	Import *ImportOptions
	// Connect gives the import its client once the file is open and
	// mapped, so that nothing is contacted for a file that cannot be read.
	// The client tells onAttempt of every attempt (ilms.Options.OnAttempt),
	// which the run counts for its summary.
	Connect func(onAttempt func(ilms.Attempt)) (*connect.Conn, error)
	// Out is the run folder; "" makes ./ilms-bulk-runs/<time>-<kind>.
	Out string
	// Resume finishes the run it read, in its own folder.
	Resume *Resume
	// XLSX adds results.xlsx and errors.xlsx (always for an XLSX input).
	XLSX bool
	// Command names the run in summary.json ("validate", "import users");
	// Args are its options, kept in the journal for a resume to apply.
	Command string
	Args    []string
	// PlanOut, for a dry run, saves its plan to this file; Files are
	// the mapping and settings files the options name, which the plan
	// holds to (their SHA-256).
	PlanOut string
	Files   []string
	// Apply runs a saved plan; Path is then its input file.
	Apply *Apply
	// Retry tries again the failures of an earlier run, in a folder of
	// its own; Path, when "", is the run's file.
	Retry *Retry
	// Undo reverses an earlier run, from its journal; Path is then "".
	Undo *Undo
	// Also, when set, hears every row's result after the run folder
	// does (a web page's table of problems).
	Also Sink
	// Words name an option the way the front door sets it (a flag, a
	// control) in the run's messages: its rows', its notes'. Its errors
	// name options as remedy.Hints (remedy.Render words them). Nil is
	// remedy.Hint.Control.
	Words remedy.Words
	// Progress, when set, is told after each row; OnLoad when the
	// organization at baseURL is about to be read.
	Progress func(Progress)
	OnLoad   func(baseURL string)
}

// JobReport is what a job did: its folder, its summary (also written to
// the folder's summary.json) and its counts.
type JobReport struct {
	Dir       string
	Summary   *report.Summary
	Tally     *Tally
	ErrorRows int
	Throttled int64 // requests answered 429
}

// tee is a Sink that hands every row to two.
type tee [2]Sink

func (t tee) Row(r *RowResult) error {
	if err := t[0].Row(r); err != nil {
		return err
	}
	return t[1].Row(r)
}

// Verdict is nil when every row of the run is done, else an error of the
// partial kind saying how many rows are to fix, and where.
func (r *JobReport) Verdict() error {
	s := r.Summary
	if v := s.Verdict(r.Dir); v != "" {
		return &PartialError{v}
	}
	return nil
}

// PartialError is a run that finished with rows failed, invalid or
// stale: its message says how many and where to see them.
type PartialError struct{ msg string }

func (e *PartialError) Error() string { return e.msg }

// Partial marks the error as a run that did part of what was asked.
func (e *PartialError) Partial() bool { return true }

// jobError is a job asked for in a way that cannot be done. Its message
// names the options it is about as remedy.Hints.
type jobError struct{ err *remedy.Error }

// jobErrorf returns a jobError; the remedy.Hints among args are the
// options it names.
func jobErrorf(format string, args ...any) *jobError {
	return &jobError{remedy.Errorf(format, args...)}
}

func (e *jobError) Error() string { return e.err.Error() }
func (e *jobError) Unwrap() error { return e.err }

// Usage marks the error as the caller's mistake: nothing was sent.
func (e *jobError) Usage() bool { return true }

// Run does the job. Every failure before the first request means nothing
// was sent (the errors say so by their kind). When the run itself stops
// (an interrupt, the API refusing the credentials) the report is returned
// with the error: the folder has every row, the rows not done pending.
func (j *Job) Run(ctx context.Context) (*JobReport, error) {
	start := time.Now()
	imp := j.Import
	path := j.Path
	var err error
	retryNote := ""
	if j.Resume != nil {
		if imp == nil || imp.DryRun {
			return nil, jobErrorf("a run is resumed by an import, not by a dry run or a validation")
		}
		if path == "" {
			path = j.Resume.File()
		}
		if err := j.Resume.Check(path); err != nil {
			return nil, err
		}
		if h := j.Resume.State.Header; h.Plan != "" && j.Apply == nil {
			// An apply's run is finished as an apply of the same plan.
			p, err := OpenPlan(h.Plan)
			if err != nil {
				return nil, err
			}
			defer p.Close()
			j.Apply = &Apply{Plan: p, Replan: h.Replan}
			imp.apply = j.Apply
		}
	}
	if j.Retry != nil {
		if imp == nil || j.Resume != nil || j.Apply != nil {
			return nil, jobErrorf("%s makes a run of its own: not with %s or a plan", remedy.Of(remedy.OnlyFailed), remedy.Of(remedy.Resume))
		}
		path = cmp.Or(path, j.Retry.File())
		if imp.DeactivateMissing {
			// Who is missing is known only from the whole file the first
			// run read; a retry of some of its rows must not guess it.
			imp.DeactivateMissing, imp.Scope = false, nil
			retryNote = j.Words.Of(remedy.Of(remedy.DeactivateMissing)) + " is not applied again: the first run did it, from its whole file"
		}
		if j.Retry.Fixed == "" {
			if err := (&Resume{Dir: j.Retry.Dir, State: j.Retry.State}).Check(path); err != nil {
				return nil, err
			}
			imp.only = j.Retry.Lines
		}
	}
	if j.Apply != nil && (imp == nil || imp.apply == nil) {
		if imp == nil || j.Resume != nil || j.PlanOut != "" {
			return nil, jobErrorf("a saved plan is applied by an import of its own, not resumed or planned again")
		}
		if err := j.Apply.check(start); err != nil {
			return nil, err
		}
		imp.apply = j.Apply
		if u := j.Apply.Plan.Undo; u != "" && j.Undo == nil {
			// An undo's plan: applied, it undoes that run as planned.
			if j.Undo, err = OpenUndo(u); err != nil {
				return nil, err
			}
			path = ""
		}
	}
	if imp != nil && imp.DeactivateMissing != (len(imp.Scope) > 0) {
		if imp.DeactivateMissing {
			return nil, jobErrorf("%s needs a %s: the region, division, department (F019=, F020=, F021=) or group= whose users missing from the file are inactivated", remedy.Of(remedy.DeactivateMissing), remedy.Of(remedy.Scope))
		}
		return nil, jobErrorf("%[1]s says whom %[2]s may inactivate; give it with %[2]s", remedy.Of(remedy.Scope), remedy.Of(remedy.DeactivateMissing))
	}
	if j.PlanOut != "" && (imp == nil || !imp.DryRun) {
		return nil, jobErrorf("a plan is saved by a dry run: give %s with %s", remedy.Of(remedy.DryRun), remedy.Of(remedy.PlanOut))
	}
	if imp != nil && imp.Leave != "" {
		// A leaver is who the row names: the other columns are not read.
		spec := cmp.Or(j.Input.Spec, &mapping.Spec{})
		spec.Only, j.Input.Spec, j.Input.IgnoreUnknown = []string{"F004", "F015", mapping.UserID}, spec, true
	}
	var in *Input
	switch {
	case j.Undo != nil:
		if imp == nil || j.Resume != nil || j.Retry != nil {
			return nil, jobErrorf("an undo is a run of its own: not resumed or retried")
		}
		imp.undo = j.Undo
		in, err = j.Undo.input()
		path = in.Path
	case path == "":
		return nil, jobErrorf("no file to read: give a CSV or XLSX file")
	default:
		in, err = OpenInput(path, j.Input)
	}
	if err != nil {
		return nil, err
	}
	defer in.Close()
	kind := in.Mapper.Kind()
	if j.Undo != nil {
		kind = j.Undo.Kind
	}
	if imp != nil && imp.DeactivateMissing && kind != mapping.Users {
		return nil, jobErrorf("%s is for a users file", remedy.Of(remedy.DeactivateMissing))
	}
	if j.Apply != nil && j.Apply.Plan.Kind != kind.String() {
		return nil, jobErrorf("the plan is of %s and the file reads as %s; apply it with the options it was made with", j.Apply.Plan.Kind, kind)
	}
	check := j.Check
	if check.Words == nil {
		check.Words = j.Words
	}
	var notes []string
	if imp == nil {
		check.CheckOnly = true // a validation sends nothing
		var note string
		if check.Create, note = CheckAsNew(in.Mapper, j.Mode); note != "" {
			notes = append(notes, note)
		}
	} else if kind == mapping.Users {
		// Checked against the file's columns before the first request.
		if imp.Match, err = MatchField(in.Mapper, imp.Match); err != nil {
			return nil, err
		}
	}
	if j.Input.Read.Sheet == "" {
		if note := SheetNote(in.Source, j.Words); note != "" {
			notes = append(notes, note)
		}
	}
	notes = append(notes, in.Mapper.Notes...)
	if retryNote != "" {
		notes = append(notes, retryNote)
	}
	if j.Retry != nil {
		what := fmt.Sprintf("%d rows of %s that failed for a reason that may pass now; rows that succeeded there are not sent again", len(j.Retry.Lines), path)
		if j.Retry.Fixed != "" {
			// Every row of the file given is planned: one that succeeded
			// there and is unchanged sends nothing, one edited since does.
			what = "every row of " + path + " (the errors sheet, fixed), each planned against iLMS as it is now: a row already done there, unchanged, sends nothing"
		}
		notes = append(notes, fmt.Sprintf("%s: this run tries %s", j.Words.Of(remedy.Of(remedy.OnlyFailed, j.Retry.Dir)), what))
		if n := j.Retry.NotInFile; n > 0 {
			notes = append(notes, fmt.Sprintf("%d users not in the file whose inactivation failed there are not tried again: run that import again to retry them", n))
		}
	}
	dir := ""
	if j.Resume != nil {
		dir = j.Resume.Dir
	} else if dir, err = RunDir(j.Out, folderName(kind, imp)); err != nil {
		return nil, err
	}
	if err := notOverInput(in.Path, dir, j.PlanOut); err != nil {
		return nil, err
	}
	s := &report.Summary{Command: j.Command, Kind: kind.String(), Notes: notes}
	if j.Retry != nil {
		s.RetryOf, _ = filepath.Abs(j.Retry.Dir)
	}
	if j.Undo != nil {
		s.UndoOf, _ = filepath.Abs(j.Undo.Dir)
	}
	var conn *connect.Conn
	var requests Counter
	if imp != nil {
		if conn, err = j.Connect(requests.Observe); err != nil {
			return nil, err
		}
		defer conn.Close()
		if j.OnLoad != nil {
			imp.OnLoad = func() { j.OnLoad(conn.BaseURL) }
		}
		imp.Client, s.BaseURL, s.OrgID, s.DryRun = conn.Client, conn.BaseURL, conn.OrgID, imp.DryRun
		conn.Site = cmp.Or(conn.Site, conn.BaseURL)
		if j.Apply != nil {
			if err := j.Apply.checkSite(conn.Site, conn.OrgID); err != nil {
				return nil, err
			}
			p := j.Apply.Plan
			s.Plan = &report.PlanRef{Path: p.Path, SHA256: p.SHA256, Created: p.Created, Decision: "applied"}
			if j.Apply.Replan {
				s.Plan.Decision = "applied, rows changed since planned again"
			}
		}
		if j.Resume != nil {
			imp.Resume = j.Resume.State
		}
		if err := j.sameSite(conn); err != nil {
			return nil, err
		}
		if !imp.DryRun {
			if imp.Journal, err = j.journal(dir, in, kind, conn); err != nil {
				return nil, err
			}
		}
	}
	folder, err := NewFolder(dir, in, FolderOptions{XLSX: j.XLSX || in.Source.Format() == "xlsx", DryRun: imp != nil && imp.DryRun})
	if err != nil {
		closeJournal(imp)
		return nil, err
	}
	var sink Sink = folder
	if j.Also != nil {
		sink = tee{folder, j.Also}
	}
	var spool *planSpool
	planPath := j.PlanOut
	if imp != nil && !imp.DryRun {
		// The run keeps the plan it ran (or that a limit blocked).
		planPath, imp.SpoolDir = filepath.Join(dir, PlanJSON), dir
	}
	if planPath != "" {
		if spool, err = newPlanSpool(planPath, sink); err != nil {
			folder.Close()
			return nil, err
		}
		defer spool.discard()
		sink = spool
	}
	t, runErr := Run(ctx, in, RunOptions{Check: check, Import: imp, Sink: sink, Progress: j.Progress})
	closeErr := errors.Join(folder.Close(), closeJournal(imp))
	var limit *LimitError
	blocked := errors.As(runErr, &limit)
	stopped := ctx.Err() != nil || errors.Is(runErr, ErrAborted)
	switch {
	case runErr != nil && !stopped && !blocked:
		return nil, runErr
	case closeErr != nil:
		return nil, &FileError{Path: dir, Err: closeErr}
	}
	rep := &JobReport{Dir: dir, Summary: s, Tally: t, ErrorRows: folder.ErrorRows()}
	t.Fill(s)
	s.Interrupted = stopped
	s.Input = report.Input{Path: path, Format: in.Source.Format(), SHA256: t.SHA256, Sheet: j.Input.Read.Sheet}
	attempt := report.Attempt{ElapsedSeconds: time.Since(start).Seconds(), Interrupted: stopped}
	attempt.Requests, attempt.Retries, rep.Throttled = requests.Snapshot()
	if conn != nil && conn.Client != nil {
		s.Pace = report.PaceOf(conn.Client.Pacer(), conn.Rate)
	}
	var earlier []report.Attempt
	if j.Resume != nil {
		earlier = j.Resume.Earlier
	}
	s.AddAttempt(earlier, attempt)
	if t.Rows == 0 {
		s.Notes = append(s.Notes, report.NothingToDo)
	}
	if rep.ErrorRows > 0 && in.Mapper.ColumnOf("F016") >= 0 {
		// A fixed errors sheet imported as it is would set no password.
		s.Notes = append(s.Notes, fmt.Sprintf("the errors sheet leaves the %s column blank (a password is never written out): type the passwords in again before importing it", fmt.Sprintf("%q", in.Mapper.Column("F016"))))
	}
	s.Stamp()
	if spool != nil && !stopped {
		decision := "saved"
		switch {
		case blocked:
			decision = "blocked: " + limit.In(j.Words)
		case !imp.DryRun && s.Plan != nil:
			decision = s.Plan.Decision // a saved plan's, applied
		case !imp.DryRun:
			decision = "applied"
		}
		ref, err := j.savePlan(spool, planPath, s, conn, start)
		if err != nil {
			return nil, err
		}
		if ref.Decision = decision; s.Plan != nil {
			ref.Applied = s.Plan // the saved plan this run applied
		}
		s.Plan = ref
	}
	if err := s.WriteJSON(filepath.Join(dir, report.SummaryJSON)); err != nil {
		return nil, &FileError{Path: dir, Err: err}
	}
	if stopped || blocked {
		return rep, runErr
	}
	return rep, nil
}

// savePlan writes the dry run's plan file.
func (j *Job) savePlan(spool *planSpool, path string, s *report.Summary, conn *connect.Conn, start time.Time) (*report.PlanRef, error) {
	h := &SavedPlan{Kind: s.Kind, Created: start.UTC(), Site: conn.Site, BaseURL: conn.BaseURL, OrgID: conn.OrgID, Input: s.Input, Args: j.Args, Operator: s.OSUser, Undo: s.UndoOf}
	h.Input.Path, _ = filepath.Abs(h.Input.Path)
	for _, f := range j.Files {
		abs, _ := filepath.Abs(f)
		sum, err := FileSHA256(f)
		if err != nil {
			return nil, &FileError{Path: f, Err: err}
		}
		if h.Files == nil {
			h.Files = map[string]string{}
		}
		h.Files[abs] = sum
	}
	if err := spool.commit(path, h); err != nil {
		return nil, err
	}
	sum, err := FileSHA256(path)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return &report.PlanRef{Path: path, SHA256: sum, Created: h.Created}, nil
}

func folderName(kind mapping.Kind, imp *ImportOptions) string {
	switch {
	case imp == nil:
		return "validate"
	case imp.undo != nil && imp.DryRun:
		return "undo-dry-run"
	case imp.undo != nil:
		return "undo"
	case imp.DryRun:
		return kind.String() + "-dry-run"
	}
	return kind.String()
}

// sameSite refuses to finish, or re-run the failures of, a run that
// wrote to another organization or server than conn's: the options a
// run keeps say how it reads and plans, not where it writes.
func (j *Job) sameSite(conn *connect.Conn) error {
	var st *JournalState
	var dir string
	switch {
	case j.Resume != nil:
		st, dir = j.Resume.State, j.Resume.Dir
	case j.Retry != nil:
		st, dir = j.Retry.State, j.Retry.Dir
	default:
		return nil
	}
	if h := st.Header; h.Site != "" && (h.Site != conn.Site || h.OrgID != conn.OrgID) {
		return jobErrorf("the run in %s wrote to organization %s at %s, and this one is connected to organization %s at %s; connect to the run's own to go on with it", dir, h.OrgID, h.Site, conn.OrgID, conn.Site)
	}
	return nil
}

// journal starts the run's journal, or opens the resumed run's.
func (j *Job) journal(dir string, in *Input, kind mapping.Kind, conn *connect.Conn) (*Journal, error) {
	var header *JournalHeader
	if j.Resume == nil {
		abs, _ := filepath.Abs(in.Path)
		header = &JournalHeader{Journal: 1, Kind: kind.String(), File: abs, Args: j.Args, Site: conn.Site, OrgID: conn.OrgID}
		header.Size, header.Modified = in.Stat()
		if j.Apply != nil {
			header.Plan, _ = filepath.Abs(j.Apply.Plan.Path)
			header.Replan = j.Apply.Replan
		}
	}
	jr, err := CreateJournal(filepath.Join(dir, JournalFile), header)
	if err != nil {
		return nil, &FileError{Path: dir, Err: fmt.Errorf("the journal cannot be written: %w", err)}
	}
	return jr, nil
}

func closeJournal(imp *ImportOptions) error {
	if imp == nil || imp.Journal == nil {
		return nil
	}
	return imp.Journal.Close()
}
