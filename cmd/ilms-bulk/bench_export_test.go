package main

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/benchsize"
)

// exportSandbox serves a generated organization of n users (all active:
// statuses are asked for below) that answers at most 50 requests a second
// with 50 ms of latency.
func exportSandbox(b *testing.B, n int) *sandbox.Server {
	srv := sandbox.New(sandbox.GenerateOrg(sandbox.SeedOptions{Users: n, Seed: 1}), sandbox.Options{Rate: 50, Latency: 50 * time.Millisecond})
	useSandbox(b, srv)
	return srv
}

// benchExportUsers runs `ilms-bulk export users` as a user would, asking for
// the server's 50 requests a second, and reports pages a second.
func benchExportUsers(b *testing.B, workers int) {
	n := benchsize.Rows(b, 10000)
	srv := exportSandbox(b, n)
	out := filepath.Join(b.TempDir(), "users.csv")
	for b.Loop() {
		srv.ResetStats()
		start := time.Now()
		code, _, stderr := runCmd(b, "export", "users", "--status", "active,inactive,deleted", "--rate", "50",
			"--workers", strconv.Itoa(workers), "--page-size", "100", "-o", out, "-q")
		took := time.Since(start)
		if code != ExitOK {
			b.Fatalf("exit %d\n%s", code, stderr)
		}
		s := srv.Stats()
		pages := s.Requests - s.RateLimited
		b.ReportMetric(float64(pages)/took.Seconds(), "pages/s")
		b.ReportMetric(100*float64(pages)/took.Seconds()/50, "%-of-limit")
		b.ReportMetric(float64(s.RateLimited), "429s")
	}
}

// BenchmarkExportUsersConcurrent reads pages with 8 in flight once the
// first page gives X-Total-Count.
func BenchmarkExportUsersConcurrent(b *testing.B) { benchExportUsers(b, 8) }

// BenchmarkExportUsersSequential follows the pages one at a time, as
// following the next link does.
func BenchmarkExportUsersSequential(b *testing.B) { benchExportUsers(b, 1) }
