package export

import (
	"context"
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
// users, enrollments, transcripts and summary exports are jobs.
type Job interface {
	Check() error
	Write(ctx context.Context, c *ilms.Client, w io.Writer, s Sheet) (int, error)
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

// ComplianceFile is the compliance workbook's name when none is given:
// compliance-2026-09-30.xlsx for a workbook as of that day.
func ComplianceFile(asOf time.Time) string {
	return "compliance-" + asOf.Format("2006-01-02") + ".xlsx"
}

// ComplianceWorkbook writes the compliance workbook as of asOf to w
// (Compliance into a report.Compliance). It returns how many courses and
// curricula the workbook counts, and how many enrollments.
func ComplianceWorkbook(ctx context.Context, c *ilms.Client, opts ComplianceOptions, asOf time.Time, w io.Writer) (courses, n int, err error) {
	wb, err := report.NewCompliance(asOf)
	if err != nil {
		return 0, 0, err
	}
	if n, err = Compliance(ctx, c, opts, wb); err == nil {
		_, err = wb.WriteTo(w)
	}
	return wb.Courses(), n, err
}
