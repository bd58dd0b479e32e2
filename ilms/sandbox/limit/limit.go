// Package limit is server-side rate limits in the shapes real servers
// have: a token bucket with a burst, a fixed one-second window and a
// sliding window, refusing with 429 or 503 and Retry-After in seconds, as
// an HTTP date, or not at all. A Limiter reads no clock of its own: every
// decision is at a time the caller gives, so a test drives it with a fake
// clock and never sleeps.
package limit

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Shape is how a limiter counts requests.
type Shape string

// The shapes a Limiter takes.
const (
	// TokenBucket refills Rate tokens a second up to Burst; a request
	// takes one. An idle client may send Burst at once. A token that
	// comes while the bucket is full is lost: with a burst of 1 only a
	// client whose requests fall on the refills gets Rate, with more any
	// client that keeps the bucket empty does.
	TokenBucket Shape = "token-bucket"
	// FixedWindow allows floor(Rate) requests (at least 1) in each
	// second of the wall clock, counted from its whole second.
	FixedWindow Shape = "fixed-window"
	// SlidingWindow allows floor(Rate) requests (at least 1) in any
	// span of one second.
	SlidingWindow Shape = "sliding-window"
)

// Shapes are the shapes, in the order a help text names them.
var Shapes = []Shape{TokenBucket, FixedWindow, SlidingWindow}

// RetryAfter is the form of the Retry-After header of a refusal.
type RetryAfter string

// The forms of Retry-After.
const (
	RetrySeconds RetryAfter = "seconds" // whole seconds, rounded up
	RetryDate    RetryAfter = "date"    // an HTTP date, rounded up to its second
	RetryNone    RetryAfter = "none"    // no header
)

// RetryAfters are the forms of Retry-After, in the order a help text
// names them.
var RetryAfters = []RetryAfter{RetrySeconds, RetryDate, RetryNone}

// The options New checks, by the names validate.OptionError carries:
// the sandbox command's flags.
const (
	OptionShape      = "limiter"
	OptionRate       = "rate"
	OptionBurst      = "burst"
	OptionRetryAfter = "retry-after"
	OptionStatus     = "throttle-status"
)

// Config is a limit. Its zero value is no limit.
type Config struct {
	// Shape is how requests are counted; default FixedWindow.
	Shape Shape
	// Rate is how many requests a second are accepted; 0 is no limit.
	Rate float64
	// Burst is a token bucket's size (default 1); the windows ignore it.
	Burst int
	// RetryAfter is the form of a refusal's Retry-After; default
	// RetrySeconds.
	RetryAfter RetryAfter
	// Status is a refusal's status: 429 (default) or 503.
	Status int
}

// withDefaults fills in the fields left zero.
func (c Config) withDefaults() Config {
	if c.Shape == "" {
		c.Shape = FixedWindow
	}
	if c.Burst == 0 {
		c.Burst = 1
	}
	if c.RetryAfter == "" {
		c.RetryAfter = RetrySeconds
	}
	if c.Status == 0 {
		c.Status = http.StatusTooManyRequests
	}
	return c
}

// check refuses what no server does, naming the option.
func (c Config) check() error {
	oe := &validate.OptionError{Rule: validate.ErrInvalid}
	switch {
	case c.Shape != TokenBucket && c.Shape != FixedWindow && c.Shape != SlidingWindow:
		names := []string{string(TokenBucket), string(FixedWindow), string(SlidingWindow)}
		oe.Option, oe.Value = OptionShape, string(c.Shape)
		oe.Detail = "give one of " + strings.Join(names, ", ")
		oe.Suggestion = validate.Suggest(string(c.Shape), names)
	case c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0):
		oe.Option, oe.Value = OptionRate, strconv.FormatFloat(c.Rate, 'g', -1, 64)
		oe.Detail = "give a number of requests a second, or 0 for no limit"
	case c.Burst < 0:
		oe.Option, oe.Value = OptionBurst, strconv.Itoa(c.Burst)
		oe.Detail = "give a token bucket's size, 1 or more"
	case c.RetryAfter != RetrySeconds && c.RetryAfter != RetryDate && c.RetryAfter != RetryNone:
		names := []string{string(RetrySeconds), string(RetryDate), string(RetryNone)}
		oe.Option, oe.Value = OptionRetryAfter, string(c.RetryAfter)
		oe.Detail = "give one of " + strings.Join(names, ", ")
		oe.Suggestion = validate.Suggest(string(c.RetryAfter), names)
	case c.Status != http.StatusTooManyRequests && c.Status != http.StatusServiceUnavailable:
		oe.Option, oe.Value = OptionStatus, strconv.Itoa(c.Status)
		oe.Detail = "give 429 or 503"
	default:
		return nil
	}
	return oe
}

