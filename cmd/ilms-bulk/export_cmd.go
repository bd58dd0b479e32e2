package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/sync/singleflight"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/internal/ordered"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// exportOptions are the flags of the export commands; each command uses
// its share.
type exportOptions struct {
	pace
	Output   string
	Format   string
	PageSize int
	Excel    bool

	// Users, and the users whose transcripts are exported.
	Status  []string
	Groups  []string
	Where   []string
	Fields  []string
	Headers string
	Users   []string

	// Courses.
	Courses         []string
	Curricula       []string
	Sessions        []string
	All             bool
	IncludeInactive bool
	AsOf            string

	// Settled by check.
	search *ilms.UserQuery // --status and --where
	asOf   time.Time
}

func newExportCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export users, enrollments, transcripts and reports to CSV or XLSX",
		Long: `Export reads every page of a list with several requests in flight once the
first page says how many there are, under the same rate limit and retry
policy as import, and writes the rows in order as they arrive: memory does
not grow with the number of rows. The format follows -o's extension
(.xlsx or .csv) unless --format says; - writes CSV to standard output.
A file is written under a temporary name and renamed when complete.`,
	}
	cmd.AddCommand(newExportUsersCmd(ios, g), newExportEnrollmentsCmd(ios, g), newExportTranscriptsCmd(ios, g),
		newExportSummaryCmd(ios, g), newExportComplianceCmd(ios, g))
	return cmd
}

// addOutputFlags adds the flags of the exports to CSV or XLSX.
func (o *exportOptions) addOutputFlags(f *pflag.FlagSet) {
	f.StringVarP(&o.Output, "output", "o", "-", "file to write (.csv or .xlsx), or - for CSV on standard output")
	f.StringVar(&o.Format, "format", "", "csv or xlsx (default: from -o's extension, else csv)")
	f.BoolVar(&o.Excel, "excel", false, "start a CSV with a byte-order mark, so Excel reads it as UTF-8")
	o.addReadFlags(f)
}

// addReadFlags adds the flags of how an export reads: page size, workers
// and rate.
func (o *exportOptions) addReadFlags(f *pflag.FlagSet) {
	f.IntVar(&o.PageSize, "page-size", ilms.DefaultPerPage, "items per page request")
	o.addPaceFlags(f)
}

// addUserFilters adds the flags that choose users.
func (o *exportOptions) addUserFilters(f *pflag.FlagSet) {
	f.StringSliceVar(&o.Status, "status", nil, "user statuses: active, inactive, deleted (default active)")
	f.StringSliceVar(&o.Groups, "group", nil, "only members of these groups (IDs or exact names)")
	f.StringArrayVar(&o.Where, "where", nil, `a search on a profile field, in the API's syntax: F001=Jo* (starts with), "F003=*son" (ends with), F015=acme (contains), 'F004="00123"' (exact), F005=(From:2024-01-01T00:00:00To:2024-12-31T23:59:59); the field by code or name; repeatable`)
}

// addCourseFilters adds the flags that choose courses, curricula and
// sessions.
func (o *exportOptions) addCourseFilters(f *pflag.FlagSet, sessions bool) {
	f.StringSliceVar(&o.Courses, "course", nil, "course IDs or exact names")
	f.StringSliceVar(&o.Curricula, "curriculum", nil, "curriculum IDs or exact names")
	if sessions {
		f.StringSliceVar(&o.Sessions, "session", nil, "ILT sessions as courseID/sessionID")
	}
	f.BoolVar(&o.IncludeInactive, "include-inactive", false, "include inactive users' enrollments")
}

