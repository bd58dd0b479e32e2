package pipeline

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// newUsersFile writes n people the seed organization does not have.
func newUsersFile(b *testing.B, n int) string {
	path := filepath.Join(b.TempDir(), "new.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	row := 0
	var idCol, emailCol int
	synth.GenerateUsers(writerFunc(func(r []string) error {
		row++
		if row == 1 {
			for i, h := range r {
				switch h {
				case "Employee ID":
					idCol = i
				case "Email ID":
					emailCol = i
				}
			}
			return w.Write(r)
		}
		r = append([]string(nil), r...)
		r[idCol] = fmt.Sprintf("B-%06d", row-1)
		r[emailCol] = strings.Replace(r[emailCol], "@", ".b@", 1)
		return w.Write(r)
	}), n, 0, 42)
	w.Flush()
	f.Close()
	return path
}

type writerFunc func([]string) error

func (f writerFunc) Write(r []string) error { return f(r) }

// importRun imports a users file into srv with a client asking for rate
// requests a second, and returns the requests counted and the time taken.
func importRun(b *testing.B, srv *sandbox.Server, url, file string, rate float64, workers int) (*Counter, time.Duration) {
	counter := &Counter{}
	c, err := ilms.NewClient(ilms.Options{
		BaseURL: url, OrgID: srv.OrgID(), HTTPClient: ilms.NewHTTPClient(workers),
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()},
		Pacer:       ilms.NewPacer(ilms.Limiter(rate), ilms.Adaptive()), OnAttempt: counter.Observe,
	})
	if err != nil {
		b.Fatal(err)
	}
	src, err := Open(file, ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	m, err := mapping.New(mapping.Users, src.Header(), nil, false)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	ctx := context.Background()
	org, err := LoadOrg(ctx, c, NeedsFor(m), workers)
	if err != nil {
		b.Fatal(err)
	}
	failed := 0
	err = Import(ctx, src, NewChecker(m, CheckOptions{Settings: validate.DefaultSettings()}), c, org, ImportOptions{
		Workers: workers,
		OnResult: func(r Result) {
			if !Succeeded(r.Outcome) {
				failed++
			}
		},
	})
	if err != nil || failed > 0 {
		b.Fatalf("import: %v, %d rows failed", err, failed)
	}
	return counter, time.Since(start)
}

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

func usersFromEnv(b *testing.B, def int) int { return rowsFromEnv(b, def) }

// BenchmarkImportAtServerLimit imports new users into a sandbox that
// answers 100 requests a second with 20 ms of latency, the client asking
// for those same 100.
func BenchmarkImportAtServerLimit(b *testing.B) {
	n := usersFromEnv(b, 5000)
	file := newUsersFile(b, n)
	for b.Loop() {
		srv, url := benchSandbox(b, sandbox.Options{Rate: 100, Latency: 20 * time.Millisecond})
		counter, took := importRun(b, srv, url, file, 100, 8)
		methods, _, throttled := counter.Snapshot()
		var total int64
		for _, v := range methods {
			total += v
		}
		rate := float64(total) / took.Seconds()
		b.ReportMetric(rate, "req/s")
		b.ReportMetric(100*rate/100, "%-of-limit")
		b.ReportMetric(float64(throttled), "429s")
	}
}

// BenchmarkImportAboveServerLimit asks for 150 requests a second from the
// same sandbox: the pacer must settle under its limit.
func BenchmarkImportAboveServerLimit(b *testing.B) {
	n := usersFromEnv(b, 5000)
	file := newUsersFile(b, n)
	for b.Loop() {
		srv, url := benchSandbox(b, sandbox.Options{Rate: 100, Latency: 20 * time.Millisecond})
		counter, took := importRun(b, srv, url, file, 150, 8)
		methods, _, throttled := counter.Snapshot()
		var total int64
		for _, v := range methods {
			total += v
		}
		accepted := float64(total-throttled) / took.Seconds()
		b.ReportMetric(accepted, "accepted-req/s")
		b.ReportMetric(100*accepted/100, "%-of-limit")
		b.ReportMetric(100*float64(throttled)/float64(total), "%-429")
		_ = srv
	}
}

// BenchmarkReimportUnchanged imports 10,000 users, then measures the
// requests a second import of the same file sends.
func BenchmarkReimportUnchanged(b *testing.B) {
	n := usersFromEnv(b, 10000)
	file := newUsersFile(b, n)
	srv, url := benchSandbox(b, sandbox.Options{})
	importRun(b, srv, url, file, 0, 8)
	for b.Loop() {
		srv.ResetStats()
		counter, _ := importRun(b, srv, url, file, 0, 8)
		methods, _, _ := counter.Snapshot()
		var total int64
		for _, v := range methods {
			total += v
		}
		if w := srv.Stats().Writes; w != 0 {
			b.Fatalf("the re-import sent %d writes", w)
		}
		b.ReportMetric(float64(total), "requests")
		b.ReportMetric(100*float64(total)/float64(n), "requests/100-users")
	}
}
