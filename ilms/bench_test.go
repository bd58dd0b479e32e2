package ilms_test

import (
	"net/http/httptest"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// benchClient serves the seed organization on loopback and returns a
// client with no rate limit.
func benchClient(b *testing.B, workers int) *ilms.Client {
	st, err := sandbox.LoadState("../testdata/org.json")
	if err != nil {
		b.Fatal(err)
	}
	srv := sandbox.New(st, sandbox.Options{})
	hs := httptest.NewServer(srv)
	b.Cleanup(hs.Close)
	c, err := ilms.NewClient(ilms.Options{
		BaseURL: hs.URL, OrgID: srv.OrgID(), HTTPClient: ilms.NewHTTPClient(workers),
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()},
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkClientCalls measures whole client calls (request built, sent
// over loopback HTTP, answered by the sandbox, decoded) one at a time.
func BenchmarkClientCalls(b *testing.B) {
	c := benchClient(b, 1)
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Users.Get(ctx, 517244); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

// BenchmarkClientCallsParallel is the same with 8 concurrent callers
// sharing one client, as the import's worker pool does.
func BenchmarkClientCallsParallel(b *testing.B) {
	c := benchClient(b, 8)
	ctx := b.Context()
	b.ReportAllocs()
	b.SetParallelism(4) // 4 × GOMAXPROCS(2) = 8 callers here
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Users.Get(ctx, 517244); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

// BenchmarkClientUserPages reads whole pages of 100 users, the export's
// unit of work.
func BenchmarkClientUserPages(b *testing.B) {
	c := benchClient(b, 1)
	ctx := b.Context()
	pager := c.Users.List(ilms.NewUserQuery().WithStatus("active", "inactive", "deleted"))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := pager.Page(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
