package limit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// t0 is the fake clock's start: on a whole second, so a test can place
// requests against the fixed window's edges.
var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

const ms = time.Millisecond

func mustNew(t *testing.T, c Config) *Limiter {
	t.Helper()
	l, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestNewRefusesWhatNoServerDoes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		c      Config
		option string
	}{
		{"unknown shape", Config{Shape: "leaky-bucket", Rate: 5}, OptionShape},
		{"misspelt shape", Config{Shape: "token-buckt", Rate: 5}, OptionShape},
		{"negative rate", Config{Rate: -1}, OptionRate},
		{"burst below 0", Config{Shape: TokenBucket, Rate: 5, Burst: -1}, OptionBurst},
		{"unknown retry-after", Config{Rate: 5, RetryAfter: "minutes"}, OptionRetryAfter},
		{"status 500", Config{Rate: 5, Status: 500}, OptionStatus},
		{"status 200", Config{Rate: 5, Status: 200}, OptionStatus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := New(tc.c)
			var oe *validate.OptionError
			if !errors.As(err, &oe) || oe.Option != tc.option || !errors.Is(err, validate.ErrInvalid) || l != nil {
				t.Fatalf("New(%+v) = %v, %v; want an OptionError of %s", tc.c, l, err, tc.option)
			}
		})
	}
	_, err := New(Config{Shape: "token-buckt"})
	var oe *validate.OptionError
	if errors.As(err, &oe) && oe.Suggestion != string(TokenBucket) {
		t.Errorf("a near miss suggests %q", oe.Suggestion)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	got := mustNew(t, Config{Rate: 5}).Config()
	want := Config{Shape: FixedWindow, Rate: 5, Burst: 1, RetryAfter: RetrySeconds, Status: http.StatusTooManyRequests}
	if got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
	if ok, _ := mustNew(t, Config{}).Take(t0); !ok {
		t.Error("the zero Config refused a request")
	}
}

// step is one request of a script: when it arrives, and whether it is
// accepted or refused with which wait.
type step struct {
	at   time.Duration
	ok   bool
	wait time.Duration
}

func TestShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		c     Config
		steps []step
	}{
		{"no limit", Config{Shape: TokenBucket}, []step{{0, true, 0}, {0, true, 0}, {0, true, 0}}},
		{"fixed window counts each wall-clock second", Config{Shape: FixedWindow, Rate: 2}, []step{
			{0, true, 0}, {100 * ms, true, 0}, {200 * ms, false, 800 * ms}, {999 * ms, false, 1 * ms},
			{1000 * ms, true, 0}, {1999 * ms, true, 0}, {1999 * ms, false, 1 * ms},
		}},
		{"fixed window lets two seconds' worth through across an edge", Config{Shape: FixedWindow, Rate: 2}, []step{
			{900 * ms, true, 0}, {950 * ms, true, 0}, {960 * ms, false, 40 * ms},
			{1000 * ms, true, 0}, {1010 * ms, true, 0}, {1020 * ms, false, 980 * ms},
		}},
		{"fixed window rounds a fraction down", Config{Shape: FixedWindow, Rate: 2.9}, []step{
			{0, true, 0}, {0, true, 0}, {0, false, time.Second},
		}},
		{"fixed window allows one below 1/s", Config{Shape: FixedWindow, Rate: 0.5}, []step{
			{0, true, 0}, {0, false, time.Second}, {time.Second, true, 0},
		}},
		{"sliding window holds any second", Config{Shape: SlidingWindow, Rate: 2}, []step{
			{900 * ms, true, 0}, {950 * ms, true, 0}, {1000 * ms, false, 900 * ms}, {1020 * ms, false, 880 * ms},
			{1900 * ms, true, 0}, {1949 * ms, false, 1 * ms}, {1950 * ms, true, 0}, {1950 * ms, false, 950 * ms},
		}},
		{"token bucket starts full and refills", Config{Shape: TokenBucket, Rate: 10, Burst: 3}, []step{
			{0, true, 0}, {0, true, 0}, {0, true, 0}, {0, false, 100 * ms}, {50 * ms, false, 50 * ms},
			{100 * ms, true, 0}, {100 * ms, false, 100 * ms}, {250 * ms, true, 0}, {250 * ms, false, 50 * ms},
		}},
		{"token bucket holds no more than its burst", Config{Shape: TokenBucket, Rate: 10, Burst: 2}, []step{
			{0, true, 0}, {time.Hour, true, 0}, {time.Hour, true, 0}, {time.Hour, false, 100 * ms},
		}},
		{"token bucket of burst 1 spaces requests", Config{Shape: TokenBucket, Rate: 4}, []step{
			{0, true, 0}, {100 * ms, false, 150 * ms}, {250 * ms, true, 0}, {400 * ms, false, 100 * ms}, {500 * ms, true, 0},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := mustNew(t, tc.c)
			for i, s := range tc.steps {
				ok, wait := l.Take(at(s.at))
				if ok != s.ok || wait != s.wait {
					t.Errorf("request %d at +%v: %v, wait %v; want %v, wait %v", i, s.at, ok, wait, s.ok, s.wait)
				}
			}
		})
	}
}

