package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/export"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// exporter is one export command: the flags all share, streams, progress.
type exporter struct {
	pace
	Output, Format string
	Excel          bool
	what, unit     string   // the command, and what its rows are
	formats        []string // of the output, the default first
	ios            *IOStreams
	g              *globalOptions
	prog           *progress
	final          func(n int) string // the last line, of the rows written to a file
	cmd            *cobra.Command
	job            export.Job // the export's own options, for runF
}

// newExporter makes the export what: how it reads, and with output, -o.
func newExporter(ios *IOStreams, g *globalOptions, what, unit string, output bool, short string) (*exporter, *pflag.FlagSet) {
	cmd := &cobra.Command{Use: what, Short: short, Args: cobra.NoArgs}
	x, f := &exporter{what: what, unit: unit, formats: []string{"xlsx"}, ios: ios, g: g, cmd: cmd}, cmd.Flags()
	x.final = func(n int) string { return fmt.Sprintf("exported %d %s to %s", n, x.unit, x.Output) }
	if output {
		x.formats = []string{"csv", "xlsx"}
		f.StringVarP(&x.Output, "output", "o", "-", "file to write (.csv or .xlsx), or - for CSV on standard output")
		f.StringVar(&x.Format, "format", "", "csv or xlsx (default: from -o's extension, else csv)")
		f.BoolVar(&x.Excel, "excel", false, "start a CSV with a byte-order mark, so Excel reads it as UTF-8")
	}
	f.IntVar(&x.PerPage, "page-size", ilms.DefaultPerPage, "items per page request")
	x.addPaceFlags(f)
	return x, f
}

// command is the export command running job, which reads as r says.
func (x *exporter) command(job export.Job, r *export.Reading) *cobra.Command {
	x.cmd.RunE = func(cmd *cobra.Command, args []string) error { return x.run(cmd, r, job) }
	x.job = job
	return x.cmd
}

func addUserFilters(f *pflag.FlagSet, u *export.UserFilter) {
	f.StringSliceVar(&u.Statuses, "status", nil, "user statuses: active, inactive, deleted (default active)")
	f.StringSliceVar(&u.Groups, "group", nil, "only members of these groups (IDs or exact names)")
	f.StringArrayVar(&u.Where, "where", nil, `a search on a profile field, in the API's syntax: F001=Jo* (starts with), "F003=*son" (ends with), F015=acme (contains), 'F004="00123"' (exact), F005=(From:2024-01-01T00:00:00To:2024-12-31T23:59:59); the field by code or name; repeatable`)
}

func addCourseFilters(f *pflag.FlagSet, c *export.CourseFilter, sessions bool) {
	f.StringSliceVar(&c.Courses, "course", nil, "course IDs or exact names")
	f.StringSliceVar(&c.Curricula, "curriculum", nil, "curriculum IDs or exact names")
	if sessions {
		f.StringSliceVar(&c.Sessions, "session", nil, "ILT sessions as courseID/sessionID")
	}
	f.BoolVar(&c.IncludeInactive, "include-inactive", false, "include inactive users' enrollments")
}

