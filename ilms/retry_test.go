package ilms

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// fakeClock is a clock that moves only when the pacer sleeps, so retry
// timing is tested without sleeping.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	slept  []time.Duration
	frozen bool // sleeps are recorded but time does not move
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.slept = append(f.slept, d)
	if !f.frozen {
		f.now = f.now.Add(d)
	}
	return ctx.Err()
}

func (f *fakeClock) total() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var t time.Duration
	for _, d := range f.slept {
		t += d
	}
	return t
}

// clocked builds the client's pacer on a fake clock.
func clocked(clock *fakeClock, limiter *rate.Limiter, extra ...PacerOption) func(*Options) {
	return func(o *Options) {
		o.Pacer = NewPacer(limiter, append([]PacerOption{WithClock(clock.Now, clock.Sleep)}, extra...)...)
	}
}

// sequence answers successive requests with the given statuses (the last
// one repeats), counting them.
func sequence(n *atomic.Int32, statuses []int, header map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		st := statuses[min(i, len(statuses)-1)]
		if st >= 400 {
			for k, v := range header {
				w.Header().Set(k, v)
			}
		}
		w.WriteHeader(st)
		if st < 300 {
			io.WriteString(w, body)
		} else {
			io.WriteString(w, `{"Message":"busy"}`)
		}
	}
}