// TestSustainedRate offers each shape 2 and 10 times its limit for a
// minute of fake time: it accepts the limit's rate, no more and no less,
// and no span of time holds more than the shape allows.
func TestSustainedRate(t *testing.T) {
	t.Parallel()
	const minute = 60 * time.Second
	for _, c := range []Config{
		{Shape: TokenBucket, Rate: 50, Burst: 5},
		{Shape: TokenBucket, Rate: 7.5, Burst: 2},
		// Arrivals that fall on the bucket's refills: see TokenBucket.
		{Shape: TokenBucket, Rate: 10, Burst: 1},
		{Shape: FixedWindow, Rate: 50},
		{Shape: FixedWindow, Rate: 10},
		{Shape: SlidingWindow, Rate: 50},
		{Shape: SlidingWindow, Rate: 10},
	} {
		for _, load := range []float64{2, 10} {
			t.Run(fmt.Sprintf("%s %g/s burst %d at %gx", c.Shape, c.Rate, c.Burst, load), func(t *testing.T) {
				t.Parallel()
				l := mustNew(t, c)
				// Start off a whole second, so the fixed window's first
				// second is a part one.
				start := at(370 * ms)
				every := time.Duration(float64(time.Second) / (c.Rate * load))
				var accepted []time.Time
				for now := start; now.Before(start.Add(minute)); now = now.Add(every) {
					if ok, wait := l.Take(now); ok {
						accepted = append(accepted, now)
					} else if wait <= 0 {
						t.Fatalf("refused at %v with a wait of %v", now.Sub(start), wait)
					}
				}
				want := c.Rate * minute.Seconds()
				slack := float64(c.Burst) // a full bucket at the start
				if c.Shape != TokenBucket {
					slack = c.Rate // a window more or less
				}
				if got := float64(len(accepted)); got < want-slack || got > want+slack {
					t.Errorf("accepted %.0f in a minute, want %.0f ± %.0f", got, want, slack)
				}
				checkSpans(t, l.Config(), accepted)
			})
		}
	}
}

// checkSpans checks accepted times against the shape's promise: at most
// Rate in a wall-clock second (fixed), in any second (sliding), or Burst
// plus Rate × d in any span d (token bucket).
func checkSpans(t *testing.T, c Config, accepted []time.Time) {
	t.Helper()
	n := perSecond(c.Rate)
	for i := range accepted {
		switch c.Shape {
		case FixedWindow:
			if i+n < len(accepted) && accepted[i+n].Truncate(time.Second).Equal(accepted[i].Truncate(time.Second)) {
				t.Fatalf("%d requests in the second of %v", n+1, accepted[i])
			}
		case SlidingWindow:
			if i+n < len(accepted) && accepted[i+n].Sub(accepted[i]) < time.Second {
				t.Fatalf("%d requests within %v", n+1, accepted[i+n].Sub(accepted[i]))
			}
		case TokenBucket:
			for j := i + c.Burst; j < len(accepted); j += 97 {
				d := accepted[j].Sub(accepted[i])
				if allowed := float64(c.Burst) + c.Rate*d.Seconds(); float64(j-i+1) > allowed+1e-6 {
					t.Fatalf("%d requests within %v; a bucket allows %.2f", j-i+1, d, allowed)
				}
			}
		}
	}
}

