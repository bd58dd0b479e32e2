package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/report"
)

type importOptions struct {
	inputOptions
	pace
	DryRun                    bool
	Mode                      string
	Match                     string
	Out                       string
	Resume                    string
	Format                    string
	CreateHierarchy           bool
	SendRegistrationMail      bool
	ChangePasswordAtNextLogin bool
	EnrollMissing             bool
	AllowIdentityChange       bool
}

func newImportCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Create and update users, enrollments and transcripts from a spreadsheet",
		Long: `Import a CSV or XLSX file into iLMS: every row is validated, planned
against the organization as it is (read once), and sent at the API's rate
limit by a pool of workers. Rows that would change nothing send nothing.

Each run writes a folder (--out, default ./ilms-bulk-runs/<time>-<kind>)
with results.csv (one row per input row), errors.csv (the failed rows with
their own columns and an error column, ready to fix and import again),
summary.json and journal.jsonl. An interrupted or killed run finishes with
--resume DIR, without doing anything twice.`,
	}
	for _, kind := range []mapping.Kind{mapping.Users, mapping.Enrollments, mapping.Transcripts} {
		cmd.AddCommand(newImportKindCmd(ios, g, kind))
	}
	return cmd
}

func newImportKindCmd(ios *IOStreams, g *globalOptions, kind mapping.Kind) *cobra.Command {
	opts := &importOptions{}
	examples := map[mapping.Kind]string{
		mapping.Users: `  ilms-bulk import users cohort.xlsx --dry-run
  ilms-bulk import users cohort.xlsx --create-hierarchy --send-registration-mail
  ilms-bulk import users people.csv --mode update-only --match F004`,
		mapping.Enrollments: `  ilms-bulk import enrollments enrollments.csv
  ilms-bulk import enrollments ilt-signups.xlsx --rate 5`,
		mapping.Transcripts: `  ilms-bulk import transcripts completions.csv --date-format dd/MM/yyyy
  ilms-bulk import transcripts backfill.xlsx --enroll-missing`,
	}
	long := map[mapping.Kind]string{
		mapping.Users: `Create or update users. Users are matched on Employee ID (F004) when the
file has it, otherwise on Email ID (F015). A new user is created; a known
one gets only the fields that differ (region, division and department go
together); a user whose fields all match is left alone. A row whose
employee ID finds a user with two of another first name, last name and
email (or whose email finds one with another employee ID) is a conflict,
not an update, unless --allow-identity-change. Optional columns:
Status (active/inactive), Groups and Courses (names or IDs separated by ;,
a session as course/session), Password (set on create, reset on update).
A blank cell changes nothing; #clear clears the field.`,
		mapping.Enrollments: `Enroll users in courses, curricula and ILT sessions, or un-enroll them
(an Action column: enroll, the default, or unenroll). Rows name the user by
User ID, Email or Employee ID, and a course (ID or exact name), a
curriculum, or a course and session. Enrollments that already exist are
left alone.`,
		mapping.Transcripts: `Update transcripts: status, score, dates and requirement type of a
user's course, curriculum or session. Only what differs from the record is
sent. A user not enrolled is an error, unless --enroll-missing.`,
	}
	sub := &cobra.Command{
		Use:     kind.String() + " FILE",
		Short:   "Import " + kind.String() + " from a CSV or XLSX file",
		Long:    long[kind],
		Example: examples[kind],
		Args:    fileArg(true),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd, ios, g, opts, kind, args)
		},
	}
	f := sub.Flags()
	opts.addFlags(f, false)
	f.BoolVar(&opts.DryRun, "dry-run", false, "validate, read the organization and write plan.csv; send no write request")
	f.StringVar(&opts.Out, "out", "", "run folder (default ./ilms-bulk-runs/<time>-"+kind.String()+")")
	f.StringVar(&opts.Resume, "resume", "", "finish the run in this folder: rows already done are not touched again")
	opts.addPaceFlags(f)
	f.StringVar(&opts.Format, "format", "", "xlsx: also write results.xlsx and errors.xlsx (always when the input is XLSX)")
	switch kind {
	case mapping.Users:
		f.StringVar(&opts.Mode, "mode", "upsert", "upsert, create-only or update-only: which rows may create or update users")
		f.StringVar(&opts.Match, "match", "", "F004 or F015: the field users are matched on (default F004 when the file has it)")
		f.BoolVar(&opts.CreateHierarchy, "create-hierarchy", false, "create regions, divisions and departments the file names that do not exist")
		f.BoolVar(&opts.SendRegistrationMail, "send-registration-mail", false, "new users get iLMS's registration email")
		f.BoolVar(&opts.ChangePasswordAtNextLogin, "change-password-at-next-login", false, "users given a password must change it when they next log in")
		f.BoolVar(&opts.AllowIdentityChange, "allow-identity-change", false, "let a row matched by employee ID change the user's names and email, or matched by email their employee ID (otherwise a conflict)")
	case mapping.Transcripts:
		f.BoolVar(&opts.EnrollMissing, "enroll-missing", false, "enroll users who are not enrolled yet, then update their transcript")
	}
	return sub
}

