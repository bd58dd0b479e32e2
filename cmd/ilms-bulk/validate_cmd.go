package main

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/report"
)

type validateOptions struct {
	inputOptions
	Out  string
	Mode string
}

func newValidateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a spreadsheet against every documented rule, offline",
		Long: `Check every row of a CSV or XLSX file against the iLMS API's rules —
required fields, lengths, restricted characters, the country, state, time
zone and language tables, transcript and enrollment rules, duplicates in the
file — without sending anything.

It writes results.csv (one row per input row), errors.csv (the failed rows
with their own columns and an error column, ready to fix and validate or
import again; a password column is blanked) and summary.json into --out.
Exit status: 0 every row is valid, 1 some are not, 2 the file cannot be read.`,
		Example: `  ilms-bulk validate cohort.xlsx
  ilms-bulk validate people.csv --kind users --settings org-settings.json --out checks/`,
		Args: fileArg(false),
		RunE: func(cmd *cobra.Command, args []string) error {
			mode, err := pipeline.ParseMode(opts.Mode)
			if err != nil {
				return err
			}
			return runValidate(cmd.Context(), ios, g, opts, mode, args[0])
		},
	}
	opts.addFlags(cmd.Flags(), true)
	cmd.Flags().StringVar(&opts.Out, "out", "", "folder for results.csv, errors.csv and summary.json (default ./ilms-bulk-runs/<time>-validate)")
	cmd.Flags().StringVar(&opts.Mode, "mode", "upsert", "users files: create-only checks every row as a new user; update-only as changes to existing users; upsert as new users when the file has every required column")
	return cmd
}

func runValidate(ctx context.Context, ios *IOStreams, g *globalOptions, opts *validateOptions, mode pipeline.Mode, path string) error {
	start := time.Now()
	in, err := opts.open(path, nil)
	if err != nil {
		return err
	}
	defer in.src.Close()
	g.started = true
	create := mode == pipeline.CreateOnly
	var notes []string
	if in.kind == mapping.Users && mode == pipeline.Upsert {
		missing := []string{}
		for _, code := range []string{"F001", "F003", "F019", "F020", "F021"} {
			if !in.mapper.Has(code) {
				missing = append(missing, in.mapper.Column(code))
			}
		}
		create = len(missing) == 0
		if !create {
			notes = append(notes, fmt.Sprintf("the file has no %s column, so its rows are checked as changes to existing users", strings.Join(missing, ", ")))
		}
	}
	notes = append(notes, in.mapper.Notes...)
	checker := pipeline.NewChecker(in.mapper, pipeline.CheckOptions{Settings: in.settings, DateLayout: opts.DateFormat, Create: create, RenderHint: renderHint})

	dir, err := runDir(opts.Out, "validate")
	if err != nil {
		return err
	}
	shaDone := make(chan string, 1)
	go func() { sum, _ := pipeline.FileSHA256(path); shaDone <- sum }()

	resFile, err := createFile(dir, "results.csv")
	if err != nil {
		return err
	}
	defer resFile.Close()
	resBuf := bufio.NewWriterSize(resFile, 256<<10)
	results := report.NewResultCSV(resBuf)
	errFile, err := createFile(dir, "errors.csv")
	if err != nil {
		return err
	}
	defer errFile.Close()
	errBuf := bufio.NewWriterSize(errFile, 64<<10)
	width := len(in.src.Header())
	errs, err := report.NewErrorCSV(errBuf, in.src.Header(), in.mapper.ColumnOf("F016"))
	if err != nil {
		return err
	}
	tally, runErr := pipeline.Validate(ctx, in.src, checker, func(ch *pipeline.Checked) error {
		res := report.Result{Row: ch.Row.Line, Key: report.Cell(checker.Key(ch)), Outcome: "valid"}
		if !ch.Valid() {
			res.Outcome = "invalid"
			msg := checker.Describe(ch)
			res.Message = report.Cell(msg)
			if err := errs.Write(ch.Row.Cells, width, msg); err != nil {
				return err
			}
		} else if len(ch.Problems) > 0 {
			res.Message = report.Cell(checker.Describe(ch))
		}
		results.Write(res)
		return nil
	})
	closeErr := firstErr(results.Close(), resBuf.Flush(), errs.Close(), errBuf.Flush())
	if runErr != nil {
		return &inputError{fmt.Errorf("%s: %w", path, runErr)}
	}
	if closeErr != nil {
		return &inputError{closeErr}
	}
	sum := &report.Summary{
		Command: "validate", Kind: in.kind.String(), Total: tally.Rows, Succeeded: tally.Valid, Failed: tally.Invalid, Warnings: tally.Warnings,
		ByOutcome: map[string]int{"valid": tally.Valid, "invalid": tally.Invalid}, TopProblems: report.Top(tally.Problems, 10),
		Notes: notes, ElapsedSeconds: time.Since(start).Seconds(),
	}
	audit(sum, &opts.inputOptions, path, in.src)
	sum.Input.SHA256 = <-shaDone
	if err := sum.WriteJSON(filepath.Join(dir, "summary.json")); err != nil {
		return &inputError{err}
	}
	if !g.Quiet {
		printValidation(ios, path, sum, dir, errs.Rows)
		for h, n := range tally.Hints {
			fmt.Fprintf(ios.ErrOut, "hint (%d rows): %s\n", n, renderHint(h))
		}
	}
	if tally.Invalid > 0 {
		return &partialError{fmt.Sprintf("%d of %d rows are invalid; fix them in %s and validate again", tally.Invalid, tally.Rows, filepath.Join(dir, "errors.csv"))}
	}
	return nil
}

func printValidation(ios *IOStreams, path string, s *report.Summary, dir string, errorRows int) {
	w := ios.ErrOut
	fmt.Fprintf(w, "%s: %d lines, %d %s rows: %d valid, %d invalid, %d with warnings\n", path, s.Lines, s.Total, s.Kind, s.Succeeded, s.Failed, s.Warnings)
	if note := s.LinesNote(); note != "" {
		fmt.Fprintf(w, "  note: %s\n", note)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if len(s.TopProblems) > 0 {
		fmt.Fprintln(w, "most frequent problems:")
		for _, c := range s.TopProblems[:min(5, len(s.TopProblems))] {
			fmt.Fprintf(w, "  %6d × %s\n", c.N, c.Label)
		}
	}
	fmt.Fprintf(w, "results: %s\n", filepath.Join(dir, "results.csv"))
	if errorRows > 0 {
		fmt.Fprintf(w, "errors:  %s (%d rows to fix)\n", filepath.Join(dir, "errors.csv"), errorRows)
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
