package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// The benchmarks of issue 10 run the built command as a process, with
// default flags and a cold start (an empty cache directory), against a
// sandbox served over loopback in each limiter shape. Utilisation is the
// requests the sandbox accepted over (its limit × the command's whole wall
// time). ILMS_BENCH_LIMITS and ILMS_BENCH_SHAPES choose the cases
// (default 10,30,50,80 and every shape).

// benchShapes are the limiter shapes of issue 10, by name: the three the
// benchmarks run by default, refusing with 429 and Retry-After in
// seconds, and the other ways of refusing (ILMS_BENCH_SHAPES names them).
var benchShapes = map[string]limit.Config{
	"token-bucket":   {Shape: limit.TokenBucket, Burst: 5},
	"fixed-window":   {Shape: limit.FixedWindow},
	"sliding-window": {Shape: limit.SlidingWindow},

	"token-bucket-503-none":   {Shape: limit.TokenBucket, Burst: 5, Status: 503, RetryAfter: limit.RetryNone},
	"fixed-window-date":       {Shape: limit.FixedWindow, RetryAfter: limit.RetryDate},
	"sliding-window-503-date": {Shape: limit.SlidingWindow, Status: 503, RetryAfter: limit.RetryDate},
}

func benchList(b *testing.B, env, def string) []string {
	v := os.Getenv(env)
	if v == "" {
		v = def
	}
	return strings.Split(v, ",")
}

// rateRun is one run of the command against a sandbox limited to rate.
type rateRun struct {
	wall              time.Duration
	accepted, refused int64
	pace              *report.Pace
	stderr            string
}

// runLimited serves an organization (the built-in seed, or users
// generated) with the limit of shape at rate and latency, and runs
// ilms-bulk args (an import into a run folder of its own) against it as a
// process with a cold cache.
func runLimited(b *testing.B, shape string, rate float64, latency time.Duration, users int, args ...string) rateRun {
	cfg, ok := benchShapes[shape]
	if !ok {
		b.Fatalf("no limiter shape %q", shape)
	}
	cfg.Rate = rate
	sb, err := connect.ServeSandbox(connect.SandboxOptions{Users: users, Faults: sandbox.Options{Limit: cfg, Latency: latency}})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	home := b.TempDir()
	dir := filepath.Join(home, "run")
	if args[0] == "import" {
		args = append(args, "--out", dir)
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"ILMS_BASE_URL=" + sb.URL, "ILMS_ORG_ID=" + sb.OrgID(), "ILMS_API_LOGIN_ID=" + sb.APILoginID(), "ILMS_TRANSACTION_KEY=" + sb.TransactionKey()}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", args, err, errb.String())
	}
	r := rateRun{wall: time.Since(start), stderr: errb.String()}
	st := sb.Stats()
	r.accepted, r.refused = st.Requests-st.RateLimited, st.RateLimited
	if s, err := os.ReadFile(filepath.Join(dir, "summary.json")); err == nil {
		var sum report.Summary
		if err := json.Unmarshal(s, &sum); err != nil {
			b.Fatal(err)
		}
		r.pace = sum.Pace
	}
	return r
}

func (r rateRun) report(b *testing.B, limit float64) {
	b.ReportMetric(100*float64(r.accepted)/(limit*r.wall.Seconds()), "%-of-limit")
	b.ReportMetric(100*float64(r.refused)/float64(r.accepted+r.refused), "%-429")
	b.ReportMetric(r.wall.Seconds(), "wall-s")
	if r.pace != nil {
		b.ReportMetric(r.pace.SettledSeconds, "settle-s")
		b.ReportMetric(r.pace.ServerRate, "found-req/s")
	}
}

// BenchmarkRateImport imports 3,000 new users with default flags (--rate
// auto) against every shape and limit, with 20 ms of latency.
func BenchmarkRateImport(b *testing.B) {
	file := filepath.Join(b.TempDir(), "people.csv")
	if out, err := exec.Command(binary, "generate", "users", "--rows", "3000", "-o", file).CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	for _, shape := range benchList(b, "ILMS_BENCH_SHAPES", "token-bucket,fixed-window,sliding-window") {
		for _, l := range benchList(b, "ILMS_BENCH_LIMITS", "10,30,50,80") {
			rate, err := strconv.ParseFloat(l, 64)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%s", shape, l), func(b *testing.B) {
				for b.Loop() {
					runLimited(b, shape, rate, 20*time.Millisecond, 0, "import", "users", file, "-q").report(b, rate)
				}
			})
		}
	}
}

// BenchmarkRateImportCeiling imports with --rate 40 against a limit of 80:
// the run holds 40 and sees no 429. Utilisation is of the 40.
func BenchmarkRateImportCeiling(b *testing.B) {
	file := filepath.Join(b.TempDir(), "people.csv")
	if out, err := exec.Command(binary, "generate", "users", "--rows", "3000", "-o", file).CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	for _, shape := range benchList(b, "ILMS_BENCH_SHAPES", "token-bucket,fixed-window,sliding-window") {
		b.Run(shape, func(b *testing.B) {
			for b.Loop() {
				runLimited(b, shape, 80, 20*time.Millisecond, 0, "import", "users", file, "--rate", "40", "-q").report(b, 40)
			}
		})
	}
}

// BenchmarkRateExport exports 300 users a page of one user at a time (300
// pages) with default flags against a limit of 20 pages a second and 50
// ms of latency.
func BenchmarkRateExport(b *testing.B) {
	for _, shape := range benchList(b, "ILMS_BENCH_SHAPES", "token-bucket,fixed-window,sliding-window") {
		b.Run(shape, func(b *testing.B) {
			for b.Loop() {
				out := filepath.Join(b.TempDir(), "users.csv")
				runLimited(b, shape, 20, 50*time.Millisecond, 300, "export", "users", "--status", "active,inactive,deleted", "--page-size", "1", "-o", out, "-q").report(b, 20)
			}
		})
	}
}
