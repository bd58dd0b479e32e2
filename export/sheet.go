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

// ComplianceWorkbook is the compliance export as a job: the workbook as
// of AsOf (Compliance into a report.Compliance), written whole.
type ComplianceWorkbook struct {
	ComplianceOptions
	AsOf    time.Time
	courses int
}

// Write writes the workbook to w; XLSX is its only format.
func (j *ComplianceWorkbook) Write(ctx context.Context, c *ilms.Client, w io.Writer, _ Sheet) (n int, err error) {
	wb, err := report.NewCompliance(j.AsOf)
	if err != nil {
		return 0, err
	}
	if n, err = Compliance(ctx, c, j.ComplianceOptions, wb); err == nil {
		_, err = wb.WriteTo(w)
	}
	j.courses = wb.Courses()
	return n, err
}

// Courses is how many courses and curricula the workbook written counts.
func (j *ComplianceWorkbook) Courses() int { return j.courses }

// File is the workbook's name when none is given:
// compliance-2026-09-30.xlsx for a workbook as of that day.
func (j *ComplianceWorkbook) File() string {
	return "compliance-" + j.AsOf.Format("2006-01-02") + ".xlsx"
}
