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
		Long: `Write a blank import file: the columns with the document's names. The
XLSX template's first sheet, the one import reads, also has drop-down lists
fed from the document's tables (country, US state and Canadian province,
time zone, language, status, requirement type), a note on each column with
its rules (required, maximum length, characters not allowed), and a frozen
header; its Example sheet shows a filled-in row. Fill in the first sheet
and run validate: the example is never imported. The CSV template is the
header alone.`,
		Example: `  ilms-bulk template users -o new-hires.xlsx
  ilms-bulk template transcripts --format csv -o -`,
		Args: oneOf,
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := report.TemplateFor(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			if output == "" {
				output = args[0] + "-template." + cmp.Or(format, "xlsx")
			}
			if format, err = outputFormat("the template", output, format, []string{"csv", "xlsx"}); err != nil {
				return err
			}
			if _, err := writeOutput(output, ios.Out, func(w io.Writer) (int, error) {
				if format == "xlsx" {
					return 1, t.WriteXLSX(w)
				}
				return 1, t.WriteCSV(w)
			}); err != nil {
				return err
			}
			if !g.Quiet && output != "-" {
				fmt.Fprintf(ios.ErrOut, "wrote the %s template to %s\n", args[0], output)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&output, "output", "o", "", "file to write, or - for CSV on standard output (default <kind>-template.xlsx)")
	f.StringVar(&format, "format", "", "xlsx or csv (default: from -o's extension, else xlsx)")
	return cmd
}
