package ilms

import (
	"context"
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer spaces the requests of a whole run. It holds the one token bucket
// every worker shares and a "pause until" instant that holds every worker
// at once (not only the one that was refused).
//
// A plain pacer (NewPacer with a limiter) sends at the limiter's rate, and
// a 429 or 503 with a Retry-After pauses every worker for that long. An
// automatic one (WithAuto) sends at the rate its AutoRate finds the server
// to accept, and keeps no more requests in flight than that rate needs
// for the answers' latency: a refusal pauses everyone only as long as the
// controller says (the server's bucket lacks a token, not a second), and
// so does the refused request, unless its Retry-After is long (RetryWait).
// A pause holds the turns already queued for a token as well, and a
// refusal for load is tried again as the pace, not counted as a failure
// (Client.paced).
//
// Time is read through now and waited through sleep so the algorithm can be
// tested without sleeping.
type Pacer struct {
	limiter *rate.Limiter // nil: no limit
	auto    *AutoRate     // nil: the limiter's rate, fixed

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	// next is held by the one turn that has reserved the next token:
	// the others queue behind it, not in the limiter, so that a pause
	// costs the token of one turn held, not of every turn queued, and
	// the turns queued take a rate that changed when they reserve. (The
	// turn holding keeps the token it reserved at the rate before: at
	// the least rate auto sends at, half a request a second, that is
	// two seconds at most.)
	next chan struct{}

	mu         sync.Mutex
	pauseUntil time.Time
	// With auto: the requests between Wait and Done, the slots they may
	// take (rate × latency, and some), and a channel closed when one is
	// freed.
	inFlight int
	latency  time.Duration // a moving average of the answers' time
	freed    chan struct{}
	// says429: the server has refused with 429, so it says "too many"
	// with that; its 503s are then failures, not load.
	says429 bool
}

// PacerOption configures a Pacer.
type PacerOption func(*Pacer)

// WithAuto makes the pacer send at the rate a finds (see AutoRate),
// starting at a.Rate(): every answer is told to a, and the rate and the
// requests in flight follow it. It replaces the limiter NewPacer was
// given.
func WithAuto(a *AutoRate) PacerOption {
	return func(p *Pacer) {
		p.auto = a
		p.limiter = rate.NewLimiter(a.spaced(), 1)
	}
}

// WithClock replaces the clock and the sleep function, for tests.
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) PacerOption {
	return func(p *Pacer) { p.now, p.sleep = now, sleep }
}

// NewPacer returns a pacer around limiter, which may be nil for no limit.
// The limiter is shared, not copied: every client built on this pacer takes
// its tokens from it.
func NewPacer(limiter *rate.Limiter, opts ...PacerOption) *Pacer {
	p := &Pacer{limiter: limiter, now: time.Now, sleep: sleepCtx, latency: startLatency, next: make(chan struct{}, 1)}
	for _, o := range opts {
		o(p)
	}
	return p
}

// startLatency is the answers' time assumed before one is measured.
const startLatency = 100 * time.Millisecond

// Turn is one attempt's place in the pace: Wait gives it, and Done takes
// the answer back.
type Turn struct {
	p    *Pacer
	sent time.Time
	slot bool // holds an in-flight slot
}

// Wait blocks until the shared pause is over, a slot in flight is free
// (automatic pacing) and a token is available. Every attempt, retries
// included, calls it once, and calls Done on the Turn once it has an
// answer or none.
func (p *Pacer) Wait(ctx context.Context) (Turn, error) {
	t := Turn{p: p}
	if p.auto != nil {
		if err := p.enter(ctx); err != nil {
			return t, err
		}
		t.slot = true
	}
	if err := p.wait(ctx); err != nil {
		t.Done(0, 0)
		return Turn{p: p}, err
	}
	t.sent = p.now()
	return t, nil
}

