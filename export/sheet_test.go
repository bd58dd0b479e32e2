package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestJobsWriteTheirSheet: every export job, run as a front door runs it,
// writes one whole sheet whose rows are the count it returns, in CSV
// (with a byte-order mark when asked) and in XLSX.
func TestJobsWriteTheirSheet(t *testing.T) {
	c := testClient(t, nil)
	ctx := context.Background()
	reading := Reading{Workers: 4}
	jobs := map[string]Job{
		"Users":       &UsersOptions{Reading: reading},
		"Enrollments": &EnrollmentsOptions{All: true, Reading: reading},
		"Transcripts": &TranscriptsOptions{Reading: reading},
		"Summary":     &SummaryOptions{Reading: reading},
	}
	for sheet, job := range jobs {
		if err := job.Check(); err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		var b bytes.Buffer
		n, err := job.Write(ctx, c, &b, Sheet{Format: "csv", BOM: true})
		if err != nil || n == 0 {
			t.Fatalf("%s as CSV: %d rows, %v", sheet, n, err)
		}
		text, ok := strings.CutPrefix(b.String(), "\uFEFF")
		if !ok {
			t.Errorf("%s: no byte-order mark though asked for", sheet)
		}
		recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil || len(recs) != n+1 {
			t.Errorf("%s as CSV: %d records (%v), want the header and %d rows", sheet, len(recs), err, n)
		}
		b.Reset()
		if n2, err := job.Write(ctx, c, &b, Sheet{Format: "xlsx"}); err != nil || n2 != n {
			t.Fatalf("%s as XLSX: %d rows, %v; want %d", sheet, n2, err, n)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		if rows, err := f.GetRows(sheet); err != nil || len(rows) != n+1 {
			t.Errorf("%s as XLSX: sheet %q has %d rows (%v), want %d", sheet, sheet, len(rows), err, n+1)
		}
	}
}

// TestComplianceWorkbookJob: the workbook job writes the workbook, counts
// the courses it holds, and names its file by its day.
func TestComplianceWorkbookJob(t *testing.T) {
	c := testClient(t, nil)
	wb := &ComplianceWorkbook{ComplianceOptions: ComplianceOptions{Reading: Reading{Workers: 4}}, AsOf: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)}
	if got := wb.File(); got != "compliance-2026-09-30.xlsx" {
		t.Errorf("file %q", got)
	}
	var b bytes.Buffer
	n, err := wb.Write(context.Background(), c, &b, Sheet{Format: "xlsx"})
	if err != nil || n == 0 || wb.Courses() == 0 {
		t.Fatalf("%d enrollments of %d courses, %v", n, wb.Courses(), err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); len(sheets) < 2 || sheets[0] != "Summary" {
		t.Errorf("sheets %q, want Summary first", sheets)
	}
}
