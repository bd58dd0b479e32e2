package report

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/internal/benchsize"
)

// BenchmarkXLSXSink streams rows of 32 text columns through an XLSXSink
// into a workbook written to io.Discard, and reports the largest live heap
// sampled every 10,000 rows: what an XLSX export holds, whatever its size.
// ILMS_BENCH_ROWS sets the rows (default 300,000).
func BenchmarkXLSXSink(b *testing.B) {
	n := benchsize.Rows(b, 300_000)
	cols := make([]string, 32)
	for i := range cols {
		cols[i] = fmt.Sprintf("F%03d", i+1)
	}
	row := make([]any, len(cols))
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		s, err := NewXLSXSink(io.Discard, "Users")
		if err != nil {
			b.Fatal(err)
		}
		s.Header(cols)
		for i := range n {
			for j := range row {
				row[j] = Cell("value " + strconv.Itoa(i) + " " + strconv.Itoa(j))
			}
			if err := s.Row(row); err != nil {
				b.Fatal(err)
			}
			if i%10_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