// run checks the flags and options before it connects (a mistake sends
// nothing), runs the job on the output with progress, and says what went to
// a file. Named users who do not exist leave the file whole, the run partial.
func (x *exporter) run(cmd *cobra.Command, r *export.Reading, job export.Job) (err error) {
	if x.PerPage < 1 {
		return usagef("--page-size %d: give at least 1 item a page", x.PerPage)
	} else if x.Format, err = report.OutputFormat("the "+x.what+" export", x.Output, x.Format, x.formats); err != nil {
		return err
	} else if err := cmp.Or(x.pace.check(), job.Check()); err != nil {
		return err
	}
	if x.g.runF != nil {
		return x.g.runF(x)
	}
	ctx := cmd.Context()
	r.Workers, r.OnRow = x.Workers, func() { x.prog.add(1) }
	conn, err := x.g.connect(ctx, x.ios, x.Options)
	if err != nil {
		return err
	}
	defer conn.Close()
	var unknown *export.UnknownUsersError
	x.prog = newProgress(x.ios, "export "+x.what, x.unit, x.g.Quiet)
	n, err := report.WriteOutput(x.Output, x.ios.Out, func(w io.Writer) (int, error) {
		n, err := job.Write(ctx, conn.Client, w, export.Sheet{Format: x.Format, BOM: x.Excel})
		if errors.As(err, &unknown) {
			err = nil // the others are written all the same
		}
		return n, err
	})
	if x.prog.Close(); err == nil {
		err = conn.Close() // an in-process sandbox saves its state
	}
	switch {
	case err != nil:
		return err
	case !x.g.Quiet && !report.IsStdout(x.Output):
		fmt.Fprintf(x.ios.ErrOut, "%s; %s\n", x.final(n), report.PaceOf(conn.Client.Pacer(), conn.Rate))
	}
	if unknown != nil {
		return &partialError{unknown.Error()}
	}
	return nil
}

func newExportUsersCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts export.UsersOptions
	x, f := newExporter(ios, g, "users", "users", true, "Export users, one column per profile field")
	addUserFilters(f, &opts.UserFilter)
	f.StringSliceVar(&opts.Fields, "fields", nil, "columns, by code or name, in order: ID, UserStatus, F001 … F034 (default all)")
	f.StringVar(&opts.Headers, "headers", export.HeaderCodes, "header row: codes (F001, F003, …) or names (First Name, Last Name, …)")
	return x.command(&opts, &opts.Reading)
}

func newExportEnrollmentsCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts export.EnrollmentsOptions
	x, f := newExporter(ios, g, "enrollments", "enrollments", true, "Export the enrollments of courses, curricula or ILT sessions")
	addCourseFilters(f, &opts.CourseFilter, true)
	f.BoolVar(&opts.All, "all", false, "every course and curriculum")
	return x.command(&opts, &opts.Reading)
}

func newExportTranscriptsCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts export.TranscriptsOptions
	x, f := newExporter(ios, g, "transcripts", "transcript lines", true, "Export users' transcripts")
	addUserFilters(f, &opts.UserFilter)
	f.StringSliceVar(&opts.Users, "user", nil, "users by iLMS ID, email or employee ID")
	opts.OnUnknown = func(key string) {
		if !g.Quiet {
			fmt.Fprintf(ios.ErrOut, "ilms-bulk: warning: no user has the ID, email or employee ID %q\n", key)
		}
	}
	return x.command(&opts, &opts.Reading)
}

func newExportSummaryCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts export.SummaryOptions
	x, f := newExporter(ios, g, "summary", "summary rows", true, "Export the enrollment summary report")
	addCourseFilters(f, &opts.CourseFilter, true)
	return x.command(&opts, &opts.Reading)
}

func newExportComplianceCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var wb export.ComplianceWorkbook
	var asOf string
	x, f := newExporter(ios, g, "compliance", "enrollments", false, "Write the compliance workbook: summary, departments, overdue, details")
	f.StringVarP(&x.Output, "output", "o", "", "workbook to write (default compliance-<as-of>.xlsx)")
	f.StringVar(&x.Format, "format", "", "xlsx, the only format of the workbook")
	f.StringVar(&asOf, "as-of", "", "the day the workbook is as of, yyyy-mm-dd (default today)")
	addCourseFilters(f, &wb.CourseFilter, false)
	run := x.command(&wb, &wb.Reading).RunE
	x.cmd.RunE = func(cmd *cobra.Command, args []string) (err error) {
		if wb.AsOf, err = export.ParseAsOf(asOf); err != nil {
			return err
		}
		x.Output = cmp.Or(x.Output, wb.File())
		return run(cmd, args)
	}
	x.final = func(n int) string {
		return fmt.Sprintf("wrote the compliance workbook of %d courses and curricula, %d enrollments, as of %s, to %s", wb.Courses(), n, wb.AsOf.Format("2006-01-02"), x.Output)
	}
	return x.cmd
}
