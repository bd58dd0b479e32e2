package connect

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
	"golang.org/x/time/rate"
)

// served is a sandbox served over HTTP with faults (its rate limit), and
// the environment that reaches it as iLMS.
func served(t *testing.T, faults sandbox.Options) (env, *Sandbox) {
	t.Helper()
	sb, err := ServeSandbox(SandboxOptions{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return env{EnvBaseURL: sb.URL, EnvOrgID: sb.OrgID(), EnvAPILoginID: sb.APILoginID(), EnvTransactionKey: sb.TransactionKey()}, sb
}

// readFor reads a group (a small answer: the tests are of the pace, not
// of the machine) over conn, n at a time, for d.
func readFor(conn *Conn, n int, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for ctx.Err() == nil {
				conn.Client.Groups.Get(ctx, 345)
			}
		})
	}
	wg.Wait()
}

// TestAutoRateIsKeptForTheNextRun: a run with Rate auto finds the
// server's limit and keeps it in the cache by base URL and organization;
// the next run starts a little under it, and a run elsewhere does not.
func TestAutoRateIsKeptForTheNextRun(t *testing.T) {
	t.Parallel()
	// A sliding window: a fixed one may let a short read through two
	// halves of its seconds unrefused.
	e, _ := served(t, sandbox.Options{Rate: 40, Latency: 10 * time.Millisecond, Limit: limit.Config{Shape: limit.SlidingWindow}})
	cache := filepath.Join(t.TempDir(), "rates.json")
	ctx := context.Background()
	conn, err := Open(ctx, Options{Rate: ilms.Auto, RateCache: cache, Workers: 8, Getenv: e.get})
	if err != nil {
		t.Fatal(err)
	}
	if got := conn.Client.Pacer().Auto().Rate(); got != ilms.AutoStart {
		t.Errorf("with nothing cached the run starts at %v, want %v", got, ilms.AutoStart)
	}
	// Four seconds of reads, four at a time, find the limit; a machine
	// slowed by other tests may take a few more.
	readFor(conn, 4, 4*time.Second)
	for deadline := time.Now().Add(8 * time.Second); time.Now().Before(deadline); readFor(conn, 4, time.Second) {
		if _, found := conn.Client.Pacer().Auto().Limit(); found {
			break
		}
	}
	limit, found := conn.Client.Pacer().Auto().Limit()
	if !found || math.Abs(limit-40) > 2 {
		t.Fatalf("the run found %v (found %v), want about 40", limit, found)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	var kept map[string]foundRate
	b, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &kept); err != nil {
		t.Fatal(err)
	}
	key := rateKey(e[EnvBaseURL], e[EnvOrgID])
	if r := kept[key]; r.Rate != limit || time.Since(r.Found) > time.Minute {
		t.Errorf("kept %+v for %q, want %v found now (%s)", r, key, limit, b)
	}

	next, err := Open(ctx, Options{Rate: ilms.Auto, RateCache: cache, Getenv: e.get})
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if got := next.Client.Pacer().Auto().Rate(); math.Abs(got-0.9*limit) > 1e-9 {
		t.Errorf("the next run starts at %v, want 90%% of %v", got, limit)
	}
	other := env{EnvBaseURL: e[EnvBaseURL], EnvOrgID: "77777", EnvAPILoginID: "x", EnvTransactionKey: "y"}
	elsewhere, err := Open(ctx, Options{Rate: ilms.Auto, RateCache: cache, Getenv: other.get})
	if err != nil {
		t.Fatal(err)
	}
	defer elsewhere.Close()
	if got := elsewhere.Client.Pacer().Auto().Rate(); got != ilms.AutoStart {
		t.Errorf("another organization starts at %v, want %v", got, ilms.AutoStart)
	}
}