func TestRetry429HonoursRetryAfterSeconds(t *testing.T) {
	clock := newFakeClock()
	c, mux := setup(t, clocked(clock, nil))
	var n atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups/2", sequence(&n, []int{429, 200}, map[string]string{"Retry-After": "2"}, `{"ID":2,"Name":"Sales"}`))
	g, err := c.Groups.Get(ctx(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "Sales" || n.Load() != 2 {
		t.Errorf("got %+v after %d requests, want Sales after 2", g, n.Load())
	}
	if got := clock.total(); got < 2*time.Second {
		t.Errorf("waited %v before retrying, want at least Retry-After 2s", got)
	}
}

func TestRetry429HonoursRetryAfterHTTPDate(t *testing.T) {
	clock := newFakeClock()
	c, mux := setup(t, clocked(clock, nil))
	c.now = clock.Now
	var n atomic.Int32
	when := clock.Now().Add(5 * time.Second).Format(http.TimeFormat)
	mux.HandleFunc("GET /organizations/99999/groups/2", sequence(&n, []int{429, 200}, map[string]string{"Retry-After": when}, `{"ID":2}`))
	if _, err := c.Groups.Get(ctx(t), 2); err != nil {
		t.Fatal(err)
	}
	if got := clock.total(); got < 5*time.Second || got > 6*time.Second {
		t.Errorf("waited %v, want the 5s until the Retry-After date", got)
	}
}

func TestRetryableAnswersForReads(t *testing.T) {
	for _, st := range []int{429, 502, 503, 504} {
		clock := newFakeClock()
		c, mux := setup(t, clocked(clock, nil))
		var n atomic.Int32
		mux.HandleFunc("GET /organizations/99999/courses/x", sequence(&n, []int{st, st, 200}, nil, `{"ID":"x"}`))
		if _, err := c.Courses.Get(ctx(t), "x"); err != nil {
			t.Errorf("%d twice then 200: %v", st, err)
		}
		if n.Load() != 3 {
			t.Errorf("%d: %d attempts, want 3", st, n.Load())
		}
	}
	for _, st := range []int{400, 401, 403, 404, 415, 500} {
		c, mux := setup(t, clocked(newFakeClock(), nil))
		var n atomic.Int32
		mux.HandleFunc("GET /organizations/99999/courses/x", sequence(&n, []int{st, 200}, nil, `{}`))
		_, err := c.Courses.Get(ctx(t), "x")
		if StatusCode(err) != st || n.Load() != 1 {
			t.Errorf("%d: err %v after %d attempts, want that status after 1", st, err, n.Load())
		}
	}
}

func TestPUTAndDELETERetried(t *testing.T) {
	c, mux := setup(t, clocked(newFakeClock(), nil))
	var puts, dels atomic.Int32
	mux.HandleFunc("PUT /organizations/99999/groups/3/refresh", sequence(&puts, []int{503, 204}, nil, ""))
	mux.HandleFunc("DELETE /organizations/99999/users/7", sequence(&dels, []int{504, 204}, nil, ""))
	if err := c.Groups.Refresh(ctx(t), 3); err != nil || puts.Load() != 2 {
		t.Errorf("PUT: %v after %d attempts", err, puts.Load())
	}
	if err := c.Users.Delete(ctx(t), 7); err != nil || dels.Load() != 2 {
		t.Errorf("DELETE: %v after %d attempts", err, dels.Load())
	}
}

func TestPOSTNotRetriedAfter503(t *testing.T) {
	c, mux := setup(t, clocked(newFakeClock(), nil))
	var n atomic.Int32
	mux.HandleFunc("POST /organizations/99999/users", sequence(&n, []int{503, 201}, nil, "1"))
	_, err := c.Users.Create(ctx(t), NewUser{})
	if !IsUnavailable(err) {
		t.Fatalf("err = %v, want the 503", err)
	}
	if n.Load() != 1 {
		t.Errorf("POST sent %d times after a 503, want once", n.Load())
	}
	if !OutcomeUnknown(err) {
		t.Error("a POST answered 503 should leave its outcome unknown")
	}
}

func TestPOSTRetriedAfter429(t *testing.T) {
	c, mux := setup(t, clocked(newFakeClock(), nil))
	var n atomic.Int32
	mux.HandleFunc("POST /organizations/99999/users", sequence(&n, []int{429, 201}, map[string]string{"Retry-After": "1"}, "777"))
	id, err := c.Users.Create(ctx(t), NewUser{})
	if err != nil || id != 777 || n.Load() != 2 {
		t.Errorf("got %d, %v after %d attempts; want 777 after 2", id, err, n.Load())
	}
}

// dropAfterRead reads the request, then closes the connection without an
// answer: the request reached the server, the outcome is unknown.
func dropAfterRead(n *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

func TestPOSTNotRetriedAfterConnectionDrop(t *testing.T) {
	c, mux := setup(t, clocked(newFakeClock(), nil))
	var posts, gets atomic.Int32
	mux.HandleFunc("POST /organizations/99999/users", dropAfterRead(&posts))
	mux.HandleFunc("GET /organizations/99999/users/5", dropAfterRead(&gets))
	_, err := c.Users.Create(ctx(t), NewUser{})
	if err == nil || posts.Load() != 1 {
		t.Errorf("POST: err %v after %d sends, want an error after 1", err, posts.Load())
	}
	if !OutcomeUnknown(err) {
		t.Errorf("outcome of a dropped POST should be unknown: %v", err)
	}
	if _, err := c.Users.Get(ctx(t), 5); err == nil || gets.Load() != 5 {
		t.Errorf("GET: err %v after %d sends, want an error after 5 attempts", err, gets.Load())
	}
}

func TestPOSTRetriedWhenNeverSent(t *testing.T) {
	// A port nobody listens on: every attempt is refused before sending.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var attempts atomic.Int32
	clock := newFakeClock()
	c, err := NewClient(Options{
		BaseURL: "http://" + addr, OrgID: testOrg, Credentials: Credentials{APILoginID: testLogin, TransactionKey: testKey},
		MaxAttempts: 3, Pacer: NewPacer(nil, WithClock(clock.Now, clock.Sleep)),
		OnAttempt: func(Attempt) { attempts.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Create(ctx(t), NewUser{})
	var unsent *UnsentError
	if !errors.As(err, &unsent) {
		t.Fatalf("err = %v, want an UnsentError", err)
	}
	if attempts.Load() != 3 {
		t.Errorf("%d attempts, want all 3: a POST that never left may be sent again", attempts.Load())
	}
	if OutcomeUnknown(err) {
		t.Error("a request that was never sent has a known outcome")
	}
}

func TestMaxAttempts(t *testing.T) {
	var attempts []Attempt
	var mu sync.Mutex
	c, mux := setup(t, clocked(newFakeClock(), nil), func(o *Options) {
		o.MaxAttempts = 2
		o.OnAttempt = func(a Attempt) { mu.Lock(); attempts = append(attempts, a); mu.Unlock() }
	})
	var n atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups/2", sequence(&n, []int{503}, nil, ""))
	_, err := c.Groups.Get(ctx(t), 2)
	if !IsUnavailable(err) || n.Load() != 2 {
		t.Fatalf("err %v after %d attempts, want 503 after 2", err, n.Load())
	}
	if len(attempts) != 2 || !attempts[0].Retry || attempts[1].Retry || attempts[1].Number != 2 || attempts[0].StatusCode != 503 {
		t.Errorf("attempts reported: %+v", attempts)
	}
}

// TestEveryAttemptTakesAToken: with a frozen clock, the bucket (burst 1)
// goes one token below zero per attempt, retries included.
func TestEveryAttemptTakesAToken(t *testing.T) {
	clock := newFakeClock()
	clock.frozen = true
	lim := rate.NewLimiter(1, 1)
	c, mux := setup(t, clocked(clock, lim))
	var n atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups/2", sequence(&n, []int{502, 502, 200}, nil, `{"ID":2}`))
	if _, err := c.Groups.Get(ctx(t), 2); err != nil {
		t.Fatal(err)
	}
	if got := lim.TokensAt(clock.Now()); got != -2 {
		t.Errorf("tokens after 3 attempts = %v, want -2 (one per attempt)", got)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c, _ := setup(t, func(o *Options) { o.MinBackoff, o.MaxBackoff = 100*time.Millisecond, time.Second })
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 9: time.Second} {
		for range 20 {
			if d := c.backoff(attempt); d < want/2 || d > want {
				t.Errorf("backoff(%d) = %v, want within [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}

func TestThrottlingPausesEveryWorker(t *testing.T) {
	clock := newFakeClock()
	p := NewPacer(nil, WithClock(clock.Now, clock.Sleep))
	turn, err := p.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	turn.Done(http.StatusTooManyRequests, 3*time.Second)
	start := clock.Now()
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := clock.Now().Sub(start); waited != 3*time.Second {
		t.Errorf("a worker that did not see the 429 waited %v, want the shared 3s pause", waited)
	}
}

// An automatic pacer does not idle every worker, nor the refused request,
// for a 429's Retry-After of a second or two (a bucket short of a token
// says "1"): they pause only as long as its AutoRate says. A long one (a
// quota spent for an hour) holds them all.
func TestAutoPacerPausesBriefly(t *testing.T) {
	clock := newFakeClock()
	opt := WithAuto(NewAutoRate(50, 0, clock.Now()))
	c, mux := setup(t, func(o *Options) { o.Pacer = NewPacer(nil, opt, WithClock(clock.Now, clock.Sleep)) })
	var n atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups/2", sequence(&n, []int{429, 200}, map[string]string{"Retry-After": "2"}, `{"ID":2}`))
	if _, err := c.Groups.Get(ctx(t), 2); err != nil {
		t.Fatal(err)
	}
	if got := clock.total(); got > 500*time.Millisecond {
		t.Errorf("the refused request waited %v for its Retry-After of 2s, want only a short pause", got)
	}
	p := c.Pacer()
	for range 100 { // a second and more of acceptances at 50/s
		turn, err := p.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		turn.Done(http.StatusOK, 0)
	}
	for _, tc := range []struct {
		retryAfter, min, max time.Duration
	}{{time.Second, 0, 100 * time.Millisecond}, {time.Hour, time.Hour, time.Hour + time.Second}} {
		turn, err := p.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		turn.Done(http.StatusTooManyRequests, tc.retryAfter)
		start := clock.Now()
		if _, err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if waited := clock.Now().Sub(start); waited < tc.min || waited > tc.max {
			t.Errorf("after a 429 with Retry-After %v another worker waited %v, want %v to %v", tc.retryAfter, waited, tc.min, tc.max)
		}
		if got := p.RetryWait(tc.retryAfter); got != tc.min {
			t.Errorf("RetryWait(%v) = %v, want %v", tc.retryAfter, got, tc.min)
		}
	}
}

// A pause set while a turn waits for its token holds that turn too: the
// turns queued for tokens are not sent into a server that has just
// refused, and after the pause they are spaced again, not sent at once.
func TestAPauseHoldsTurnsWaitingForTokens(t *testing.T) {
	for _, auto := range []bool{false, true} {
		clock := newFakeClock()
		var p *Pacer
		paused := false
		sleep := func(ctx context.Context, d time.Duration) error {
			if !paused {
				// Another worker's request is refused while this one
				// waits for its token.
				paused = true
				p.Pause(time.Second)
			}
			return clock.Sleep(ctx, d)
		}
		opts := []PacerOption{WithClock(clock.Now, sleep)}
		if auto {
			opts = append(opts, WithAuto(NewAutoRate(10, 10, clock.Now())))
		}
		p = NewPacer(rate.NewLimiter(10, 1), opts...)
		start := clock.Now()
		first, err := p.Wait(context.Background()) // the bucket's one token
		if err != nil {
			t.Fatal(err)
		}
		second, err := p.Wait(context.Background()) // waits 100 ms for its token
		if err != nil {
			t.Fatal(err)
		}
		if sent := second.sent.Sub(start); sent < time.Second {
			t.Errorf("auto %v: the turn waiting for its token was sent %v after the first, inside the 1s pause set while it waited", auto, sent)
		}
		first.Done(http.StatusOK, 0)
		second.Done(http.StatusOK, 0)
	}
}

// A refusal for load is the pace to an automatic pacer, not a failure: a
// request refused more times than its attempts still goes through, a POST
// too (a 429 is a refusal before any work), up to maxRefusals. A plain
// pacer counts them as attempts, and a 503 to a POST, which may have
// acted, is never tried again.
func TestRefusalsAreThePaceNotFailures(t *testing.T) {
	refusedTen := append(slices.Repeat([]int{429}, 10), 200)
	for _, tc := range []struct {
		name     string
		auto     bool
		method   string
		statuses []int
		ok       bool
		calls    int32
	}{
		{"auto, GET refused 10 times", true, "GET", refusedTen, true, 11},
		{"auto, POST refused 10 times", true, "POST", refusedTen, true, 11},
		{"auto, refused for ever", true, "GET", []int{429}, false, maxRefusals + 5},
		{"plain, GET refused 10 times", false, "GET", refusedTen, false, 5},
		{"auto, POST answered 503", true, "POST", []int{503, 200}, false, 1},
		{"auto, GET answered 503", true, "GET", []int{503, 503, 503, 503, 503, 503, 200}, true, 7},
	} {
		clock := newFakeClock()
		pacer := NewPacer(nil, WithClock(clock.Now, clock.Sleep))
		if tc.auto {
			pacer = NewPacer(nil, WithAuto(NewAutoRate(50, 0, clock.Now())), WithClock(clock.Now, clock.Sleep))
		}
		c, mux := setup(t, func(o *Options) { o.Pacer = pacer; o.MinBackoff = time.Millisecond })
		var n atomic.Int32
		mux.HandleFunc("GET /organizations/99999/groups/2", sequence(&n, tc.statuses, nil, `{"ID":2}`))
		mux.HandleFunc("POST /organizations/99999/groups/2/members", sequence(&n, tc.statuses, nil, `{}`))
		var err error
		if tc.method == "GET" {
			_, err = c.Groups.Get(ctx(t), 2)
		} else {
			err = c.Groups.AddMember(ctx(t), 2, 7)
		}
		if (err == nil) != tc.ok || n.Load() != tc.calls {
			t.Errorf("%s: %d calls, error %v; want %d calls, success %v", tc.name, n.Load(), err, tc.calls, tc.ok)
		}
	}
}

// A 503 is a refusal for load until the server has refused with 429:
// then it says "too many" with that, and its 503s are failures that must
// not slow the run.
func TestA503IsLoadOnlyFromAServerThatNever429s(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before int // the status of an answer before the 503, or 0
		load   bool
	}{{"alone", 0, true}, {"after a 200", http.StatusOK, true}, {"after a 429", http.StatusTooManyRequests, false}} {
		clock := newFakeClock()
		p := NewPacer(nil, WithAuto(NewAutoRate(50, 50, clock.Now())), WithClock(clock.Now, clock.Sleep))
		answer := func(status int) {
			turn, err := p.Wait(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			clock.Sleep(context.Background(), 20*time.Millisecond)
			turn.Done(status, 0)
		}
		for range 60 {
			answer(http.StatusOK)
		}
		if tc.before != 0 {
			answer(tc.before)
		}
		answer(http.StatusServiceUnavailable)
		// A refusal for load pauses every worker a little.
		if paused := p.pauseUntil.After(clock.Now()); paused != tc.load {
			t.Errorf("%s: a 503 paused the run: %v, want %v", tc.name, paused, tc.load)
		}
	}
}

// An automatic pacer keeps as many requests in flight as its rate needs
// for the answers' latency, and no more: the next Wait blocks until a
// request in flight is answered.
func TestAutoPacerBoundsRequestsInFlight(t *testing.T) {
	p := NewPacer(nil, WithAuto(NewAutoRate(10, 10, time.Now())))
	want := p.slots() // 10/s × 100 ms assumed latency × 2, and 2
	if want != 4 {
		t.Fatalf("slots = %d at 10/s and 100 ms, want 4", want)
	}
	var turns []Turn
	ctx := context.Background()
	for range want {
		turn, err := p.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		turns = append(turns, turn)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := p.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a request beyond the %d in flight was let through (err %v)", want, err)
	}
	done := make(chan error, 1)
	go func() {
		turn, err := p.Wait(ctx)
		turn.Done(http.StatusOK, 0)
		done <- err
	}()
	turns[0].Done(http.StatusOK, 0)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an answer did not free its slot")
	}
}

func TestWaitStopsOnCancel(t *testing.T) {
	p := NewPacer(rate.NewLimiter(0.001, 1))
	p.Pause(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { _, err := p.Wait(ctx); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait ignored the cancelled context")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "0": 0, "1": time.Second, "120": 2 * time.Minute, "-3": 0, "soon": 0,
		now.Add(10 * time.Second).Format(http.TimeFormat):  10 * time.Second,
		now.Add(-10 * time.Second).Format(http.TimeFormat): 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	for in, want := range map[string]string{
		`{"Message":"Email ID 'x' is already used."}`: "Email ID 'x' is already used.",
		`{"message":"lower"}`:                         "lower",
		`"a JSON string"`:                             "a JSON string",
		"  plain text \n":                             "plain text",
		"":                                            "",
	} {
		if got := errorMessage([]byte(in)); got != want {
			t.Errorf("errorMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreatedID(t *testing.T) {
	for _, tc := range []struct {
		body, loc string
		want      int64
	}{
		{"123456", "", 123456},
		{`"123456"`, "", 123456},
		{`{"ID":42}`, "", 42},
		{"", "https://api.inspiredlms.com/organizations/99999/users/123456", 123456},
		{"", "<https://api.inspiredlms.com/organizations/99999/regions/77>", 77},
	} {
		got, err := createdID([]byte(tc.body), tc.loc, asIs)
		if err != nil || got != tc.want {
			t.Errorf("createdID(%q, %q) = %d, %v; want %d", tc.body, tc.loc, got, err, tc.want)
		}
	}
	if _, err := createdID(nil, "", asIs); err == nil {
		t.Error("no body and no Location should be an error")
	}
}

// asIs is createdID's redact for answers with no secrets in them.
func asIs(s string) string { return s }
