package main

import (
	"cmp"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// The commands that write a file to start from: synthetic rows, and blank
// import templates.

func newGenerateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts synth.Options
	var output, format string
	cmd := &cobra.Command{Use: "generate users|enrollments|transcripts", Short: "Write realistic synthetic files for trials and load tests",
		ValidArgs: synth.Kinds, Args: oneOf}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.Kind = args[0]
		return writeFile(ios, g, fmt.Sprintf("%d %s rows", opts.Rows, opts.Kind), output, format, func(w io.Writer, format string) error {
			return report.WriteRows(w, format, report.SheetName(opts.Kind), func(rw report.RowWriter) error { return synth.Generate(rw, opts) })
		})
	}
	f := cmd.Flags()
	f.IntVar(&opts.Rows, "rows", 100, "how many rows")
	f.Float64Var(&opts.Bad, "bad", 0, "share of rows with a deliberate mistake (0 to 1)")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed: the same seed makes the same people")
	f.StringVarP(&output, "output", "o", "-", "file to write, or - for standard output")
	f.StringVar(&format, "format", "", "csv or xlsx (default: from -o's extension, else csv)")
	return cmd
}

func newTemplateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var output, format string
	cmd := &cobra.Command{Use: "template users|enrollments|transcripts", Short: "Write a blank import file that is hard to fill in wrongly",
		ValidArgs: []string{"users", "enrollments", "transcripts"}, Args: oneOf}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		t, err := report.TemplateFor(args[0])
		if err != nil {
			return usagef("%v", err)
		}
		output = cmp.Or(output, args[0]+"-template."+cmp.Or(format, "xlsx"))
		return writeFile(ios, g, "the "+args[0]+" template", output, format, t.Write)
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "", "file to write, or - for CSV on standard output (default <kind>-template.xlsx)")
	f.StringVar(&format, "format", "", "xlsx or csv (default: from -o's extension, else xlsx)")
	return cmd
}

// writeFile writes what the user asked for to -o, as CSV or XLSX after -o
// and --format, and says so.
func writeFile(ios *IOStreams, g *globalOptions, what, output, format string, write func(w io.Writer, format string) error) error {
	err := report.WriteFormat(what, output, format, []string{"csv", report.XLSX}, ios.Out, write)
	if err == nil && !g.Quiet && !report.IsStdout(output) {
		fmt.Fprintf(ios.ErrOut, "wrote %s to %s\n", what, output)
	}
	return err
}
