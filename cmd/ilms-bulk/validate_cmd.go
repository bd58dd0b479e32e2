package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

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
	in, err := opts.openInput(path, nil)
	if err != nil {
		return err
	}
	defer in.Close()
	g.started = true
	create, note := pipeline.CheckAsNew(in.Mapper, mode)
	dir, err := pipeline.RunDir(opts.Out, "validate")
	if err != nil {
		return err
	}
	folder, err := pipeline.NewFolder(dir, in, pipeline.FolderOptions{})
	if err != nil {
		return err
	}
	t, runErr := pipeline.Run(ctx, in, pipeline.RunOptions{
		Check: pipeline.CheckOptions{Settings: opts.settings, DateLayout: opts.DateFormat, Create: create, RenderHint: renderHint},
		Sink:  folder,
	})
	closeErr := folder.Close()
	if runErr != nil {
		return runErr
	}
	if closeErr != nil {
		return &inputError{closeErr}
	}
	s := &report.Summary{Command: "validate", Kind: in.Mapper.Kind().String(), ElapsedSeconds: time.Since(start).Seconds()}
	if note != "" {
		s.Notes = append(s.Notes, note)
	}
	s.Notes = append(s.Notes, in.Mapper.Notes...)
	t.Fill(s)
	audit(s, &opts.inputOptions, path, in.Source)
	if err := s.WriteJSON(filepath.Join(dir, "summary.json")); err != nil {
		return &inputError{err}
	}
	if !g.Quiet {
		printValidation(ios, path, s, dir, folder.ErrorRows())
		for h, n := range t.Hints {
			fmt.Fprintf(ios.ErrOut, "hint (%d rows): %s\n", n, renderHint(h))
		}
	}
	if t.Invalid > 0 {
		return &partialError{fmt.Sprintf("%d of %d rows are invalid; fix them in %s and validate again", t.Invalid, t.Rows, filepath.Join(dir, report.ErrorsCSV))}
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
	fmt.Fprintf(w, "results: %s\n", filepath.Join(dir, report.ResultsCSV))
	if errorRows > 0 {
		fmt.Fprintf(w, "errors:  %s (%d rows to fix)\n", filepath.Join(dir, report.ErrorsCSV), errorRows)
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