// check checks every flag of the export what, and settles the format and
// the filters, before the connection opens: a mistake on the command line
// sends nothing. Names of groups, courses and sessions are looked up once
// connected.
func (o *exportOptions) check(what string) error {
	if err := o.pace.check(); err != nil {
		return err
	}
	if o.PageSize < 1 {
		return usagef("--page-size %d: give at least 1 item a page", o.PageSize)
	}
	o.asOf = time.Now()
	if o.AsOf != "" {
		var err error
		if o.asOf, err = time.Parse("2006-01-02", o.AsOf); err != nil {
			return usagef("--as-of %q: give a date of the form yyyy-mm-dd, such as 2026-09-30", o.AsOf)
		}
	}
	if err := o.checkOutput(what); err != nil {
		return err
	}
	if o.Headers != "" && o.Headers != "codes" && o.Headers != "names" {
		return usagef("--headers %q: give codes or names", o.Headers)
	}
	if err := o.checkUserSearch(); err != nil {
		return err
	}
	for _, ref := range o.Sessions {
		if course, session, ok := strings.Cut(ref, "/"); !ok || course == "" || session == "" {
			return usagef("--session %q: write courseID/sessionID, such as pyOgaoli/4901", ref)
		}
	}
	switch what {
	case "enrollments":
		named := len(o.Courses)+len(o.Curricula)+len(o.Sessions) > 0
		if o.All == named {
			return usagef("name what to export: --course, --curriculum or --session, or else --all")
		}
	case "transcripts":
		if len(o.Users) > 0 && len(o.Status)+len(o.Groups)+len(o.Where) > 0 {
			return usagef("give --user, or the filters --status, --group and --where, not both")
		}
	}
	return nil
}

// checkOutput settles the format of -o and --format.
func (o *exportOptions) checkOutput(what string) error {
	formats := []string{"csv", "xlsx"}
	if what == "compliance" {
		formats = []string{"xlsx"}
		if o.Output == "" {
			o.Output = "compliance-" + o.asOf.Format("2006-01-02") + ".xlsx"
		}
	}
	var err error
	o.Format, err = outputFormat("the "+what+" export", o.Output, o.Format, formats)
	return err
}

// checkUserSearch checks --status and --where and builds their search;
// --group is added once connected, since group names are looked up.
func (o *exportOptions) checkUserSearch() error {
	for _, st := range o.Status {
		if _, err := ilms.NewUserQuery().WithStatus(st).Values(); err != nil {
			return usagef("--status %q: give active, inactive or deleted, or several separated by commas", st)
		}
	}
	q := ilms.NewUserQuery().WithStatus(o.Status...)
	for _, w := range o.Where {
		field, value, ok := strings.Cut(w, "=")
		field, value = strings.TrimSpace(field), strings.TrimSpace(value)
		if !ok || field == "" {
			return usagef("--where %q: write FIELD=VALUE, such as F001=Jo*", w)
		}
		code, err := mapping.SearchTerm(field, value)
		if err != nil {
			return err
		}
		q.Where(code, value)
	}
	if _, err := q.Values(); err != nil {
		return usagef("%s", strings.TrimPrefix(err.Error(), "ilms: "))
	}
	o.search = q
	return nil
}

func stdout(path string) bool { return path == "" || path == "-" }

// exporter is one export run: its connection, its output and its
// progress.
type exporter struct {
	ios  *IOStreams
	g    *globalOptions
	opts *exportOptions
	conn *connect.Conn
	prog *progress // while the output is written
	what string
}

// runExport checks the flags, connects, and runs the export what.
func runExport(cmd *cobra.Command, ios *IOStreams, g *globalOptions, opts *exportOptions, what string, export func(context.Context, *exporter) error) error {
	if err := opts.check(what); err != nil {
		return err
	}
	ctx := cmd.Context()
	conn, err := g.connect(ctx, ios, connect.Options{Rate: opts.Rate.Rate, Adaptive: true, Workers: opts.Workers, PerPage: opts.PageSize})
	if err != nil {
		return err
	}
	defer conn.Close()
	return export(ctx, &exporter{ios: ios, g: g, opts: opts, conn: conn, what: what})
}

// noun names the rows of the export.
func (x *exporter) noun() string {
	switch x.what {
	case "transcripts":
		return "transcript lines"
	case "summary":
		return "summary rows"
	case "compliance":
		return "enrollments"
	}
	return x.what
}

// client is the connection's client.
func (x *exporter) client() *ilms.Client { return x.conn.Client }