// TestRateCacheStartsOnlyFromWhatItCanTrust: a damaged file, a stale rate
// or none start at AutoStart.
func TestRateCacheStartsOnlyFromWhatItCanTrust(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for name, content := range map[string]string{
		"missing": "",
		"damaged": "{not json",
		"stale":   `{"u o": {"requests_per_second": 50, "found": "2026-01-01T00:00:00Z"}}`,
		"zero":    `{"u o": {"requests_per_second": 0, "found": "2026-12-01T08:00:00Z"}}`,
	} {
		path := filepath.Join(dir, name+".json")
		if content != "" {
			os.WriteFile(path, []byte(content), 0o600)
		}
		if got := (rateCache{path: path, key: "u o"}).start(now); got != 0 {
			t.Errorf("%s: starts at %v, want 0 (AutoStart)", name, got)
		}
	}
	path := filepath.Join(dir, "kept.json")
	c := rateCache{path: path, key: "u o"}
	if err := c.save(50, now); err != nil {
		t.Fatal(err)
	}
	if err := (rateCache{path: path, key: "v p"}).save(20, now); err != nil {
		t.Fatal(err)
	}
	if got := c.start(now.Add(time.Hour)); got != 45 {
		t.Errorf("starts at %v, want 45 (90%% of 50): the second save must keep the first", got)
	}
}

// TestPacerOfEachRate: unlimited has no limit, a number is a ceiling the
// controller never exceeds, auto climbs from its start to --max-rate.
func TestPacerOfEachRate(t *testing.T) {
	t.Parallel()
	now := time.Now()
	if p := newPacer(ilms.Unlimited, 0, nil, now); p.Auto() != nil || p.Limit() != rate.Inf {
		t.Errorf("unlimited: auto %v, limit %v", p.Auto(), p.Limit())
	}
	p := newPacer(40, 0, nil, now)
	if a := p.Auto(); a == nil || a.Rate() != 40 || a.Settled() != 0 {
		t.Errorf("--rate 40: %+v", a)
	}
	p = newPacer(ilms.Auto, 120, &rateCache{path: filepath.Join(t.TempDir(), "none.json")}, now)
	if a := p.Auto(); a == nil || a.Rate() != ilms.AutoStart {
		t.Errorf("auto: %+v", a)
	}
}

// An in-process sandbox keeps no rate: its address changes every run.
func TestSandboxKeepsNoRate(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	cache := filepath.Join(t.TempDir(), "rates.json")
	conn, err := Open(context.Background(), Options{Sandbox: true, SandboxState: filepath.Join(t.TempDir(), "s.json"), Rate: ilms.Auto, RateCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cache); !os.IsNotExist(err) {
		t.Errorf("a sandbox run wrote %s (%v)", cache, err)
	}
}

// TestAutoFindsTheLimitHoweverItIsRefused: the real client, at --rate
// auto, against a sandbox over HTTP that refuses in each way the document
// allows a server to (429 or 503; Retry-After in seconds, as an HTTP date,
// or none), finds its limit within a few seconds and holds it without
// idling on the refusals.
func TestAutoFindsTheLimitHoweverItIsRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  limit.Config
	}{
		{"429, seconds", limit.Config{Shape: limit.SlidingWindow}},
		{"429, date", limit.Config{Shape: limit.FixedWindow, RetryAfter: limit.RetryDate}},
		{"429, none", limit.Config{Shape: limit.TokenBucket, Burst: 5, RetryAfter: limit.RetryNone}},
		{"503, seconds", limit.Config{Shape: limit.TokenBucket, Burst: 5, Status: 503}},
		{"503, none", limit.Config{Shape: limit.SlidingWindow, RetryAfter: limit.RetryNone, Status: 503}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const rate, span = 40, 8 * time.Second
			tc.cfg.Rate = rate
			e, sb := served(t, sandbox.Options{Limit: tc.cfg, Latency: 20 * time.Millisecond})
			conn, err := Open(context.Background(), Options{Rate: ilms.Auto, Workers: 16, RateCache: filepath.Join(t.TempDir(), "rates.json"), Getenv: e.get})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			readFor(conn, 8, span)
			st := sb.Stats()
			accepted := st.Requests - st.RateLimited
			use := float64(accepted) / (rate * span.Seconds())
			found, ok := conn.Client.Pacer().Auto().Limit()
			t.Logf("%s: found %.1f (%v), %.0f%% of the limit over %v from a cold start, %d refused", tc.cfg, found, ok, 100*use, span, st.RateLimited)
			// Finding the limit costs a few dozen refusals, once.
			if !ok || math.Abs(found-rate) > 0.05*rate || use < 0.8 || st.RateLimited > 30 {
				t.Errorf("%s: found %.1f (%v), want %d within 5%%; %.0f%% of the limit, want ≥ 80%%; %d refused, want ≤ 30",
					tc.cfg, found, ok, rate, 100*use, st.RateLimited)
			}
		})
	}
}
