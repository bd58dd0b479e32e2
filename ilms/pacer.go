package ilms

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer spaces the requests of a whole run. It holds the one token bucket
// every worker shares, a "pause until" instant that a 429 or 503 sets for
// everyone at once (not only for the worker that got it), and, when
// adaptive, a rate that halves when the server pushes back and climbs back
// to the target as requests succeed.
//
// Time is read through now and waited through sleep so the algorithm can be
// tested without sleeping.
type Pacer struct {
	limiter  *rate.Limiter // nil: no limit
	target   rate.Limit
	floor    rate.Limit
	adaptive bool

	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu         sync.Mutex
	pauseUntil time.Time
	lastCut    time.Time
	// ceiling is the rate the server accepted when it last pushed back,
	// 0 before it ever did.
	ceiling rate.Limit
	// Successes are counted per second to know the accepted rate.
	second     time.Time
	thisSecond int
	lastSecond int
}

// PacerOption configures a Pacer.
type PacerOption func(*Pacer)

// Adaptive makes the pacer halve its rate on every throttling answer (at
// most once a second, however many workers see it) and climb back: quickly
// to just under the rate the server accepted when it pushed back, then
// slowly, probing, towards the limiter's initial rate. A server whose limit
// is under the asked rate is thus run close to its limit with few refusals.
func Adaptive() PacerOption { return func(p *Pacer) { p.adaptive = true } }

// WithClock replaces the clock and the sleep function, for tests.
func WithClock(now func() time.Time, sleep func(context.Context, time.Duration) error) PacerOption {
	return func(p *Pacer) { p.now, p.sleep = now, sleep }
}

// NewPacer returns a pacer around limiter, which may be nil for no limit.
// The limiter is shared, not copied: every client built on this pacer takes
// its tokens from it.
func NewPacer(limiter *rate.Limiter, opts ...PacerOption) *Pacer {
	p := &Pacer{limiter: limiter, now: time.Now, sleep: sleepCtx}
	if limiter != nil {
		p.target = limiter.Limit()
		p.floor = p.target / 16
		if p.floor < 0.5 {
			p.floor = 0.5
		}
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Wait blocks until the shared pause is over and a token is available. Every
// attempt, retries included, calls it once.
func (p *Pacer) Wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		d := p.pauseUntil.Sub(p.now())
		p.mu.Unlock()
		if d <= 0 {
			break
		}
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
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
	return ctx.Err()
}

// Throttled records that the server refused for load: a rate limit (429)
// or unavailability (503). Every worker pauses for retryAfter when the
// server gave one, and an adaptive pacer halves its rate. After a 429 it
// climbs back quickly to just under the rate the server was accepting;
// after a 503, which says nothing of a rate, to where it was.
func (p *Pacer) Throttled(retryAfter time.Duration) { p.throttled(retryAfter, true) }

// Unavailable records a 503: see Throttled.
func (p *Pacer) Unavailable(retryAfter time.Duration) { p.throttled(retryAfter, false) }

func (p *Pacer) throttled(retryAfter time.Duration, rateLimited bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if retryAfter > 0 {
		if until := now.Add(retryAfter); until.After(p.pauseUntil) {
			p.pauseUntil = until
		}
	}
	if !p.adaptive || p.limiter == nil || now.Sub(p.lastCut) < time.Second {
		return
	}
	p.lastCut = now
	cur := p.limiter.Limit()
	if rateLimited {
		accepted := rate.Limit(p.acceptedRate(now))
		if accepted <= 0 || accepted > cur {
			accepted = cur
		}
		p.ceiling = accepted
	} else if cur > p.ceiling {
		p.ceiling = cur
	}
	next := cur / 2
	if next < p.floor {
		next = p.floor
	}
	p.limiter.SetLimitAt(now, next)
}

// acceptedRate is the successes of the last full second (or of this one,
// early in a run). Called with mu held.
func (p *Pacer) acceptedRate(now time.Time) int {
	p.roll(now)
	return max(p.lastSecond, p.thisSecond)
}

// roll moves the success counters to the second of now.
func (p *Pacer) roll(now time.Time) {
	switch d := now.Sub(p.second); {
	case d < time.Second:
	case d < 2*time.Second:
		p.second, p.lastSecond, p.thisSecond = p.second.Add(time.Second), p.thisSecond, 0
	default:
		p.second, p.lastSecond, p.thisSecond = now, 0, 0
	}
}

// Succeeded records a request the server accepted. An adaptive pacer below
// its target climbs back: by half the server's accepted rate per second of
// successes up to 98% of it, then by 1% of it every thirty seconds, so that
// a server's limit is probed rarely, each probe costing a pause; with no
// push-back seen yet, by a fifth of the target per second.
func (p *Pacer) Succeeded() {
	if !p.adaptive || p.limiter == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.roll(now)
	p.thisSecond++
	cur := p.limiter.Limit()
	if cur >= p.target {
		return
	}
	var step rate.Limit // per second of successes
	switch {
	case p.ceiling == 0:
		step = p.target / 5
	case cur < p.ceiling*98/100:
		step = p.ceiling / 2
	default:
		step = p.ceiling / 3000
		if cur > p.ceiling*11/10 {
			p.ceiling = 0 // the server takes more now than it did
		}
	}
	next := min(cur+step/cur, p.target)
	p.limiter.SetLimitAt(now, next)
}

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
