package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/report"
)

func newGenerateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts synth.Options
	var output, format string
	cmd := &cobra.Command{
		Use:       "generate users|enrollments|transcripts",
		Short:     "Write realistic synthetic files for trials and load tests",
		ValidArgs: synth.Kinds,
		Args:      oneOf,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Kind = args[0]
			sheet := strings.ToUpper(opts.Kind[:1]) + opts.Kind[1:]
			return writeFile(ios, g, fmt.Sprintf("%d %s rows", opts.Rows, opts.Kind), output, format, func(w io.Writer, format string) error {
				return report.WriteRows(w, format, sheet, func(rw report.RowWriter) error { return synth.Generate(rw, opts) })
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Rows, "rows", 100, "how many rows")
	f.Float64Var(&opts.Bad, "bad", 0, "share of rows with a deliberate mistake (0 to 1)")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed: the same seed makes the same people")
	f.StringVarP(&output, "output", "o", "-", "file to write, or - for standard output")
	f.StringVar(&format, "format", "", "csv or xlsx (default: from -o's extension, else csv)")
	return cmd
}
