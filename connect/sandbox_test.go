package connect

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

func regionNames(t *testing.T, conn *Conn) []string {
	t.Helper()
	var names []string
	for u, err := range conn.Client.Hierarchy.Regions().All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, u.Name)
	}
	return names
}

// TestSandboxStatePersistsBetweenOpens changes the in-process sandbox in
// one Open and finds the change in the next, through the state file in
// the user's cache directory.
func TestSandboxStatePersistsBetweenOpens(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	want := filepath.Join(cache, "ilms-bulk", "sandbox-state.json")
	if got := SandboxStatePath(); got != want {
		t.Fatalf("SandboxStatePath() = %s, want %s", got, want)
	}
	ctx := context.Background()
	conn, err := Open(ctx, Options{Sandbox: true, Getenv: env{EnvBaseURL: "http://192.0.2.1", EnvOrgID: "1"}.get})
	if err != nil {
		t.Fatal(err)
	}
	if conn.Sandbox == nil || conn.BaseURL != conn.Sandbox.URL || conn.OrgID != sandbox.SeedOrgID {
		t.Fatalf("a sandbox connection to %s, org %s", conn.BaseURL, conn.OrgID)
	}
	if !strings.HasPrefix(conn.Sandbox.From, "built-in seed") {
		t.Errorf("the first sandbox starts from %q, want the built-in seed", conn.Sandbox.From)
	}
	if _, err := conn.Client.Hierarchy.CreateRegion(ctx, "Kept Region"); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("no state saved: %v", err)
	}

	conn, err = Open(ctx, Options{Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if conn.Sandbox.From != "state "+want {
		t.Errorf("the second sandbox starts from %q", conn.Sandbox.From)
	}
	found := false
	for _, name := range regionNames(t, conn) {
		found = found || name == "Kept Region"
	}
	if !found {
		t.Error("the region made by the first Open is not in the second")
	}
}

func TestBrokenSandboxStateIsAnInputError(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(`{"org_id": `), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Options{Sandbox: true, SandboxState: path})
	var fe *FileError
	if !errors.As(err, &fe) || !fe.Input() || fe.Path != path || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("Open on a broken state: %v", err)
	}
}

func TestServeSandboxChecksItsOptions(t *testing.T) {
	t.Parallel()
	sb, err := ServeSandbox(SandboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for _, tc := range []struct {
		opts   SandboxOptions
		option string
	}{
		{SandboxOptions{Faults: sandbox.Options{FailRate: 1.5}}, OptionFailRate},
		{SandboxOptions{Faults: sandbox.Options{FailRate: -0.1}}, OptionFailRate},
		{SandboxOptions{Faults: sandbox.Options{Latency: -1}}, OptionLatency},
		{SandboxOptions{Faults: sandbox.Options{Rate: float64(ilms.Auto)}}, OptionRate}, // a limit is not found, it is served
		{SandboxOptions{Faults: sandbox.Options{Rate: 5, Limit: limit.Config{Shape: "leaky-bucket"}}}, limit.OptionShape},
		{SandboxOptions{Faults: sandbox.Options{Limit: limit.Config{Shape: limit.TokenBucket, Rate: 5, Burst: -2}}}, limit.OptionBurst},
		{SandboxOptions{Faults: sandbox.Options{Rate: 5, Limit: limit.Config{RetryAfter: "soon"}}}, limit.OptionRetryAfter},
		{SandboxOptions{Faults: sandbox.Options{Rate: 5, Limit: limit.Config{Status: 500}}}, limit.OptionStatus},
		{SandboxOptions{Addr: strings.TrimPrefix(sb.URL, "http://")}, OptionAddr},
	} {
		s, err := ServeSandbox(tc.opts)
		var oe *validate.OptionError
		if !errors.As(err, &oe) || oe.Option != tc.option || !oe.Usage() {
			if s != nil {
				s.Close()
			}
			t.Errorf("%+v: %v, want an OptionError of %s", tc.opts, err, tc.option)
		}
	}
}

// TestBannerSaysTheLimit: the banner names the limit's shape and how it
// refuses, and the faults, only when there are any.
func TestBannerSaysTheLimit(t *testing.T) {
	t.Parallel()
	sb, err := ServeSandbox(SandboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for _, tc := range []struct {
		faults      sandbox.Options
		want, wantn []string
	}{
		{sandbox.Options{}, nil, []string{"rate limit", "faults"}},
		{sandbox.Options{Rate: 10}, []string{"rate limit      fixed window of 10 a second, refusing with 429 and Retry-After in seconds\n"}, []string{"faults"}},
		{sandbox.Options{Rate: 50, Latency: 20 * time.Millisecond, Limit: limit.Config{Shape: limit.TokenBucket, Burst: 5, RetryAfter: limit.RetryNone, Status: 503}},
			[]string{"rate limit      token bucket of 50/s with a burst of 5, refusing with 503 and no Retry-After\n", "faults          latency 20ms, fail rate 0\n"}, nil},
	} {
		var b strings.Builder
		sb.WriteBanner(&b, tc.faults)
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%+v: the banner lacks %q:\n%s", tc.faults, w, b.String())
			}
		}
		for _, w := range tc.wantn {
			if strings.Contains(b.String(), w) {
				t.Errorf("%+v: the banner says %q:\n%s", tc.faults, w, b.String())
			}
		}
	}
}

// TestResetSandbox writes a generated organization, then removes the
// state for the built-in seed, and says which each is.
func TestResetSandbox(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "org.json")
	got, from, err := ResetSandbox(SandboxOptions{State: path, Users: 7})
	if err != nil || got != path || !strings.HasPrefix(from, "generated: ") {
		t.Fatalf("reset to 7 users: %s, %q, %v", got, from, err)
	}
	st, err := sandbox.LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(sandbox.GenerateOrg(sandbox.SeedOptions{Users: 7, Seed: 1, Enrollments: true}).Users); len(st.Users) != want {
		t.Errorf("%d users, want %d", len(st.Users), want)
	}
	sb, err := ServeSandbox(SandboxOptions{State: path})
	if err != nil {
		t.Fatal(err)
	}
	if sb.From != "state "+path {
		t.Errorf("served from %q", sb.From)
	}
	sb.Close()

	if _, from, err = ResetSandbox(SandboxOptions{State: path}); err != nil || !strings.HasPrefix(from, "built-in seed: ") {
		t.Fatalf("reset to the seed: %q, %v", from, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s is still there (%v)", path, err)
	}
	if _, _, err := ResetSandbox(SandboxOptions{State: path}); err != nil {
		t.Errorf("a reset of a reset state: %v", err)
	}
	_, _, err = ResetSandbox(SandboxOptions{State: path, Seed: filepath.Join(t.TempDir(), "none.json")})
	if fe := (*FileError)(nil); !errors.As(err, &fe) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing seed: %v", err)
	}
}