// sheet streams rows into the output: a CSV, or one sheet of a workbook.
func (x *exporter) sheet(sheet string, write func(report.Sink) error) error {
	return x.exported(x.output(func(w io.Writer) (int, error) {
		var s report.Sink = report.NewCSVSink(w, x.opts.Excel)
		if x.opts.Format == "xlsx" {
			var err error
			if s, err = report.NewXLSXSink(w, sheet); err != nil {
				return 0, err
			}
		}
		c := &countingSink{Sink: s, prog: x.prog}
		err := closing(s, write(c))
		return c.n, err
	}))
}

// records streams typed records (like zero) into the output: through
// gocsv for CSV, as typed cells for XLSX.
func (x *exporter) records(sheet string, zero any, write func(report.Records) error) error {
	return x.exported(x.output(func(w io.Writer) (int, error) {
		var r report.Records = report.NewRecordCSV(w, x.opts.Excel, zero)
		if x.opts.Format == "xlsx" {
			s, err := report.NewXLSXSink(w, sheet)
			if err != nil {
				return 0, err
			}
			if r, err = report.NewSinkRecords(s, zero); err != nil {
				return 0, err
			}
		}
		c := &countingRecords{Records: r, prog: x.prog}
		err := closing(r, write(c))
		return c.n, err
	}))
}

// closing closes c after a write, keeping the write's error first.
func closing(c io.Closer, err error) error {
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return err
}

// output runs write on the output file with the progress display, then
// ends the connection (an in-process sandbox saves its state), and returns
// how many rows were written.
func (x *exporter) output(write func(io.Writer) (int, error)) (int, error) {
	x.prog = newCounter(x.ios, "export "+x.what, x.noun(), x.g.Quiet)
	n, err := writeOutput(x.opts.Output, x.ios.Out, write)
	x.prog.Close()
	if err != nil {
		return n, err
	}
	return n, x.conn.Close()
}

// exported says how many rows went to the file.
func (x *exporter) exported(n int, err error) error {
	if err == nil && !x.g.Quiet && !stdout(x.opts.Output) {
		fmt.Fprintf(x.ios.ErrOut, "exported %d %s to %s\n", n, x.noun(), x.opts.Output)
	}
	return err
}

// countingSink counts the rows going through.
type countingSink struct {
	report.Sink
	prog *progress
	n    int
}

func (c *countingSink) Row(values []any) error {
	c.n++
	c.prog.Advance(1)
	return c.Sink.Row(values)
}

// countingRecords counts the records going through.
type countingRecords struct {
	report.Records
	prog *progress
	n    int
}

func (c *countingRecords) Write(rec any) error {
	c.n++
	c.prog.Advance(1)
	return c.Records.Write(rec)
}

func newExportUsersCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Export users, one column per profile field",
		Long: `Export users: the ID, the status and every profile field (the password
never: the API does not return it), headed by the field codes, or with
--headers names by the document's names. The file imports again as it is:
its ID column names each user.`,
		Example: `  ilms-bulk export users --sandbox -o users.xlsx
  ilms-bulk export users --status active,inactive --where F021=Sales --fields F004,F001,F003,F015 -o -
  ilms-bulk export users --where 'F005=(From:2026-01-01T00:00:00)' --headers names -o new-hires.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cols, err := userFieldColumns(opts.Fields)
			if err != nil {
				return err
			}
			return runExport(cmd, ios, g, opts, "users", func(ctx context.Context, x *exporter) error {
				q, err := x.userQuery(ctx)
				if err != nil {
					return err
				}
				return x.sheet("Users", func(s report.Sink) error {
					if err := s.Header(report.UserHeader(cols, opts.Headers == "names")); err != nil {
						return err
					}
					var vals []any
					for u, err := range x.client().Users.List(q).Fetch(ctx, opts.Workers) {
						if err != nil {
							return fmt.Errorf("reading users: %w", err)
						}
						vals = report.UserValues(vals, &u, cols)
						if err := s.Row(vals); err != nil {
							return err
						}
					}
					return nil
				})
			})
		},
	}
	f := cmd.Flags()
	opts.addOutputFlags(f)
	opts.addUserFilters(f)
	f.StringSliceVar(&opts.Fields, "fields", nil, "columns, by code or name, in order: ID, UserStatus, F001 … F034 (default all)")
	f.StringVar(&opts.Headers, "headers", "codes", "header row: codes (F001, F003, …) or names (First Name, Last Name, …)")
	return cmd
}

// userFieldColumns reads --fields: codes or names of profile fields, ID
// and status.
func userFieldColumns(fields []string) ([]string, error) {
	if len(fields) == 0 {
		return report.UserColumns(), nil
	}
	var cols []string
	for _, name := range fields {
		i := mapping.Resolve(mapping.Users, name)
		if i < 0 {
			hint := ""
			if s := mapping.Suggest(mapping.Users, name); s != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", s)
			}
			return nil, usagef("--fields: %q is not a user field%s; give codes F001 … F034, ID and UserStatus, or the document's names", name, hint)
		}
		col := mapping.FieldsOf(mapping.Users)[i].ID
		switch col {
		case mapping.UserID:
			col = report.ColumnID
		case mapping.Status:
			col = report.ColumnUserStatus
		case "F016":
			return nil, usagef("--fields: the API never returns passwords (F016)")
		case mapping.Groups, mapping.Courses:
			return nil, usagef("--fields: %q is not part of a user record; export enrollments for courses", name)
		}
		if slices.Contains(cols, col) {
			return nil, usagef("--fields: %q names %s, which is already a column", name, col)
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// userQuery is the user search of --status and --where, which check
// built, and --group.
func (x *exporter) userQuery(ctx context.Context) (*ilms.UserQuery, error) {
	q := x.opts.search
	if len(x.opts.Groups) > 0 {
		ids, err := x.groupIDs(ctx)
		if err != nil {
			return nil, err
		}
		q.InGroups(ids...)
	}
	return q, nil
}

// groupIDs resolves --group: IDs as they are, names by reading the groups.
func (x *exporter) groupIDs(ctx context.Context) ([]int64, error) {
	var known *org.Org
	var ids []int64
	for _, ref := range x.opts.Groups {
		if n, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64); err == nil {
			ids = append(ids, n)
			continue
		}
		if known == nil {
			var err error
			if known, err = org.Load(ctx, x.client(), org.Needs{Groups: true}, x.opts.Workers); err != nil {
				return nil, err
			}
		}
		gr, err := known.Group(ref)
		if err != nil {
			return nil, usagef("--group: %v", err)
		}
		ids = append(ids, gr.ID)
	}
	return ids, nil
}

// targets resolves --course, --curriculum and --session; with none of
// them and all set, every course and curriculum. A target named twice
// (by ID and by name) is one. withSessions reads the sessions of every
// ILT and Event course, whose people are in them.
func (x *exporter) targets(ctx context.Context, all, withSessions bool) (*org.Org, []org.Target, error) {
	o := x.opts
	known, err := org.Load(ctx, x.client(), org.Needs{Courses: true, Sessions: withSessions || len(o.Sessions) > 0}, o.Workers)
	if err != nil {
		return nil, nil, err
	}
	var ts []org.Target
	seen := map[org.Target]bool{}
	add := func(flag, ref string, curriculum bool) error {
		var t org.Target
		var err error
		if flag == "--session" {
			course, session, ok := strings.Cut(ref, "/")
			if !ok {
				return usagef("--session %q: write courseID/sessionID", ref)
			}
			t, err = known.Resolve(course, false, session)
		} else {
			t, err = known.Resolve(ref, curriculum, "")
		}
		if err != nil {
			return usagef("%s: %v", flag, err)
		}
		if !seen[t] {
			seen[t] = true
			ts = append(ts, t)
		}
		return nil
	}
	for _, r := range o.Courses {
		if err := add("--course", r, false); err != nil {
			return nil, nil, err
		}
	}
	for _, r := range o.Curricula {
		if err := add("--curriculum", r, true); err != nil {
			return nil, nil, err
		}
	}
	for _, r := range o.Sessions {
		if err := add("--session", r, false); err != nil {
			return nil, nil, err
		}
	}
	if len(ts) == 0 && all {
		ts = known.Targets()
	}
	return known, ts, nil
}

// enrollments lists the enrollments of a target as the summary report
// counts them: a course's sessions' people included.
func (x *exporter) enrollments(ctx context.Context, known *org.Org, t org.Target) iter.Seq2[ilms.Enrollment, error] {
	return known.ListEnrollments(ctx, t, ilms.EnrollmentListOptions{IncludeInactiveUsers: x.opts.IncludeInactive}, 0)
}

func newExportEnrollmentsCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "enrollments",
		Short: "Export the enrollments of courses, curricula or ILT sessions",
		Long: `Export enrollment records, one row each, with the user's basic profile