// String says the limit in words, such as "token bucket of 50/s with a
// burst of 5, refusing with 429 and Retry-After in seconds".
func (c Config) String() string {
	c = c.withDefaults()
	if c.Rate == 0 {
		return "no rate limit"
	}
	rate := strconv.FormatFloat(c.Rate, 'g', -1, 64)
	var s string
	switch c.Shape {
	case TokenBucket:
		s = fmt.Sprintf("token bucket of %s/s with a burst of %d", rate, c.Burst)
	case FixedWindow:
		s = fmt.Sprintf("fixed window of %d a second", perSecond(c.Rate))
	case SlidingWindow:
		s = fmt.Sprintf("sliding window of %d in any second", perSecond(c.Rate))
	default:
		s = fmt.Sprintf("%s of %s/s", c.Shape, rate)
	}
	s += fmt.Sprintf(", refusing with %d", c.Status)
	switch c.RetryAfter {
	case RetryDate:
		return s + " and Retry-After as an HTTP date"
	case RetryNone:
		return s + " and no Retry-After"
	}
	return s + " and Retry-After in seconds"
}

// perSecond is how many requests a window of one second allows.
func perSecond(rate float64) int {
	return max(1, int(math.Min(math.Floor(rate), math.MaxInt32)))
}

// Limiter decides, request by request, whether a server with its limit
// accepts. It is safe for concurrent use.
type Limiter struct {
	c Config

	mu sync.Mutex
	// Token bucket, as the generic cell rate algorithm keeps it: the
	// time the bucket would be full again (tat), one request's worth of
	// time (every) and how far ahead of now tat may run (slack).
	tat          time.Time
	every, slack time.Duration
	// Fixed window: its start and the requests accepted in it.
	window time.Time
	inWin  int
	// Sliding window: the times of the requests accepted in the last
	// second, oldest first, from head on.
	times []time.Time
	head  int
	n     int // the windows' requests a second
}

// New returns a limiter of c, with c's zero fields at their defaults.
// A bad c is a *validate.OptionError naming the field by its Option
// constant.
func New(c Config) (*Limiter, error) {
	c = c.withDefaults()
	if err := c.check(); err != nil {
		return nil, err
	}
	l := &Limiter{c: c}
	if c.Rate > 0 {
		l.every = time.Duration(math.Round(float64(time.Second) / c.Rate))
		l.every = max(l.every, 1)
		// A bucket too big for a Duration is as good as endless.
		l.slack = time.Duration(min(float64(c.Burst-1)*float64(l.every), math.MaxInt64/2))
		l.n = perSecond(c.Rate)
	}
	return l, nil
}

// Config returns the limiter's configuration, defaults filled in.
func (l *Limiter) Config() Config { return l.c }

// Take decides a request that arrives at now: accepted, or refused with
// the wait until a request would be accepted (what an honest server puts
// in Retry-After). A refused request counts for nothing.
func (l *Limiter) Take(now time.Time) (ok bool, wait time.Duration) {
	if l.c.Rate == 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch l.c.Shape {
	case TokenBucket:
		return l.bucket(now)
	case SlidingWindow:
		return l.sliding(now)
	}
	return l.fixed(now)
}

func (l *Limiter) bucket(now time.Time) (bool, time.Duration) {
	tat := l.tat
	if tat.Before(now) {
		tat = now // the bucket is full; it holds no more than Burst
	}
	if ahead := tat.Sub(now); ahead > l.slack {
		return false, ahead - l.slack
	}
	l.tat = tat.Add(l.every)
	return true, 0
}

func (l *Limiter) fixed(now time.Time) (bool, time.Duration) {
	if w := now.Truncate(time.Second); !w.Equal(l.window) {
		l.window, l.inWin = w, 0
	}
	if l.inWin >= l.n {
		return false, l.window.Add(time.Second).Sub(now)
	}
	l.inWin++
	return true, 0
}

func (l *Limiter) sliding(now time.Time) (bool, time.Duration) {
	// A request a second or more ago is out of every span that holds now.
	for l.head < len(l.times) && !l.times[l.head].Add(time.Second).After(now) {
		l.head++
	}
	if l.head > len(l.times)/2 {
		l.times = append(l.times[:0], l.times[l.head:]...)
		l.head = 0
	}
	if len(l.times)-l.head >= l.n {
		return false, l.times[l.head].Add(time.Second).Sub(now)
	}
	l.times = append(l.times, now)
	return true, 0
}

// Refuse writes a refusal's headers into h, Retry-After in the
// configured form for a wait from now, and returns the status to answer.
func (l *Limiter) Refuse(h http.Header, now time.Time, wait time.Duration) int {
	switch l.c.RetryAfter {
	case RetrySeconds:
		secs := max(1, int64((wait+time.Second-1)/time.Second))
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
	case RetryDate:
		// An HTTP date has whole seconds: round up, so that a client
		// that waits until it is not early.
		at := now.Add(wait)
		if t := at.Truncate(time.Second); !t.Equal(at) {
			at = t.Add(time.Second)
		}
		h.Set("Retry-After", at.UTC().Format(http.TimeFormat))
	}
	return l.c.Status
}
