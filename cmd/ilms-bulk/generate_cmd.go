package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/report"
)

type generateOptions struct {
	Rows   int
	Bad    float64
	Seed   uint64
	Output string
	Format string
}

func newGenerateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &generateOptions{}
	cmd := &cobra.Command{
		Use:       "generate users|enrollments|transcripts",
		Short:     "Write realistic synthetic files for trials and load tests",
		ValidArgs: []string{"users", "enrollments", "transcripts"},
		Long: `Write a synthetic file: people with realistic names, emails, employee IDs,
countries with matching states and time zones, hire dates, in the sandbox
organization's departments; enrollments and transcripts of those same
people (same --seed) in the sandbox's courses. Employee IDs (G3-000042) and
emails (….42.g3@example.com) carry the seed, so files of two seeds, and the
sandbox's own staff, never share one. --bad mixes in rows with one
deliberate mistake each, to see what validation reports.`,
		Example: `  ilms-bulk generate users --rows 500 -o cohort.csv
  ilms-bulk generate users --rows 1000000 --bad 0.02 -o big.csv
  ilms-bulk generate transcripts --rows 2000 --format xlsx -o transcripts.xlsx`,
		Args: oneOf,
		RunE: func(cmd *cobra.Command, args []string) error {
			gen := map[string]func(synth.RowWriter, int, float64, uint64) error{
				"users": synth.GenerateUsers, "enrollments": synth.GenerateEnrollments, "transcripts": synth.GenerateTranscripts,
			}[args[0]]
			switch {
			case opts.Rows < 0:
				return usagef("--rows %d: give 0 or more", opts.Rows)
			case opts.Bad < 0 || opts.Bad > 1:
				return usagef("--bad %g: give a share from 0 to 1, such as 0.05", opts.Bad)
			}
			var err error
			if opts.Format, err = outputFormat("a generated file", opts.Output, opts.Format, []string{"csv", "xlsx"}); err != nil {
				return err
			}
			if opts.Format == "xlsx" {
				x, err := report.NewXLSXStream(opts.Output, strings.ToUpper(args[0][:1])+args[0][1:])
				if err != nil {
					return err
				}
				if err := gen(x, opts.Rows, opts.Bad, opts.Seed); err != nil {
					return err
				}
				return x.Close()
			}
			_, err = writeOutput(opts.Output, ios.Out, func(w io.Writer) (int, error) {
				cw := csv.NewWriter(w)
				if err := gen(cw, opts.Rows, opts.Bad, opts.Seed); err != nil {
					return 0, err
				}
				cw.Flush()
				return opts.Rows, cw.Error()
			})
			if err == nil && !g.Quiet && opts.Output != "" && opts.Output != "-" {
				fmt.Fprintf(ios.ErrOut, "wrote %d %s rows to %s\n", opts.Rows, args[0], opts.Output)
			}
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Rows, "rows", 100, "how many rows")
	f.Float64Var(&opts.Bad, "bad", 0, "share of rows with a deliberate mistake (0 to 1)")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed: the same seed makes the same people")
	f.StringVarP(&opts.Output, "output", "o", "-", "file to write, or - for standard output")
	f.StringVar(&opts.Format, "format", "", "csv or xlsx (default: from -o's extension, else csv)")
	return cmd
}