(names, employee ID, email, language, region, division, department) in
columns. Name the courses, curricula or sessions, or pass --all for every
course and curriculum.`,
		Example: `  ilms-bulk export enrollments --course p1gyJg4a -o enrollments.xlsx
  ilms-bulk export enrollments --all --include-inactive -o all.csv
  ilms-bulk export enrollments --session fO1uIKJO/142 -o -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, ios, g, opts, "enrollments", func(ctx context.Context, x *exporter) error {
				known, ts, err := x.targets(ctx, opts.All, true)
				if err != nil {
					return err
				}
				return x.records("Enrollments", report.EnrollmentRecord{}, func(out report.Records) error {
					for _, t := range ts {
						for e, err := range x.enrollments(ctx, known, t) {
							if err != nil {
								return fmt.Errorf("reading the enrollments of %s (%s): %w", t, t.Name, err)
							}
							if err := out.Write(report.NewEnrollmentRecord(&e)); err != nil {
								return err
							}
						}
					}
					return nil
				})
			})
		},
	}
	f := cmd.Flags()
	opts.addOutputFlags(f)
	opts.addCourseFilters(f, true)
	f.BoolVar(&opts.All, "all", false, "every course and curriculum")
	return cmd
}

func newExportTranscriptsCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "transcripts",
		Short: "Export users' transcripts",
		Long: `Export the transcripts of the users named by --user (IDs, emails or employee
IDs), or of every user the filters choose (--status, --group, --where; all
active users without them): one row per user and course, curriculum or
session. Transcripts are read for several users at once, and written in
the users' order.`,
		Example: `  ilms-bulk export transcripts --user john.doe@email.com,E100234 -o -
  ilms-bulk export transcripts --where F021=Sales -o sales-transcripts.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, ios, g, opts, "transcripts", func(ctx context.Context, x *exporter) error {
				var users iter.Seq2[ilms.User, error]
				var missing []string
				if len(opts.Users) > 0 {
					var found []ilms.User
					var err error
					if found, missing, err = x.usersByKey(ctx, opts.Users); err != nil {
						return err
					}
					users = seqOf(found)
				} else {
					q, err := x.userQuery(ctx)
					if err != nil {
						return err
					}
					users = x.client().Users.List(q).Fetch(ctx, opts.Workers)
				}
				type lines struct {
					u  ilms.User
					ts []ilms.Transcript
				}
				err := x.records("Transcripts", report.TranscriptRecord{}, func(out report.Records) error {
					return ordered.Map(ctx, users, opts.Workers, func(ctx context.Context, u ilms.User) (lines, error) {
						ts, err := x.client().Transcripts.OfUser(ctx, u.ID)
						if err != nil {
							return lines{}, fmt.Errorf("reading the transcript of user %d: %w", u.ID, err)
						}
						return lines{u, ts}, nil
					}, func(l lines) error {
						for i := range l.ts {
							if err := out.Write(report.NewTranscriptRecord(&l.u, &l.ts[i])); err != nil {
								return err
							}
						}
						return nil
					})
				})
				if err == nil && len(missing) > 0 {
					return &partialError{fmt.Sprintf("no user has the ID, email or employee ID %s; the others were exported", quoteList(missing))}
				}
				return err
			})
		},
	}
	f := cmd.Flags()
	opts.addOutputFlags(f)
	opts.addUserFilters(f)
	f.StringSliceVar(&opts.Users, "user", nil, "users by iLMS ID, email or employee ID")
	return cmd
}

// usersByKey looks up the users keys name, in order: a number is an iLMS
// ID (or else an employee ID), a value with @ an email, anything else an
// employee ID. Keys that find nobody are returned in missing, each with a
// warning.
func (x *exporter) usersByKey(ctx context.Context, keys []string) (users []ilms.User, missing []string, err error) {
	for _, key := range keys {
		key = strings.TrimSpace(key)
		u, err := x.findUser(ctx, key)
		switch {
		case err != nil:
			return nil, nil, fmt.Errorf("looking up user %q: %w", key, err)
		case u == nil:
			missing = append(missing, key)
			if !x.g.Quiet {
				fmt.Fprintf(x.ios.ErrOut, "ilms-bulk: warning: no user has the ID, email or employee ID %q\n", key)
			}
		default:
			users = append(users, *u)
		}
	}
	return users, missing, nil
}

func (x *exporter) findUser(ctx context.Context, key string) (*ilms.User, error) {
	if _, err := strconv.ParseInt(key, 10, 64); err == nil {
		if u, err := org.Find(ctx, x.client(), org.Key{Field: org.KeyID, Value: key}, nil); u != nil || err != nil {
			return u, err
		}
	}
	code := "F004"
	if strings.Contains(key, "@") {
		code = "F015"
	}
	return org.Find(ctx, x.client(), org.Key{Field: code, Value: key}, ilms.NewUserQuery().WithStatus(ilms.StatusActive, ilms.StatusInactive))
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func newExportSummaryCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "summary",
		Short: "Export the enrollment summary report",
		Long: `Export the enrollment summary report (enrolled, not started, in progress,
passed, failed, waived) of the named courses, curricula and ILT sessions,
or of every course and curriculum: a curriculum comes with a row per
sub-course, an ILT course with a row per session.`,
		Example: `  ilms-bulk export summary -o summary.xlsx
  ilms-bulk export summary --curriculum 12Bs_2Bw --include-inactive -o -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, ios, g, opts, "summary", func(ctx context.Context, x *exporter) error {
				_, ts, err := x.targets(ctx, true, false)
				if err != nil {
					return err
				}
				return x.records("Summary", report.SummaryRecord{}, func(out report.Records) error {
					return ordered.Map(ctx, seqOf(ts), opts.Workers, func(ctx context.Context, t org.Target) ([]ilms.SummaryRow, error) {
						rows, err := x.client().Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: t.ID, SessionID: t.Session, IncludeInactiveUsers: opts.IncludeInactive})
						if err != nil {
							return nil, fmt.Errorf("reading the summary of %s (%s): %w", t, t.Name, err)
						}
						return rows, nil
					}, func(rows []ilms.SummaryRow) error {
						for _, r := range rows {
							if err := out.Write(report.NewSummaryRecord(r)); err != nil {
								return err
							}
						}
						return nil
					})
				})
			})
		},
	}
	f := cmd.Flags()
	opts.addOutputFlags(f)
	opts.addCourseFilters(f, true)
	return cmd
}