// resumable are the flags a resumed run takes from the run it finishes
// unless given again.
var notResumable = map[string]bool{"resume": true, "out": true, "dry-run": true}

func runImport(cmd *cobra.Command, ios *IOStreams, g *globalOptions, opts *importOptions, kind mapping.Kind, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	var resume *pipeline.JournalState
	var earlier []report.Attempt
	path := ""
	if len(args) == 1 {
		path = args[0]
	}
	if opts.Resume != "" {
		if opts.DryRun {
			return usagef("--resume and --dry-run do not go together")
		}
		st, err := pipeline.ReadJournal(filepath.Join(opts.Resume, "journal.jsonl"))
		if err != nil {
			return &inputError{fmt.Errorf("--resume %s: %w", opts.Resume, err)}
		}
		if st.Header.Kind != kind.String() {
			return usagef("%s is a run of import %s, not import %s", opts.Resume, st.Header.Kind, kind)
		}
		if path == "" {
			path = st.Header.File
		}
		for _, a := range st.Header.Args {
			name, value, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
			if fl := cmd.Flags().Lookup(name); fl != nil && !fl.Changed {
				if err := cmd.Flags().Set(name, value); err != nil {
					return usagef("--resume %s: the run's option --%s=%s is not valid now (%v); give --%s again", opts.Resume, name, value, err, name)
				}
			}
		}
		resume = st
		// The attempts before this one, from the summary the last of them
		// wrote: this run's summary adds to their counts.
		prev, err := report.ReadSummary(filepath.Join(opts.Resume, "summary.json"))
		if err != nil {
			prev = nil
		}
		earlier = report.PriorAttempts(prev, len(st.Done))
	}
	if path == "" {
		return usagef("import %s takes one FILE, a CSV or XLSX file, or --resume DIR", kind)
	}
	mode, err := opts.check()
	if err != nil {
		return err
	}
	sum, err := pipeline.FileSHA256(path)
	if err != nil {
		return &inputError{err}
	}
	if resume != nil && resume.Header.SHA256 != sum {
		return &inputError{fmt.Errorf("%s has changed since the run in %s began (its SHA-256 differs); import the new file as a new run", path, opts.Resume)}
	}
	in, err := opts.open(path, &kind)
	if err != nil {
		return err
	}
	defer in.src.Close()
	if kind == mapping.Users {
		// Checked against the file's columns before the first request.
		if opts.Match, err = pipeline.MatchField(in.mapper, opts.Match); err != nil {
			return err
		}
	}
	total, err := countRows(path, &opts.inputOptions)
	if err != nil {
		return err
	}
	dir := opts.Resume
	if dir == "" {
		name := kind.String()
		if opts.DryRun {
			name += "-dry-run"
		}
		if dir, err = runDir(opts.Out, name); err != nil {
			return err
		}
	}
	if total == 0 && resume == nil {
		return emptyImport(ios, g, opts, kind, path, dir, in, sum)
	}
	counter := &pipeline.Counter{}
	conn, err := g.connect(ctx, ios, connect.Options{Rate: opts.Rate.Rate, Adaptive: true, Workers: opts.Workers, OnAttempt: counter.Observe})
	if err != nil {
		return err
	}
	defer conn.Close()

	var journal *pipeline.Journal
	if !opts.DryRun {
		var header *pipeline.JournalHeader
		if resume == nil {
			abs, _ := filepath.Abs(path)
			header = &pipeline.JournalHeader{Journal: 1, Kind: kind.String(), File: abs, SHA256: sum, Args: changedFlags(cmd.Flags())}
		}
		if journal, err = pipeline.CreateJournal(filepath.Join(dir, "journal.jsonl"), header); err != nil {
			return &inputError{fmt.Errorf("journal: %w", err)}
		}
	}
	if !g.Quiet {
		fmt.Fprintf(ios.ErrOut, "reading the organization at %s …\n", conn.BaseURL)
	}
	known, err := org.Load(ctx, conn.Client, pipeline.NeedsFor(in.mapper), opts.Workers)
	if err != nil {
		closeJournal(journal)
		return err
	}
	checker := pipeline.NewChecker(in.mapper, pipeline.CheckOptions{Settings: in.settings, DateLayout: opts.DateFormat, RenderHint: renderHint})
	label := "import " + kind.String()
	prog := newProgress(ios, label, total, g.Quiet)
	if resume != nil {
		prog.Advance(len(resume.Done))
	}
	planned, plannedWarnings := map[pipeline.Outcome]int{}, 0
	var planSheet *planCSV
	if opts.DryRun {
		if planSheet, err = newPlanCSV(filepath.Join(dir, "plan.csv")); err != nil {
			prog.Close()
			return err
		}
	}
	runErr := pipeline.Import(ctx, in.src, checker, conn.Client, known, pipeline.ImportOptions{
		PlanOptions: pipeline.PlanOptions{
			Mode: mode, Match: opts.Match, CreateHierarchy: opts.CreateHierarchy,
			SendRegistrationMail: opts.SendRegistrationMail, ChangePasswordAtNextLogin: opts.ChangePasswordAtNextLogin,
			EnrollMissing: opts.EnrollMissing, AllowIdentityChange: opts.AllowIdentityChange,
		},
		Workers: opts.Workers, DryRun: opts.DryRun, Resume: resume, Journal: journal,
		OnPlan: func(p *pipeline.Plan) {
			planned[p.Outcome]++
			if hasWarning(p.Message) {
				plannedWarnings++
			}
			if planSheet != nil {
				planSheet.write(p)
				prog.Add(pipeline.Result{Outcome: p.Outcome})
			}
		},
		OnResult: prog.Add,
	})
	prog.Close()
	if err := closeJournal(journal); err != nil && runErr == nil {
		runErr = err
	}
	if planSheet != nil {
		if err := planSheet.close(); err != nil && runErr == nil {
			runErr = err
		}
	}
	interrupted := ctx.Err() != nil
	if runErr != nil && !interrupted && !errors.Is(runErr, pipeline.ErrAborted) {
		return runErr
	}
	requests, retries, throttled := counter.Snapshot()
	s := &report.Summary{
		Command: "import " + kind.String(), Kind: kind.String(), Notes: in.mapper.Notes,
		BaseURL: conn.BaseURL, OrgID: conn.OrgID, DryRun: opts.DryRun, Interrupted: interrupted || runErr != nil,
	}
	s.AddAttempt(earlier, report.Attempt{Requests: requests, Retries: retries, ElapsedSeconds: time.Since(start).Seconds(), Interrupted: s.Interrupted})
	audit(s, &opts.inputOptions, path, in.src)
	s.Input.SHA256 = sum
	if opts.DryRun {
		s.ByOutcome, s.Warnings = map[string]int{}, plannedWarnings
		for o, n := range planned {
			s.ByOutcome[string(o.Planned())] += n
			s.Total += n
			if o.Succeeded() {
				s.Succeeded += n
			} else {
				s.Failed += n
			}
		}
	} else if err := writeRunSheets(dir, path, &opts.inputOptions, in, s, opts.Format == "xlsx" || in.src.Format() == "xlsx"); err != nil {
		return err
	}
	if err := s.WriteJSON(filepath.Join(dir, "summary.json")); err != nil {
		return &inputError{err}
	}
	if !g.Quiet {
		printImport(ios, s, dir, throttled)
	}
	switch {
	case runErr != nil && errors.Is(runErr, pipeline.ErrAborted):
		fmt.Fprintf(ios.ErrOut, "stopped; once that is fixed, finish with:\n  %s\n", resumeCommand(g, kind, path, dir))
		return runErr // the API's refusal, classified by its status
	case interrupted:
		fmt.Fprintf(ios.ErrOut, "interrupted; rows in flight finished, the rest wait. Finish with:\n  %s\n", resumeCommand(g, kind, path, dir))
		return context.Canceled
	case s.Failed > 0:
		what := "failed or are invalid"
		if opts.DryRun {
			what = "would fail or are invalid"
		}
		return &partialError{fmt.Sprintf("%d of %d rows %s; see %s", s.Failed, s.Total, what, filepath.Join(dir, map[bool]string{true: "plan.csv", false: "errors.csv"}[opts.DryRun]))}
	}
	return nil
}

