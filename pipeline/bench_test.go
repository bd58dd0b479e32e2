package pipeline

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/internal/benchsize"
	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// benchFiles caches the generated inputs of the benchmarks across runs of
// one process.
var benchFiles sync.Map

// generatedUsers returns a generated users file of n rows (2% bad), CSV
// or XLSX, made once per process in a temporary folder.
func generatedUsers(b *testing.B, n int, format string) string {
	key := strconv.Itoa(n) + format
	if p, ok := benchFiles.Load(key); ok {
		return p.(string)
	}
	dir, err := os.MkdirTemp("", "ilms-bulk-bench")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "users-"+key+"."+format)
	if format == "xlsx" {
		x, err := report.NewXLSXStream(path, "Users")
		if err != nil {
			b.Fatal(err)
		}
		if err := synth.GenerateUsers(x, n, 0.02, 1); err != nil {
			b.Fatal(err)
		}
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
	} else {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := csv.NewWriter(f) // buffered by itself
		if err := synth.GenerateUsers(w, n, 0.02, 1); err != nil {
			b.Fatal(err)
		}
		w.Flush()
		f.Close()
	}
	benchFiles.Store(key, path)
	return path
}

// openUsers opens a users file and maps its header.
func openUsers(b *testing.B, path string) (Source, *mapping.Mapper) {
	src, err := Open(path, ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := mapping.New(mapping.Users, src.Header(), nil, false)
	if err != nil {
		src.Close()
		b.Fatal(err)
	}
	return src, m
}

// validateFile runs the validate command's work on a file: read, map,
// check, and write every result row and every error row.
func validateFile(b *testing.B, path string) Tally {
	src, m := openUsers(b, path)
	defer src.Close()
	c := NewChecker(m, CheckOptions{Settings: validate.DefaultSettings(), Create: true})
	results := report.NewResultCSV(bufio.NewWriter(io.Discard))
	errs, _ := report.NewErrorCSV(io.Discard, src.Header(), -1)
	t, err := Validate(context.Background(), src, c, func(ch *Checked) error {
		res := report.Result{Row: ch.Row.Line, Key: report.Cell(c.Key(ch)), Outcome: "valid"}
		if !ch.Valid() {
			res.Outcome = "invalid"
			msg := c.Describe(ch)
			res.Message = report.Cell(msg)
			errs.Write(ch.Row.Cells, len(src.Header()), msg)
		}
		results.Write(res)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := results.Close(); err != nil {
		b.Fatal(err)
	}
	return t
}

// BenchmarkCSVRead is the floor: encoding/csv alone reading the file.
func BenchmarkCSVRead(b *testing.B) {
	path := generatedUsers(b, benchsize.Rows(b, 1_000_000), "csv")
	b.ResetTimer()
	n := 0
	for b.Loop() {
		f, _ := os.Open(path)
		r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
		r.ReuseRecord = true
		n = -1 // the header
		for {
			if _, err := r.Read(); err != nil {
				break
			}
			n++
		}
		f.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkValidateCSV validates the same file as BenchmarkCSVRead reads.
func BenchmarkValidateCSV(b *testing.B) { benchValidate(b, benchsize.Rows(b, 1_000_000), "csv") }

// benchValidate validates a generated users file of n rows.
func benchValidate(b *testing.B, n int, format string) {
	path := generatedUsers(b, n, format)
	b.ReportAllocs()
	b.ResetTimer()
	var t Tally
	for b.Loop() {
		t = validateFile(b, path)
	}
	b.ReportMetric(float64(t.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSXRowsExcelize is the floor for XLSX: excelize's Rows()
// iterator alone over the sheet, values only.
func BenchmarkXLSXRowsExcelize(b *testing.B) {
	path := generatedUsers(b, benchsize.Rows(b, 1_000_000)/10, "xlsx")
	b.ResetTimer()
	n := 0
	for b.Loop() {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Users")
		if err != nil {
			b.Fatal(err)
		}
		n = -1
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		f.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkValidateXLSX validates the same workbook.
func BenchmarkValidateXLSX(b *testing.B) { benchValidate(b, benchsize.Rows(b, 1_000_000)/10, "xlsx") }

// BenchmarkSourceCSV reads the file through the CSV source alone: what the
// reader adds to encoding/csv (encodings, row numbers, row checks).
func BenchmarkSourceCSV(b *testing.B) {
	path := generatedUsers(b, benchsize.Rows(b, 1_000_000), "csv")
	b.ResetTimer()
	for b.Loop() {
		src, err := Open(path, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		cells := make([]string, 0, 32)
		for {
			if _, err := src.(*csvSource).nextInto(cells); err != nil {
				break
			}
		}
		src.Close()
	}
}
