package export

import (
	"context"
	"errors"
	"fmt"
	"github.com/spf13/pflag"
	"io"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// Sheet is how a job's rows are written: as CSV or XLSX (report's
// formats), and for CSV whether to start with a byte-order mark, so that
// Excel reads it as UTF-8.
type Sheet struct {
	Format string
	BOM    bool
}

// Job is an export a front door runs: options it checks before anything
// is sent, and written whole to w as one sheet. The options of the
// users, enrollments, transcripts and summary exports, and the
// compliance workbook, are jobs.
type Job interface {
	// AddFlags names the job's options (flags.go); Check checks them.
	AddFlags(f *pflag.FlagSet)
	Check() error
	Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (int, error)
	About() About
}

// About says what a job exports, as a front door names it and counts
// its progress.
type About struct {
	Name    string   // the export: "users", "compliance"
	Unit    string   // what its rows are: "users", "transcript lines"
	Formats []string // of its output, the default first
}

// sheetFormats are the formats of the exports written as one sheet.
var sheetFormats = []string{"csv", report.XLSX}

// About says what the users export is.
func (UsersOptions) About() About { return About{"users", "users", sheetFormats} }

// About says what the enrollments export is.
func (EnrollmentsOptions) About() About { return About{"enrollments", "enrollments", sheetFormats} }

// About says what the transcripts export is.
func (TranscriptsOptions) About() About {
	return About{"transcripts", "transcript lines", sheetFormats}
}

// About says what the summary export is.
func (SummaryOptions) About() About { return About{"summary", "summary rows", sheetFormats} }

// About says what the compliance workbook is: XLSX, or its one-page HTML
// summary, counted in enrollments.
func (*ComplianceWorkbook) About() About {
	return About{"compliance", "enrollments", []string{report.XLSX, FormatHTML}}
}

// WriteOutput writes job to the file path as the sheet s, whole or not
// at all, or to stdout for "" or "-" (report.WriteOutput), and returns
// how many rows it wrote. Users a transcripts export names who are not in
// iLMS do not cost the others: the file is kept, and the
// *UnknownUsersError returned after it.
func WriteOutput(ctx context.Context, c *ilms.Client, job Job, path string, stdout io.Writer, s Sheet) (int, error) {
	var unknown *UnknownUsersError
	n, err := report.WriteOutput(path, stdout, func(w io.Writer) (int, error) {
		n, err := job.Write(ctx, c, w, s)
		if errors.As(err, &unknown) {
			err = nil // the others are written all the same
		}
		return n, err
	})
	if err == nil && unknown != nil {
		err = unknown
	}
	return n, err
}

// Done says in a line what a run of job wrote, n rows to the file path:
// "exported 87 users to users.xlsx"; the compliance workbook says its
// courses and its day as well.
func Done(job Job, n int, path string) string {
	if wb, ok := job.(*ComplianceWorkbook); ok {
		return fmt.Sprintf("wrote the compliance workbook of %d courses and curricula, %d enrollments, as of %s, to %s",
			wb.Courses(), n, wb.AsOf.Format("2006-01-02"), path)
	}
	return fmt.Sprintf("exported %d %s to %s", n, job.About().Unit, path)
}

// Write exports the users to w as the sheet Users.
func (o UsersOptions) Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (int, error) {
	return report.WriteSheet(w, s.Format, "Users", s.BOM, func(out report.Sink) (int, error) { return Users(ctx, c, o, out) })
}

// Write exports the enrollments to w as the sheet Enrollments.
func (o EnrollmentsOptions) Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (int, error) {
	return writeRecords(w, s, "Enrollments", report.EnrollmentRecord{}, func(r Records) (int, error) { return Enrollments(ctx, c, o, r) })
}

// Write exports the transcripts to w as the sheet Transcripts.
func (o TranscriptsOptions) Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (int, error) {
	return writeRecords(w, s, "Transcripts", report.TranscriptRecord{}, func(r Records) (int, error) { return Transcripts(ctx, c, o, r) })
}

// Write exports the summary report to w as the sheet Summary.
func (o SummaryOptions) Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (int, error) {
	return writeRecords(w, s, "Summary", report.SummaryRecord{}, func(r Records) (int, error) { return Summary(ctx, c, o, r) })
}

func writeRecords(w io.Writer, s Sheet, sheet string, zero any, export func(Records) (int, error)) (int, error) {
	return report.WriteRecords(w, s.Format, sheet, s.BOM, zero, func(r report.Records) (int, error) { return export(r) })
}

// ComplianceWorkbook is the compliance export as a job: the workbook as
// of AsOf (Compliance into a report.Compliance), written whole.
type ComplianceWorkbook struct {
	ComplianceOptions
	AsOf time.Time
	// Compare is a workbook written before (last quarter's): the new one
	// gets a Changes sheet.
	Compare string
	courses int
}

// FormatHTML is the compliance summary as one printable web page.
const FormatHTML = "html"

// Write writes the workbook to w, or with the format FormatHTML the
// one-page summary.
func (j *ComplianceWorkbook) Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (n int, err error) {
	var prev *report.Previous
	if j.Compare != "" { // read, and refused if need be, before any request
		if prev, err = report.ReadPrevious(j.Compare); err != nil {
			return 0, err
		}
	}
	wb, err := report.NewCompliance(j.AsOf, report.ComplianceInfo{Org: c.OrgID(), Filters: j.CourseFilter.String(), Generated: time.Now()})
	if err != nil {
		return 0, err
	}
	if prev != nil {
		wb.Compare(prev)
	}
	if n, err = Compliance(ctx, c, j.ComplianceOptions, wb); err == nil && s.Format == FormatHTML {
		err = wb.WriteHTML(w)
	} else if err == nil {
		_, err = wb.WriteTo(w)
	}
	j.courses = wb.Courses()
	return n, err
}

// Courses is how many courses and curricula the workbook written counts.
func (j *ComplianceWorkbook) Courses() int { return j.courses }

// File is the workbook's name when none is given:
// compliance-2026-09-30.xlsx for a workbook as of that day.
func (j *ComplianceWorkbook) File(format string) string {
	if format != FormatHTML {
		format = report.XLSX
	}
	return "compliance-" + j.AsOf.Format("2006-01-02") + "." + format
}
