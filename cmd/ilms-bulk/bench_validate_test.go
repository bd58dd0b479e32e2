package main

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/internal/benchsize"
)

// BenchmarkValidateCommand runs `ilms-bulk validate` on a generated users
// file (1,000,000 rows, 2% bad; ILMS_BENCH_ROWS=100000 for a quick run) as
// the command line does, sheets written to disk. Its CPU profile is the
// build's profile (default.pgo, see docs/benchmarks.md):
//
//	go test ./cmd/ilms-bulk -run '^$' -bench ValidateCommand -benchtime 5x -cpuprofile cmd/ilms-bulk/default.pgo
func BenchmarkValidateCommand(b *testing.B) {
	n := benchsize.Rows(b, 1_000_000)
	dir := b.TempDir()
	in := filepath.Join(dir, "users.csv")
	if code, _, stderr := runCmd(b, "generate", "users", "--rows", strconv.Itoa(n), "--bad", "0.02", "-o", in, "-q"); code != ExitOK {
		b.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	out := filepath.Join(dir, "run")
	b.ResetTimer()
	for b.Loop() {
		if code, _, stderr := runCmd(b, "validate", in, "--out", out, "-q"); code != ExitPartial {
			b.Fatalf("validate: exit %d, want %d (2%% of rows are bad)\n%s", code, ExitPartial, stderr)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