// TestWaitIsExact: a request refused with a wait is refused a nanosecond
// before the wait is over and accepted when it is, in every shape, for
// arrivals at random times.
func TestWaitIsExact(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{
		{Shape: TokenBucket, Rate: 50, Burst: 5},
		{Shape: TokenBucket, Rate: 3, Burst: 1},
		{Shape: FixedWindow, Rate: 20},
		{Shape: SlidingWindow, Rate: 20},
		{Shape: SlidingWindow, Rate: 1},
	} {
		t.Run(fmt.Sprintf("%s %g/s", c.Shape, c.Rate), func(t *testing.T) {
			t.Parallel()
			l := mustNew(t, c)
			rng := rand.New(rand.NewPCG(1, 2))
			now, refused := at(123*ms), 0
			// Arrivals 1.7 times the limit on average.
			gap := int64(1.2 * float64(time.Second) / c.Rate)
			for range 5000 {
				now = now.Add(time.Duration(rng.Int64N(gap)))
				ok, wait := l.Take(now)
				if ok {
					continue
				}
				refused++
				if wait <= 0 {
					t.Fatalf("refused with a wait of %v", wait)
				}
				if ok, _ := l.Take(now.Add(wait - 1)); ok {
					t.Fatalf("accepted 1ns before the wait of %v was over", wait)
				}
				now = now.Add(wait)
				if ok, w := l.Take(now); !ok {
					t.Fatalf("refused again after the wait of %v, now %v more", wait, w)
				}
			}
			if refused == 0 {
				t.Fatal("no request refused: the test proves nothing")
			}
		})
	}
}

// TestConcurrentTake: requests at one instant from many goroutines get
// exactly what the shape allows at that instant.
func TestConcurrentTake(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    Config
		want int64
	}{
		{Config{Shape: TokenBucket, Rate: 10, Burst: 7}, 7},
		{Config{Shape: FixedWindow, Rate: 12}, 12},
		{Config{Shape: SlidingWindow, Rate: 9}, 9},
	} {
		l := mustNew(t, tc.c)
		var accepted atomic.Int64
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 10 {
					if ok, _ := l.Take(t0); ok {
						accepted.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if got := accepted.Load(); got != tc.want {
			t.Errorf("%s: %d of 80 accepted at once, want %d", tc.c.Shape, got, tc.want)
		}
	}
}

func TestRefuse(t *testing.T) {
	t.Parallel()
	now := t0.Add(300 * ms)
	for _, tc := range []struct {
		name   string
		c      Config
		wait   time.Duration
		status int
		header string // "" for none
	}{
		{"seconds, a nanosecond", Config{Rate: 1}, 1, 429, "1"},
		{"seconds, one", Config{Rate: 1}, time.Second, 429, "1"},
		{"seconds, rounded up", Config{Rate: 1}, 1001 * ms, 429, "2"},
		{"seconds, 503", Config{Rate: 1, Status: 503}, 2500 * ms, 503, "3"},
		{"date, rounded up", Config{Rate: 1, RetryAfter: RetryDate}, 1200 * ms, 429, "Fri, 27 Nov 2026 12:00:02 GMT"},
		{"date, on a second", Config{Rate: 1, RetryAfter: RetryDate}, 700 * ms, 429, "Fri, 27 Nov 2026 12:00:01 GMT"},
		{"none", Config{Rate: 1, RetryAfter: RetryNone, Status: 503}, time.Second, 503, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			status := mustNew(t, tc.c).Refuse(h, now, tc.wait)
			if status != tc.status || h.Get("Retry-After") != tc.header || len(h.Values("Retry-After")) > 1 {
				t.Errorf("Refuse: %d, Retry-After %q; want %d, %q", status, h.Values("Retry-After"), tc.status, tc.header)
			}
			if tc.header == "" && len(h) != 0 {
				t.Errorf("headers %v, want none", h)
			}
			if tc.c.RetryAfter == RetryDate {
				when, err := http.ParseTime(h.Get("Retry-After"))
				if err != nil || when.Before(now.Add(tc.wait)) {
					t.Errorf("Retry-After %q: %v, %v; want a date no earlier than the wait", h.Get("Retry-After"), when, err)
				}
			}
		})
	}
}

func TestConfigString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{}, "no rate limit"},
		{Config{Rate: 10}, "fixed window of 10 a second, refusing with 429 and Retry-After in seconds"},
		{Config{Shape: TokenBucket, Rate: 50, Burst: 5, RetryAfter: RetryDate}, "token bucket of 50/s with a burst of 5, refusing with 429 and Retry-After as an HTTP date"},
		{Config{Shape: SlidingWindow, Rate: 20, RetryAfter: RetryNone, Status: 503}, "sliding window of 20 in any second, refusing with 503 and no Retry-After"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}