func (p *Pacer) wait(ctx context.Context) error {
	if p.limiter != nil {
		select {
		case p.next <- struct{}{}:
			defer func() { <-p.next }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		if err := p.waitPause(ctx); err != nil {
			return err
		}
		if p.limiter == nil {
			return ctx.Err()
		}
		now := p.now()
		r := p.limiter.ReserveN(now, 1)
		if !r.OK() {
			return ctx.Err()
		}
		if d := r.DelayFrom(now); d > 0 {
			if err := p.sleep(ctx, d); err != nil {
				r.CancelAt(p.now())
				return err
			}
		}
		// A refusal heard while this turn waited for its token pauses
		// it too: it would otherwise be sent into a server that has
		// just said it is full. It takes a token again after the
		// pause, so that the turns behind it do not go at once. (A
		// rate lowered since it queued does not: its token is spent,
		// and queueing again would pay for it twice at the lower rate.)
		if !p.paused() {
			return ctx.Err()
		}
	}
}

// waitPause sleeps until the shared pause is over.
func (p *Pacer) waitPause(ctx context.Context) error {
	for {
		p.mu.Lock()
		d := p.pauseUntil.Sub(p.now())
		p.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// paused says whether the shared pause holds now.
func (p *Pacer) paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pauseUntil.After(p.now())
}

// enter takes a slot in flight, waiting for one while the rate needs no
// more than are taken.
func (p *Pacer) enter(ctx context.Context) error {
	for {
		p.mu.Lock()
		if p.inFlight < p.slots() {
			p.inFlight++
			p.mu.Unlock()
			return nil
		}
		if p.freed == nil {
			p.freed = make(chan struct{})
		}
		freed := p.freed
		p.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// slots is the requests an automatic pacer keeps in flight: those its
// rate needs for the answers' latency, twice over (a request waits for
// its token in a slot too), and two more. Called with mu held.
func (p *Pacer) slots() int {
	// A rate past any a server takes (--rate 1e20) would overflow an int.
	return int(min(math.Ceil(p.auto.Rate()*p.latency.Seconds()*2), maxSlots)) + 2
}

// maxSlots bounds the requests in flight a rate asks for; --workers
// bounds them well under it.
const maxSlots = 1 << 20

// Done ends the turn with the answer's status, 0 when none came: a 429 or
// a 503 is a refusal for load (see refusedForLoad), any other status an
// acceptance. retryAfter
// is the answer's Retry-After, 0 when it had none. A plain pacer pauses
// every worker for it; an automatic one hears the answer and pauses every
// worker as long as its AutoRate says, or for a Retry-After longer than a
// few seconds.
func (t Turn) Done(status int, retryAfter time.Duration) {
	p := t.p
	if p == nil {
		return
	}
	refused := p.refusedForLoad(status)
	if p.auto == nil {
		if refused {
			p.Pause(retryAfter)
		}
		return
	}
	if refused && retryAfter > autoHonour {
		p.Pause(retryAfter)
	}
	now := p.now()
	var pause time.Duration
	if status != 0 && !t.sent.IsZero() {
		pause = p.auto.Answer(t.sent, now, !refused)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.slot {
		p.inFlight--
		if p.freed != nil {
			close(p.freed)
			p.freed = nil
		}
	}
	if status == 0 || t.sent.IsZero() {
		return
	}
	// A moving average over some twenty answers.
	p.latency += (now.Sub(t.sent) - p.latency) / 20
	if until := now.Add(pause); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
	if r := p.auto.spaced(); r != p.limiter.Limit() {
		p.limiter.SetLimitAt(now, r)
	}
}

// refusedForLoad hears status and says whether it refuses a request for
// load (see loadStatus); a 429 teaches the pacer that this server says
// "too many" with it.
func (p *Pacer) refusedForLoad(status int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if status == http.StatusTooManyRequests {
		p.says429 = true
	}
	return p.isLoad(status)
}

// loadStatus says, without hearing it, whether status is a refusal for
// load from this server.
func (p *Pacer) loadStatus(status int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.isLoad(status)
}

// isLoad is the rule: 429, or 503 from a server that has not answered
// 429 (a server that refuses with 429 fails with 503: a gateway's fault,
// not a full bucket, which must not slow the run). Called with mu held.
func (p *Pacer) isLoad(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable && !p.says429
}

// RetryWait is how long a request refused with a Retry-After of d waits
// before it is sent again. A plain pacer holds every worker for d, and
// the request with them. An automatic one knows better than a Retry-After
// of a few seconds (a bucket that lacks a token says "1"): the request
// waits only for the pause and the turn the pacer gives it; a longer one
// (a quota spent for an hour) holds every worker for all of it.
func (p *Pacer) RetryWait(d time.Duration) time.Duration {
	if p.auto != nil && d <= autoHonour {
		return 0
	}
	return d
}

// autoHonour is the longest Retry-After an automatic pacer answers with
// its own pause.
const autoHonour = 5 * time.Second

// Pause holds every worker for d from now.
func (p *Pacer) Pause(d time.Duration) {
	if d <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := p.now().Add(d); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
}

// Auto returns the pacer's AutoRate, nil for a plain pacer.
func (p *Pacer) Auto() *AutoRate { return p.auto }

// Limit returns the rate in force now (requests per second), or rate.Inf.
func (p *Pacer) Limit() rate.Limit {
	if p.limiter == nil {
		return rate.Inf
	}
	return p.limiter.Limit()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
