package main

import (
	"cmp"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/export"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// exporter is one export command: the flags all share, and its job.
type exporter struct {
	connect.Options
	export.Sheet        // --format, once settled, and --excel
	Output       string // -o
	cmd          *cobra.Command
	job          export.Job // the export's own options, for runF
}

// newExporter makes the command of job, which reads as r says, with the
// flags all share; an export of several formats has -o, --format and
// --excel as well.
func newExporter(ios *IOStreams, g *globalOptions, job export.Job, r *export.Reading, short string) *exporter {
	x := &exporter{job: job}
	x.cmd = &cobra.Command{Use: job.About().Name, Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return x.run(cmd, ios, g, r) }}
	f := x.cmd.Flags()
	if job.About().Formats[0] == "csv" { // a sheet: to a file or standard output
		f.StringVarP(&x.Output, "output", "o", "-", "file to write (.csv or .xlsx), or - for CSV on standard output")
		f.StringVar(&x.Format, "format", "", "csv or xlsx (default: from -o's extension, else csv)")
		f.BoolVar(&x.BOM, "excel", false, "start a CSV with a byte-order mark, so Excel reads it as UTF-8")
	}
	f.IntVar(&x.PerPage, "page-size", ilms.DefaultPerPage, "items per page request")
	x.AddPaceFlags(f)
	job.AddFlags(f)
	return x
}

// run checks the flags and options before it connects (a mistake sends
// nothing), runs the job on the output with progress, and says what went to
// a file. Named users who do not exist leave the file whole, the run partial.
func (x *exporter) run(cmd *cobra.Command, ios *IOStreams, g *globalOptions, r *export.Reading) (err error) {
	about := x.job.About()
	if x.PerPage < 1 {
		return usagef("--page-size %d: give at least 1 item a page", x.PerPage)
	} else if x.Format, err = report.OutputFormat("the "+about.Name+" export", x.Output, x.Format, about.Formats); err != nil {
		return err
	} else if err := cmp.Or(x.CheckPace(), x.job.Check()); err != nil {
		return err
	} else if g.runF != nil {
		return g.runF(x)
	}
	conn, err := g.connect(cmd.Context(), ios, x.Options)
	if err != nil {
		return err
	}
	defer conn.Close()
	prog := newProgress(ios, "export "+about.Name, about.Unit, g.Quiet)
	r.Workers, r.OnRow = x.Workers, func() { prog.add(1) }
	n, err := export.WriteOutput(cmd.Context(), conn.Client, x.job, x.Output, ios.Out, x.Sheet)
	if prog.Close(); err != nil && !isKind[partialKind](err, partialKind.Partial) {
		return err
	} else if err := conn.Close(); err != nil { // an in-process sandbox saves its state
		return err
	}
	if !g.Quiet && !report.IsStdout(x.Output) {
		fmt.Fprintf(ios.ErrOut, "%s; %s\n", export.Done(x.job, n, x.Output), report.PaceOf(conn.Client.Pacer(), conn.Rate))
	}
	return err // nil, or the users named who are not in iLMS
}

// newExportCmds are the exports' commands.
func newExportCmds(ios *IOStreams, g *globalOptions) []*cobra.Command {
	var users export.UsersOptions
	var enrollments export.EnrollmentsOptions
	var summary export.SummaryOptions
	transcripts := &export.TranscriptsOptions{OnUnknown: func(key string) {
		if !g.Quiet {
			fmt.Fprintf(ios.ErrOut, "ilms-bulk: warning: no user has the ID, email or employee ID %q\n", key)
		}
	}}
	return []*cobra.Command{newExporter(ios, g, &users, &users.Reading, "Export users, one column per profile field").cmd,
		newExporter(ios, g, &enrollments, &enrollments.Reading, "Export the enrollments of courses, curricula or ILT sessions").cmd,
		newExporter(ios, g, transcripts, &transcripts.Reading, "Export users' transcripts").cmd,
		newExporter(ios, g, &summary, &summary.Reading, "Export the enrollment summary report").cmd,
		newExportComplianceCmd(ios, g)}
}

func newExportComplianceCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var wb export.ComplianceWorkbook
	var asOf string
	x := newExporter(ios, g, &wb, &wb.Reading, "Write the compliance workbook: summary, departments, overdue, details")
	f := x.cmd.Flags()
	f.StringVarP(&x.Output, "output", "o", "", "file to write (default compliance-<as-of>.xlsx, or .html)")
	f.StringVar(&x.Format, "format", "", "xlsx (the workbook) or html (a one-page summary to print); default from -o's extension, else xlsx")
	f.StringVar(&asOf, "as-of", "", "the day the workbook is as of, yyyy-mm-dd (default today)")
	x.cmd.PreRunE = func(*cobra.Command, []string) (err error) {
		wb.AsOf, err = export.ParseAsOf(asOf)
		x.Output = cmp.Or(x.Output, wb.File(x.Format))
		return err
	}
	return x.cmd
}
