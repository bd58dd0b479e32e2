package main

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
)

// TestSandboxReset imports into the saved --sandbox state, resets it, and
// finds the organization as the seed has it: the cohort is new again.
// With --state and --seed or --users it writes that start instead.
func TestSandboxReset(t *testing.T) {
	cache := []string{"XDG_CACHE_HOME=" + t.TempDir()}
	cohort := "../../testdata/cohort.xlsx"
	if r := runBinary(t, cache, "import", "users", cohort, "--sandbox", "--rate", "unlimited", "--out", t.TempDir()); r.code != 0 || !strings.Contains(r.stderr, "24 created, 1 updated") {
		t.Fatalf("import: exit %d\n%s", r.code, r.stderr)
	}
	r := runBinary(t, cache, "sandbox", "--reset")
	if r.code != 0 || !strings.Contains(r.stderr, "is back to the built-in seed") || r.stdout != "" {
		t.Fatalf("reset: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, cache, "import", "users", cohort, "--sandbox", "--dry-run", "--rate", "unlimited", "--out", t.TempDir())
	if r.code != 0 || !strings.Contains(r.stderr, "24 create, 1 update") {
		t.Errorf("after the reset the cohort should be new again: exit %d\n%s", r.code, r.stderr)
	}
	if r := runBinary(t, cache, "sandbox", "--reset"); r.code != 0 {
		t.Errorf("a reset of a reset sandbox: exit %d %s", r.code, r.stderr)
	}

	state := filepath.Join(t.TempDir(), "org.json")
	if r := runBinary(t, nil, "sandbox", "--reset", "--state", state, "--users", "7"); r.code != 0 {
		t.Fatalf("reset to a generated org: exit %d %s", r.code, r.stderr)
	}
	st, err := sandbox.LoadState(state)
	if err != nil || len(st.Users) != len(sandbox.GenerateOrg(sandbox.SeedOptions{Users: 7, Seed: 1, Enrollments: true}).Users) {
		t.Errorf("the state written: %v", err)
	}
	if r := runBinary(t, nil, "sandbox", "--reset", "--state", state); r.code != 0 {
		t.Fatalf("reset to the built-in seed: exit %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v): the next run would not start from the seed", state, err)
	}
	if r := runBinary(t, nil, "sandbox", "--reset", "--addr", "127.0.0.1:0"); r.code != 2 || !strings.Contains(r.stderr, "--addr") {
		t.Errorf("--reset with --addr: exit %d %q", r.code, r.stderr)
	}
}

func TestSandboxLimitFlagsReachTheOptions(t *testing.T) {
	opts := parse(t, "sandbox", "--rate", "50", "--limiter", "token-bucket", "--burst", "5", "--retry-after", "date", "--throttle-status", "503").(*connect.SandboxOptions)
	want := limit.Config{Shape: limit.TokenBucket, Burst: 5, RetryAfter: limit.RetryDate, Status: http.StatusServiceUnavailable}
	if opts.Faults.Rate != 50 || opts.Faults.Limit != want {
		t.Errorf("rate %g, limit %+v; want 50, %+v", opts.Faults.Rate, opts.Faults.Limit, want)
	}
	opts = parse(t, "sandbox").(*connect.SandboxOptions)
	want = limit.Config{Shape: limit.FixedWindow, Burst: 1, RetryAfter: limit.RetrySeconds, Status: http.StatusTooManyRequests}
	if opts.Faults.Rate != 0 || opts.Faults.Limit != want {
		t.Errorf("by default rate %g, limit %+v; want none, %+v", opts.Faults.Rate, opts.Faults.Limit, want)
	}
}

// TestSandboxRefusesABadLimit: a limit no server has is a usage error
// naming the flag, before the sandbox listens.
func TestSandboxRefusesABadLimit(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--limiter", "token-buckt"}, `--limiter "token-buckt": give one of token-bucket, fixed-window, sliding-window; did you mean token-bucket?`},
		{[]string{"--rate", "5", "--burst", "-1"}, `--burst "-1"`},
		{[]string{"--retry-after", "soon"}, `--retry-after "soon"`},
		{[]string{"--throttle-status", "500"}, `--throttle-status "500": give 429 or 503`},
		{[]string{"--reset", "--limiter", "sliding-window"}, "--limiter goes without it"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			args := append([]string{"sandbox"}, tc.args...)
			if !slices.Contains(args, "--reset") {
				// Should the limit pass, the sandbox would listen here.
				args = append(args, "--addr", "127.0.0.1:0")
			}
			r := runBinary(t, nil, args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Contains(r.stdout, "base URL") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", r.code, r.stdout, r.stderr, tc.want)
			}
		})
	}
}

// TestSandboxServesTheChosenLimit runs the binary with a token bucket
// of one request per 100 s answering 503 with an HTTP date: the second
// request is refused so.
func TestSandboxServesTheChosenLimit(t *testing.T) {
	url := startSandboxBinary(t, "--rate", "0.01", "--limiter", "token-bucket", "--retry-after", "date", "--throttle-status", "503")
	get := func() *http.Response {
		req, _ := http.NewRequest("GET", url+"/organizations/99999/groups/2", nil)
		req.Header.Set("APILoginID", "YBA3hyozzqWGeA2koTvI1Q==")
		req.Header.Set("TransactionKey", seedKey)
		req.Header.Set("OrgID", "99999")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(); resp.StatusCode != 200 {
		t.Fatalf("the first request: %d", resp.StatusCode)
	}
	resp := get()
	when, err := http.ParseTime(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 503 || err != nil || !when.After(time.Now().Add(time.Minute)) {
		t.Errorf("the second request: %d, Retry-After %q (%v); want 503 and a date over a minute ahead", resp.StatusCode, resp.Header.Get("Retry-After"), err)
	}
}
