package pipeline

import (
	"context"
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/benchsize"
	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// newUsersFile writes n people the seed organization does not have.
func newUsersFile(b testing.TB, n int) string {
	path := filepath.Join(b.TempDir(), "new.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := synth.GenerateUsers(synth.Rekeyed(w, "B-%06d", ".b"), n, 0, 42); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	return path
}

// importRun imports a users file into srv with a client asking for rate
// requests a second, and returns the requests counted and the time taken.
func importRun(b *testing.B, srv *sandbox.Server, url, file string, rate float64, workers int) (*Counter, time.Duration) {
	counter := &Counter{}
	c, err := ilms.NewClient(ilms.Options{
		BaseURL: url, OrgID: srv.OrgID(), HTTPClient: ilms.NewHTTPClient(workers),
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()},
		Pacer:       ilms.NewPacer(nil, ilms.WithAuto(ilms.NewAutoRate(rate, rate, time.Now()))), OnAttempt: counter.Observe,
	})
	if err != nil {
		b.Fatal(err)
	}
	in, err := OpenInput(file, InputOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	start := time.Now()
	failed := 0
	_, err = Run(context.Background(), in, RunOptions{
		Check:  CheckOptions{Settings: validate.DefaultSettings()},
		Import: &ImportOptions{Client: c, Workers: workers},
		Sink: sinkFunc(func(r *RowResult) error {
			if !r.Outcome.Succeeded() {
				failed++
			}
			return nil
		}),
	})
	if err != nil || failed > 0 {
		b.Fatalf("import: %v, %d rows failed", err, failed)
	}
	return counter, time.Since(start)
}

// sinkFunc is a Sink of a function.
type sinkFunc func(*RowResult) error

func (f sinkFunc) Row(r *RowResult) error { return f(r) }

func benchSandbox(b *testing.B, opts sandbox.Options) (*sandbox.Server, string) {
	st, err := sandbox.LoadState("../testdata/org.json")
	if err != nil {
		b.Fatal(err)
	}
	srv := sandbox.New(st, opts)
	hs := httptest.NewServer(srv)
	b.Cleanup(hs.Close)
	return srv, hs.URL
}

// BenchmarkImportAtServerLimit imports new users into a sandbox that
// answers 100 requests a second with 20 ms of latency, the client asking
// for those same 100.
func BenchmarkImportAtServerLimit(b *testing.B) {
	n := benchsize.Rows(b, 5000)
	file := newUsersFile(b, n)
	for b.Loop() {
		srv, url := benchSandbox(b, sandbox.Options{Rate: 100, Latency: 20 * time.Millisecond})
		counter, took := importRun(b, srv, url, file, 100, 8)
		_, _, throttled := counter.Snapshot()
		total := counter.Total()
		rate := float64(total) / took.Seconds()
		b.ReportMetric(rate, "req/s")
		b.ReportMetric(100*rate/100, "%-of-limit")
		b.ReportMetric(float64(throttled), "429s")
	}
}

// BenchmarkImportAboveServerLimit asks for 150 requests a second from the
// same sandbox: the pacer must settle under its limit.
func BenchmarkImportAboveServerLimit(b *testing.B) {
	n := benchsize.Rows(b, 5000)
	file := newUsersFile(b, n)
	for b.Loop() {
		srv, url := benchSandbox(b, sandbox.Options{Rate: 100, Latency: 20 * time.Millisecond})
		counter, took := importRun(b, srv, url, file, 150, 8)
		_, _, throttled := counter.Snapshot()
		total := counter.Total()
		accepted := float64(total-throttled) / took.Seconds()
		b.ReportMetric(accepted, "accepted-req/s")
		b.ReportMetric(100*accepted/100, "%-of-limit")
		b.ReportMetric(100*float64(throttled)/float64(total), "%-429")
	}
}

// BenchmarkReimportUnchanged imports 10,000 users, then measures the
// requests a second import of the same file sends.
func BenchmarkReimportUnchanged(b *testing.B) {
	n := benchsize.Rows(b, 10000)
	file := newUsersFile(b, n)
	srv, url := benchSandbox(b, sandbox.Options{})
	importRun(b, srv, url, file, 0, 8)
	for b.Loop() {
		srv.ResetStats()
		counter, _ := importRun(b, srv, url, file, 0, 8)
		total := counter.Total()
		if w := srv.Stats().Writes; w != 0 {
			b.Fatalf("the re-import sent %d writes", w)
		}
		b.ReportMetric(float64(total), "requests")
		b.ReportMetric(100*float64(total)/float64(n), "requests/100-users")
	}
}
