package main

import (
	"cmp"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/report"
)

func newTemplateCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var output, format string
	cmd := &cobra.Command{
		Use:       "template users|enrollments|transcripts",
		Short:     "Write a blank import file that is hard to fill in wrongly",
		ValidArgs: []string{"users", "enrollments", "transcripts"},
		Args:      oneOf,
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := report.TemplateFor(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			if output == "" {
				output = args[0] + "-template." + cmp.Or(format, "xlsx")
			}
			return writeFile(ios, g, "the "+args[0]+" template", output, format, t.Write)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "", "file to write, or - for CSV on standard output (default <kind>-template.xlsx)")
	f.StringVar(&format, "format", "", "xlsx or csv (default: from -o's extension, else xlsx)")
	return cmd
}

// writeFile writes what the user asked for to -o, as CSV or XLSX after -o
// and --format, and says so.
func writeFile(ios *IOStreams, g *globalOptions, what, output, format string, write func(w io.Writer, format string) error) error {
	format, err := report.OutputFormat(what, output, format, []string{"csv", "xlsx"})
	if err != nil {
		return err
	}
	if _, err := report.WriteOutput(output, ios.Out, func(w io.Writer) (int, error) { return 0, write(w, format) }); err != nil {
		return err
	}
	if !g.Quiet && !report.IsStdout(output) {
		fmt.Fprintf(ios.ErrOut, "wrote %s to %s\n", what, output)
	}
	return nil
}