// check checks the options that need no file and no server: every one
// of them fails before anything is read or sent.
func (o *importOptions) check() (pipeline.Mode, error) {
	mode, err := pipeline.ParseMode(o.Mode)
	if err != nil {
		return mode, err
	}
	if err := o.pace.check(); err != nil {
		return mode, err
	}
	if o.Format != "" && o.Format != "csv" && o.Format != "xlsx" {
		return mode, usagef("--format %q: give csv or xlsx", o.Format)
	}
	return mode, nil
}

// emptyImport ends the import of a file with no rows below its header:
// there is nothing to do, so nothing is sent, not even the reads of the
// organization. The run folder still has its sheets, headers only, and
// summary.json, for whoever reads them next.
func emptyImport(ios *IOStreams, g *globalOptions, opts *importOptions, kind mapping.Kind, path, dir string, in *opened, sum string) error {
	sheets := []string{"results.csv", "errors.csv"}
	if opts.DryRun {
		sheets = []string{"plan.csv"}
	}
	for _, name := range sheets {
		f, err := createFile(dir, name)
		if err != nil {
			return err
		}
		if name == "errors.csv" {
			var e *report.ErrorCSV
			if e, err = report.NewErrorCSV(f, in.src.Header(), in.mapper.ColumnOf("F016")); err == nil {
				err = e.Close()
			}
		} else {
			err = report.NewResultCSV(f).Close()
		}
		if err := firstErr(err, f.Close()); err != nil {
			return &inputError{err}
		}
	}
	const nothing = "no rows below the header: nothing to do, nothing sent"
	s := &report.Summary{Command: "import " + kind.String(), Kind: kind.String(), ByOutcome: map[string]int{}, DryRun: opts.DryRun,
		Notes: append(append([]string(nil), in.mapper.Notes...), nothing)}
	audit(s, &opts.inputOptions, path, in.src)
	s.Input.SHA256 = sum
	if err := s.WriteJSON(filepath.Join(dir, "summary.json")); err != nil {
		return &inputError{err}
	}
	if !g.Quiet {
		fmt.Fprintf(ios.ErrOut, "%s %s: %s\nrun folder: %s\n", s.Command, path, nothing, dir)
	}
	return nil
}

