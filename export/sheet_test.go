package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
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
	if got := wb.File(""); got != "compliance-2026-09-30.xlsx" || wb.File(FormatHTML) != "compliance-2026-09-30.html" {
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

// TestJobsSayWhatTheyAre: each job names itself and its rows as a front
// door shows them, and says in a line what a run wrote.
func TestJobsSayWhatTheyAre(t *testing.T) {
	t.Parallel()
	wb := &ComplianceWorkbook{AsOf: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), courses: 3}
	for _, tc := range []struct {
		job              Job
		name, unit, done string
		formats          string
	}{
		{&UsersOptions{}, "users", "users", "exported 7 users to u.csv", "csv xlsx"},
		{&EnrollmentsOptions{}, "enrollments", "enrollments", "exported 7 enrollments to u.csv", "csv xlsx"},
		{&TranscriptsOptions{}, "transcripts", "transcript lines", "exported 7 transcript lines to u.csv", "csv xlsx"},
		{&SummaryOptions{}, "summary", "summary rows", "exported 7 summary rows to u.csv", "csv xlsx"},
		{wb, "compliance", "enrollments", "wrote the compliance workbook of 3 courses and curricula, 7 enrollments, as of 2026-09-30, to u.csv", "xlsx html"},
	} {
		a := tc.job.About()
		if a.Name != tc.name || a.Unit != tc.unit || strings.Join(a.Formats, " ") != tc.formats {
			t.Errorf("%T: %+v, want %s, %s, %s", tc.job, a, tc.name, tc.unit, tc.formats)
		}
		if got := Done(tc.job, 7, "u.csv"); got != tc.done {
			t.Errorf("%T: %q, want %q", tc.job, got, tc.done)
		}
	}
}

// TestWriteOutputKeepsTheOthers: a transcripts export naming a user who
// is not in iLMS writes the file whole with the others, then says who.
func TestWriteOutputKeepsTheOthers(t *testing.T) {
	c := testClient(t, nil)
	path := filepath.Join(t.TempDir(), "t.csv")
	job := &TranscriptsOptions{Users: []string{"123456", "nobody@example.com"}, Reading: Reading{Workers: 2}}
	n, err := WriteOutput(context.Background(), c, job, path, nil, Sheet{Format: "csv"})
	var unknown *UnknownUsersError
	if !errors.As(err, &unknown) || !unknown.Partial() || !slices.Equal(unknown.Keys, []string{"nobody@example.com"}) {
		t.Fatalf("error %v, want the unknown user, a partial run", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the file is not kept: %v", err)
	}
	defer f.Close()
	if recs, err := csv.NewReader(f).ReadAll(); err != nil || n == 0 || len(recs) != n+1 {
		t.Errorf("%d rows; the file has %d records (%v), want the header and the rows", n, len(recs), err)
	}

	var out bytes.Buffer
	job.Users = []string{"123456"}
	if n2, err := WriteOutput(context.Background(), c, job, "-", &out, Sheet{Format: "csv"}); err != nil || n2 != n {
		t.Errorf("to standard output: %d rows, %v; want %d", n2, err, n)
	} else if recs, err := csv.NewReader(&out).ReadAll(); err != nil || len(recs) != n+1 {
		t.Errorf("standard output has %d records (%v), want %d", len(recs), err, n+1)
	}
}