// seqOf yields the items of a slice.
func seqOf[T any](items []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
	}
}

func newExportComplianceCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "compliance",
		Short: "Write the compliance workbook: summary, departments, overdue, details",
		Long: `Write one XLSX workbook for the named courses and curricula, or all of them,
as of a day (--as-of, default today):
  Summary        per course: enrolled, not started, in progress, passed,
                 failed, waived, completion % and overdue, with a chart;
  By Department  completion % of each region / division / department in
                 each course;
  Overdue        enrollments due before the day and neither passed nor
                 waived, with the user's email and supervisor;
  Details        every enrollment.
Completion is passed or waived over enrolled.`,
		Example: `  ilms-bulk export compliance -o compliance-2026-Q3.xlsx --as-of 2026-09-30
  ilms-bulk export compliance --course p1gyJg4a --curriculum 12Bs_2Bw -o safety.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd, ios, g, opts, "compliance", func(ctx context.Context, x *exporter) error {
				known, ts, err := x.targets(ctx, true, true)
				if err != nil {
					return err
				}
				return x.compliance(ctx, known, ts, opts.asOf)
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "workbook to write (default compliance-<as-of>.xlsx)")
	f.StringVar(&opts.Format, "format", "", "xlsx, the only format of the workbook")
	opts.addReadFlags(f)
	opts.addCourseFilters(f, false)
	f.StringVar(&opts.AsOf, "as-of", "", "the day the workbook is as of, yyyy-mm-dd (default today)")
	return cmd
}

// compliance builds the workbook: the enrollments of each target, with
// the supervisor of each overdue user read once.
func (x *exporter) compliance(ctx context.Context, known *org.Org, ts []org.Target, asOf time.Time) error {
	wb, err := report.NewCompliance(asOf)
	if err != nil {
		return err
	}
	for _, t := range ts {
		wb.AddCourse(report.CourseInfo{ID: t.ID, Name: t.Name, Type: t.Type})
	}
	users := newUserCache(x.client())
	type row struct {
		e ilms.Enrollment
		u *ilms.User
	}
	if _, err := x.output(func(w io.Writer) (int, error) {
		for _, t := range ts {
			err := ordered.Map(ctx, x.enrollments(ctx, known, t), x.opts.Workers, func(ctx context.Context, e ilms.Enrollment) (row, error) {
				if !wb.Overdue(&e) {
					return row{e: e}, nil
				}
				u, err := users.get(ctx, e.User.ID)
				return row{e, u}, err
			}, func(r row) error {
				x.prog.Advance(1)
				return wb.Add(t.ID, &r.e, r.u)
			})
			if err != nil {
				return 0, fmt.Errorf("reading the enrollments of %s (%s): %w", t, t.Name, err)
			}
		}
		_, err := wb.WriteTo(w)
		return wb.Enrollments(), err
	}); err != nil {
		return err
	}
	if !x.g.Quiet {
		fmt.Fprintf(x.ios.ErrOut, "wrote the compliance workbook of %d courses and curricula, %d enrollments, as of %s, to %s\n",
			len(ts), wb.Enrollments(), asOf.Format("2006-01-02"), x.opts.Output)
	}
	return nil
}

// userCache reads full user profiles once each.
type userCache struct {
	c     *ilms.Client
	mu    sync.Mutex
	users map[int64]*ilms.User
	calls singleflight.Group
}

func newUserCache(c *ilms.Client) *userCache { return &userCache{c: c, users: map[int64]*ilms.User{}} }

// get returns a user's full profile; nil for a user iLMS no longer has.
func (uc *userCache) get(ctx context.Context, id int64) (*ilms.User, error) {
	uc.mu.Lock()
	u, ok := uc.users[id]
	uc.mu.Unlock()
	if ok {
		return u, nil
	}
	v, err, _ := uc.calls.Do(strconv.FormatInt(id, 10), func() (any, error) {
		u, err := uc.c.Users.Get(ctx, id)
		if ilms.IsNotFound(err) {
			u, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		uc.mu.Lock()
		uc.users[id] = u
		uc.mu.Unlock()
		return u, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*ilms.User), nil
}

// writeOutput streams write into path ("-" for stdout). A file is written
// under a temporary name and renamed when complete, so a failed export
// never leaves a file that looks whole.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) (int, error)) (int, error) {
	if path == "-" || path == "" {
		bw := bufio.NewWriterSize(stdout, 64<<10)
		n, err := write(bw)
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return n, err
	}
	dir := filepath.Dir(path)
	tmp, err := createTemp(dir, filepath.Base(path))
	if err != nil {
		return 0, &inputError{fmt.Errorf("cannot write %s: %w", path, err)}
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 64<<10)
	n, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("cannot write %s: %w", path, err)
	}
	return n, nil
}