func closeJournal(j *pipeline.Journal) error {
	if j == nil {
		return nil
	}
	return j.Close()
}

// changedFlags lists the options given on the command line, for the
// journal: --resume applies them again.
func changedFlags(fs *pflag.FlagSet) []string {
	var out []string
	fs.Visit(func(f *pflag.Flag) {
		if !notResumable[f.Name] {
			out = append(out, "--"+f.Name+"="+f.Value.String())
		}
	})
	return out
}

func resumeCommand(g *globalOptions, kind mapping.Kind, path, dir string) string {
	parts := []string{"ilms-bulk", "import", kind.String(), shellQuote(path), "--resume", shellQuote(dir)}
	if g.Sandbox {
		parts = append(parts, "--sandbox")
	}
	if g.BaseURL != "" {
		parts = append(parts, "--base-url", shellQuote(g.BaseURL))
	}
	if g.OrgID != "" {
		parts = append(parts, "--known", shellQuote(g.OrgID))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"$\\`!*?&;|<>()") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// countRows counts the data rows of a file, for progress.
func countRows(path string, o *inputOptions) (int, error) {
	in, err := o.open(path, nil)
	if err != nil {
		return 0, err
	}
	defer in.src.Close()
	n := 0
	for {
		if _, err := in.src.Next(); err != nil {
			if errors.Is(err, io.EOF) {
				return n, nil
			}
			return n, &inputError{err}
		}
		n++
	}
}

// writeRunSheets writes results.csv and errors.csv (and their XLSX twins)
// from the journal: every input row, read again in order, gets its result;
// a row without one (an interrupted run) is pending.
func writeRunSheets(dir, path string, o *inputOptions, in *opened, s *report.Summary, xlsx bool) error {
	st, err := pipeline.ReadJournal(filepath.Join(dir, "journal.jsonl"))
	if err != nil {
		return &inputError{err}
	}
	again, err := o.open(path, &in.kind)
	if err != nil {
		return err
	}
	defer again.src.Close()
	header := again.src.Header()
	password := again.mapper.ColumnOf("F016")
	resFile, err := createFile(dir, "results.csv")
	if err != nil {
		return err
	}
	defer resFile.Close()
	resBuf := bufio.NewWriter(resFile)
	results := report.NewResultCSV(resBuf)
	errFile, err := createFile(dir, "errors.csv")
	if err != nil {
		return err
	}
	defer errFile.Close()
	errBuf := bufio.NewWriter(errFile)
	errs, err := report.NewErrorCSV(errBuf, header, password)
	if err != nil {
		return err
	}
	var xres *report.ResultXLSX
	var xerr *report.ErrorXLSX
	if xlsx {
		if xres, err = report.NewResultXLSX(filepath.Join(dir, "results.xlsx")); err != nil {
			return err
		}
		if xerr, err = report.NewErrorXLSX(header, password); err != nil {
			return err
		}
	}
	s.ByOutcome = map[string]int{}
	for {
		row, err := again.src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &inputError{err}
		}
		r, ok := st.Done[row.Line]
		if !ok {
			r = pipeline.Result{Line: row.Line, Outcome: pipeline.Pending, Message: "not done yet: the run was interrupted; --resume finishes it"}
		}
		s.Total++
		s.ByOutcome[string(r.Outcome)]++
		if r.Outcome.Succeeded() {
			s.Succeeded++
		} else if r.Outcome != pipeline.Pending {
			s.Failed++
		}
		if hasWarning(r.Message) {
			s.Warnings++
		}
		res := report.Result{Row: row.Line, Key: report.Cell(r.Key), Outcome: string(r.Outcome), Actions: report.Cell(r.Actions), Message: report.Cell(r.Message)}
		if r.ID != 0 {
			res.ID = strconv.FormatInt(r.ID, 10)
		}
		results.Write(res)
		if xres != nil {
			if err := xres.Write(res); err != nil {
				return err
			}
		}
		if !r.Outcome.Succeeded() && r.Outcome != pipeline.Pending {
			if err := errs.Write(row.Cells, len(header), r.Message); err != nil {
				return err
			}
			if xerr != nil {
				if err := xerr.Write(row.Cells, len(header), r.Message, r.Columns); err != nil {
					return err
				}
			}
		}
	}
	if err := firstErr(results.Close(), resBuf.Flush(), errs.Close(), errBuf.Flush()); err != nil {
		return &inputError{err}
	}
	if xres != nil {
		if err := xres.Close(); err != nil {
			return err
		}
		if err := xerr.Save(filepath.Join(dir, "errors.xlsx")); err != nil {
			return err
		}
	}
	return nil
}

