package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

func newValidateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var in pipeline.Reading
	var job pipeline.Job
	cmd := &cobra.Command{Use: "validate FILE", Short: "Check a spreadsheet against every documented rule, offline", Args: fileArg(false)}
	cmd.RunE = func(cmd *cobra.Command, args []string) (err error) {
		job.Command, job.Path = "validate", args[0]
		if job.Input, job.Check, err = in.Options(nil); err != nil {
			return err
		} else if job.Words = flagOf; g.runF != nil {
			return g.runF(&job)
		}
		rep, err := job.Run(cmd.Context())
		if err != nil {
			return err
		}
		if !g.Quiet {
			rep.Summary.WriteValidation(ios.ErrOut, rep.Dir, rep.ErrorRows)
			for h, n := range rep.Tally.Hints {
				fmt.Fprintf(ios.ErrOut, "hint (%d rows): %s\n", n, renderHint(h))
			}
		}
		return rep.Verdict()
	}
	in.AddFlags(cmd.Flags(), true)
	cmd.Flags().StringVar(&job.Out, "out", "", "folder for results.csv, errors.csv and summary.json (default ./ilms-bulk-runs/<time>-validate)")
	cmd.Flags().Var(&job.Mode, "mode", "users files: create-only checks every row as a new user; update-only as changes to existing users; upsert as new users when the file has every required column")
	return cmd
}
