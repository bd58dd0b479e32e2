package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

type validateOptions struct {
	inputOptions
	job pipeline.Job
}

func newValidateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{Use: "validate FILE", Short: "Check a spreadsheet against every documented rule, offline", Args: fileArg(false),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd.Context(), ios, g, opts, args[0])
		}}
	opts.addFlags(cmd.Flags(), true)
	cmd.Flags().StringVar(&opts.job.Out, "out", "", "folder for results.csv, errors.csv and summary.json (default ./ilms-bulk-runs/<time>-validate)")
	cmd.Flags().Var(&opts.job.Mode, "mode", "users files: create-only checks every row as a new user; update-only as changes to existing users; upsert as new users when the file has every required column")
	return cmd
}

func runValidate(ctx context.Context, ios *IOStreams, g *globalOptions, opts *validateOptions, path string) error {
	job := &opts.job
	job.Command, job.Path = "validate", path
	var err error
	if job.Input, job.Check, err = opts.options(nil); err != nil {
		return err
	}
	g.started = true
	if g.runF != nil {
		return g.runF(job)
	}
	rep, err := job.Run(ctx)
	if err != nil {
		return err
	}
	if !g.Quiet {
		rep.Summary.WriteValidation(ios.ErrOut, rep.Dir, rep.ErrorRows)
		for h, n := range rep.Tally.Hints {
			fmt.Fprintf(ios.ErrOut, "hint (%d rows): %s\n", n, renderHint(h))
		}
	}
	if v := rep.Summary.Verdict(rep.Dir); v != "" {
		return &partialError{v}
	}
	return nil
}