func printImport(ios *IOStreams, s *report.Summary, dir string, throttled int64) {
	w := ios.ErrOut
	verb := ""
	if s.DryRun {
		verb = " (dry run: nothing sent)"
	}
	outcomes := make([]string, 0, len(s.ByOutcome))
	for o := range s.ByOutcome {
		outcomes = append(outcomes, o)
	}
	sort.Strings(outcomes)
	parts := make([]string, 0, len(outcomes))
	for _, o := range outcomes {
		parts = append(parts, fmt.Sprintf("%d %s", s.ByOutcome[o], o))
	}
	fmt.Fprintf(w, "%s %s: %d lines, %d rows in %s%s — %s\n", s.Command, s.Input.Path, s.Lines, s.Total, time.Duration(s.ElapsedSeconds*float64(time.Second)).Round(100*time.Millisecond), verb, strings.Join(parts, ", "))
	if note := s.LinesNote(); note != "" {
		fmt.Fprintf(w, "note: %s\n", note)
	}
	var n int64
	methods := make([]string, 0, len(s.Requests))
	for m, c := range s.Requests {
		n += c
		methods = append(methods, fmt.Sprintf("%s %d", m, c))
	}
	sort.Strings(methods)
	over := ""
	if len(s.Attempts) > 1 {
		over = fmt.Sprintf(" over %d attempts", len(s.Attempts))
	}
	fmt.Fprintf(w, "requests: %d (%s)%s, %d retried, %d answered 429\n", n, strings.Join(methods, ", "), over, s.Retries, throttled)
	for _, note := range s.Notes {
		fmt.Fprintf(w, "note: %s\n", note)
	}
	if s.Warnings > 0 {
		rows, sheet := "rows", "results.csv"
		if s.Warnings == 1 {
			rows = "row"
		}
		if s.DryRun {
			sheet = "plan.csv"
		}
		fmt.Fprintf(w, "%d %s with warnings: see %s\n", s.Warnings, rows, filepath.Join(dir, sheet))
	}
	fmt.Fprintf(w, "run folder: %s\n", dir)
}

// hasWarning reports whether a result's message carries a warning.
func hasWarning(msg string) bool {
	return strings.HasPrefix(msg, "warning") || strings.Contains(msg, "| warning")
}

// planCSV is plan.csv: what a dry run would do for each row.
type planCSV struct {
	f *os.File
	w *bufio.Writer
	r *report.ResultCSV
}

func newPlanCSV(path string) (*planCSV, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, &inputError{err}
	}
	w := bufio.NewWriter(f)
	return &planCSV{f: f, w: w, r: report.NewResultCSV(w)}, nil
}

func (p *planCSV) write(pl *pipeline.Plan) {
	r := report.Result{Row: pl.Line, Key: report.Cell(pl.Key), Outcome: string(pl.Outcome.Planned()), Actions: report.Cell(pl.Actions()), Message: report.Cell(pl.Message)}
	if pl.UserID != 0 {
		r.ID = strconv.FormatInt(pl.UserID, 10)
	}
	p.r.Write(r)
}

func (p *planCSV) close() error {
	err := firstErr(p.r.Close(), p.w.Flush())
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	return err
}
