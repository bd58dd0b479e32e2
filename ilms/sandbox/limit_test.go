package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
)

// TestLimitRefusals: a request over the limit is refused with the chosen
// status and Retry-After in the chosen form, in every shape; waiting as
// long as it says gets the next request through.
func TestLimitRefusals(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 27, 12, 0, 0, 400e6, time.UTC)
	for _, tc := range []struct {
		name   string
		limit  limit.Config
		status int
		form   limit.RetryAfter
	}{
		{"token bucket, seconds", limit.Config{Shape: limit.TokenBucket, Rate: 2, Burst: 3}, 429, limit.RetrySeconds},
		{"fixed window, date", limit.Config{Shape: limit.FixedWindow, Rate: 3, RetryAfter: limit.RetryDate}, 429, limit.RetryDate},
		{"sliding window, none", limit.Config{Shape: limit.SlidingWindow, Rate: 3, RetryAfter: limit.RetryNone}, 429, limit.RetryNone},
		{"token bucket, 503 with a date", limit.Config{Shape: limit.TokenBucket, Rate: 3, Burst: 3, RetryAfter: limit.RetryDate, Status: 503}, 503, limit.RetryDate},
		{"fixed window, 503 with seconds", limit.Config{Rate: 3, Status: 503}, 503, limit.RetrySeconds},
		{"sliding window, 503 with none", limit.Config{Shape: limit.SlidingWindow, Rate: 3, RetryAfter: limit.RetryNone, Status: 503}, 503, limit.RetryNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := &fixedClock{t: start}
			s, hs := serve(t, Options{Limit: tc.limit, Now: clock.now})
			for i := range 3 {
				if resp := call(t, hs, "GET", "/organizations/99999/groups/2", ""); resp.StatusCode != 200 {
					t.Fatalf("request %d of 3 under the limit: %d", i+1, resp.StatusCode)
				}
			}
			resp := call(t, hs, "GET", "/organizations/99999/groups/2", "")
			if resp.StatusCode != tc.status {
				t.Fatalf("over the limit: %d, want %d", resp.StatusCode, tc.status)
			}
			ra := resp.Header.Values("Retry-After")
			var wait time.Duration
			switch tc.form {
			case limit.RetrySeconds:
				secs, err := strconv.Atoi(strings.Join(ra, ","))
				if err != nil || secs < 1 {
					t.Fatalf("Retry-After %q, want whole seconds", ra)
				}
				wait = time.Duration(secs) * time.Second
			case limit.RetryDate:
				when, err := http.ParseTime(strings.Join(ra, ","))
				if err != nil || !when.After(start) {
					t.Fatalf("Retry-After %q (%v, %v), want an HTTP date after now", ra, when, err)
				}
				wait = when.Sub(start)
			case limit.RetryNone:
				if len(ra) != 0 {
					t.Fatalf("Retry-After %q, want none", ra)
				}
				wait = time.Second
			}
			if st := s.Stats(); st.RateLimited != 1 || st.Failed != 0 {
				t.Errorf("stats %+v, want one refusal of the limit", st)
			}
			clock.add(wait)
			if resp := call(t, hs, "GET", "/organizations/99999/groups/2", ""); resp.StatusCode != 200 {
				t.Errorf("after waiting %v as told: %d", wait, resp.StatusCode)
			}
		})
	}
}

// TestRateIsShortForTheLimitsRate: Options.Rate alone is a fixed window;
// with a Limit of no rate it is that limit's rate.
func TestRateIsShortForTheLimitsRate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts Options
		want limit.Config
	}{
		{Options{Rate: 5}, limit.Config{Shape: limit.FixedWindow, Rate: 5, Burst: 1, RetryAfter: limit.RetrySeconds, Status: 429}},
		{Options{Rate: 5, Limit: limit.Config{Shape: limit.TokenBucket, Burst: 4}}, limit.Config{Shape: limit.TokenBucket, Rate: 5, Burst: 4, RetryAfter: limit.RetrySeconds, Status: 429}},
		{Options{Rate: 5, Limit: limit.Config{Rate: 8, Status: 503}}, limit.Config{Shape: limit.FixedWindow, Rate: 8, Burst: 1, RetryAfter: limit.RetrySeconds, Status: 503}},
	} {
		s := New(loadSeed(t), tc.opts)
		if got := s.limiter.Config(); got != tc.want {
			t.Errorf("%+v: limit %+v, want %+v", tc.opts, got, tc.want)
		}
	}
}

// TestSetFaultsKeepsTheShape changes the rate while serving: the shape and
// the form of the refusal stay.
func TestSetFaultsKeepsTheShape(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	s, hs := serve(t, Options{Limit: limit.Config{Shape: limit.TokenBucket, Rate: 100, Burst: 10, Status: 503}, Now: clock.now})
	s.SetFaults(1, 0, 0)
	codes := map[int]int{}
	for range 12 {
		codes[call(t, hs, "GET", "/organizations/99999/groups/2", "").StatusCode]++
	}
	if codes[200] != 10 || codes[503] != 2 {
		t.Errorf("a bucket of 10 at 1/s: %v, want 10 answered and 2 refused with 503", codes)
	}
	s.SetFaults(0, 0, 0)
	if resp := call(t, hs, "GET", "/organizations/99999/groups/2", ""); resp.StatusCode != 200 {
		t.Errorf("rate 0 is no limit: %d", resp.StatusCode)
	}
}

func TestNewPanicsOnABadLimit(t *testing.T) {
	t.Parallel()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "throttle-status") {
			t.Errorf("recovered %v, want a panic naming the status", r)
		}
	}()
	New(loadSeed(t), Options{Limit: limit.Config{Rate: 1, Status: 500}})
}
