// Package benchsize reads the size a benchmark is asked to run at: the
// rows of ILMS_BENCH_ROWS (ILMS_BENCH_ROWS=100000 for a quick run), else
// the benchmark's own. Only tests import it.
package benchsize

import (
	"os"
	"strconv"
	"testing"
)

// Rows returns ILMS_BENCH_ROWS, or def when it is not set.
func Rows(tb testing.TB, def int) int {
	v := os.Getenv("ILMS_BENCH_ROWS")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		tb.Fatalf("ILMS_BENCH_ROWS=%q: %v", v, err)
	}
	return n
}
