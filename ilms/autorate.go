package ilms

import (
	"sync"
	"time"
)

// AutoRate finds the rate a server accepts and holds a run just under it.
// The document states no rate limit, and servers count in different ways
// (a token bucket with a burst, a fixed or a sliding one-second window), so
// the limit is measured, not assumed. AutoRate hears every answer — when
// its request was sent, and whether the server accepted it or refused it
// for load (429, or 503) — and says the rate to send at. It has no clock of
// its own: every call says when, so it is tested with a fake clock.
//
//   - Starting, from Start (a rate cached from an earlier run, or a safe 10
//     requests a second), the rate grows by 15% every 100 ms of answers
//     without a refusal, up to Max.
//   - The first refusal says the server is saturated. The rate is held, a
//     little above the limit: for half a second, so that the server's
//     bucket is empty or its window full whatever came before, and then
//     for a second, in which the requests it accepts of those sent are its
//     limit — whatever its shape, and without being fooled by a burst.
//   - Holding, the rate is 98% of the estimate. Two refusals within a
//     second mean the limit fell, or another run shares it: it is measured
//     again, a tenth above the rate.
//   - Every 30 s of holding, a probe asks 3% more. The first refusal ends
//     it; a second the server takes whole raises the estimate, and the next
//     probe comes sooner and asks more, so that a limit that rose is found.
//
// AutoRate is safe for concurrent use.
type AutoRate struct {
	mu    sync.Mutex
	max   float64
	phase autoPhase
	rate  float64 // to send at now
	limit float64 // the server's, as measured; 0 before it is
	found bool    // measured on a saturated server
	// since is when the phase (or, starting, the growth step) began.
	since time.Time
	// A measure or a probe counts the answers to requests sent in
	// [from, to).
	from, to          time.Time
	accepted, refused int
	lastRefusal       time.Time
	streak            int           // refusals in a row
	span              time.Duration // of the measure's count
	holdShare         float64       // of the limit held
	recent            []time.Time   // starting: the accepted sends of the last second
	probeGain         float64
	probeEvery        time.Duration
	// ramp are the rates the start went through, and when; settled is
	// when the rate first reached 90% of the limit it then held.
	ramp             []rampStep
	settled, started time.Time
}

type rampStep struct {
	at   time.Time
	rate float64
}

type autoPhase int

const (
	autoStarting autoPhase = iota
	autoMeasuring
	autoHolding
	autoProbing
)

// The controller's constants: see AutoRate. They were chosen with the
// simulation of autorate_test.go over every shape and limit it runs.
const (
	autoStep        = 75 * time.Millisecond
	autoGrowth      = 1.25
	autoWarm        = 500 * time.Millisecond
	autoMeasure     = time.Second
	autoHold        = 0.98
	autoGrace       = time.Second // a sliding window remembers a second of the old rate
	autoRemeasure   = 1.1
	autoFirst       = 1.1 // the first measure's rate over what was taken
	autoLately      = 300 * time.Millisecond
	autoAgain       = 1.4 // an unsaturated measure's next rate over what it took
	autoUnsaturated = 500 * time.Millisecond
	autoPause       = 10 * time.Millisecond
	autoMaxPause    = 120 * time.Millisecond
	autoProbeGain   = 1.03
	autoProbeEvery  = 30 * time.Second
	autoProbeSoon   = 3 * time.Second
)

const (
	// AutoStart is the rate a run with nothing cached starts at: safe for
	// any server the document describes.
	AutoStart = 10.0
	// AutoMax is the highest rate auto climbs to unless told otherwise.
	AutoMax = 200.0
)

// NewAutoRate returns a controller starting at start requests a second
// (AutoStart for 0), never above max (AutoMax for 0), at time now.
func NewAutoRate(start, max float64, now time.Time) *AutoRate {
	if max <= 0 {
		max = AutoMax
	}
	if start <= 0 {
		start = AutoStart
	}
	start = min(start, max)
	a := &AutoRate{max: max, rate: start, since: now, started: now, probeGain: autoProbeGain, probeEvery: autoProbeEvery, holdShare: autoHold,
		ramp: []rampStep{{now, start}}}
	if start == max {
		a.settled = now
	}
	return a
}

// Rate is the rate to send at, in requests a second.
func (a *AutoRate) Rate() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// Limit is the server's limit as measured, and whether it was: found is
// false when the server took every rate tried (Limit is then the rate).
func (a *AutoRate) Limit() (limit float64, found bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.found {
		return a.rate, false
	}
	return a.limit, true
}

// Settled is how long the run took to first send at 90% of the rate it
// holds; 0 before it has.
func (a *AutoRate) Settled() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.settled.IsZero() {
		return 0
	}
	return a.settled.Sub(a.started)
}

// Answer hears the answer, at time at, to a request sent at time sent:
// accepted, or refused for load. It returns how long to send nothing: a run
// of refusals means the server takes nothing now (a window is full until
// its second ends), so each refusal in a row pauses twice as long as the
// one before, from 10 ms up to a quarter of a second; an acceptance ends
// the run.
func (a *AutoRate) Answer(sent, at time.Time, accepted bool) (pause time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if accepted {
		a.streak = 0
	} else {
		pause = min(autoPause<<min(a.streak, 8), autoMaxPause)
		a.streak++
	}
	a.answer(sent, at, accepted)
	return pause
}

func (a *AutoRate) answer(sent, at time.Time, accepted bool) {
	switch a.phase {
	case autoStarting:
		if !accepted {
			// The server took what was sent lately: it may take a little
			// more, and no more than the rate just refused.
			a.measure(sent, min(a.rate, autoFirst*a.tookIn(sent, time.Second)), true)
			return
		}
		a.took(sent)
		if at.Sub(a.since) >= autoStep && a.rate < a.max {
			a.rate, a.since = min(a.rate*autoGrowth, a.max), at
			a.ramp = append(a.ramp, rampStep{at, a.rate})
			if a.rate == a.max && a.settled.IsZero() {
				a.settled = at // the server takes all a run may send
			}
		}
	case autoMeasuring, autoProbing:
		if sent.Before(a.from) {
			return
		}
		if a.phase == autoMeasuring && a.to.IsZero() {
			// Counting starts at a refusal: the server's bucket is empty
			// then, or its window full, and what it takes from then on is
			// what it refills. A span with none took all it was sent.
			switch {
			case !accepted:
				a.from, a.to, a.accepted = sent, sent.Add(a.span), 0
			case sent.Sub(a.from) >= autoUnsaturated:
				// Half a second without a refusal: not saturated.
				a.span = autoUnsaturated
				a.measured(at)
			default:
				a.accepted++
				a.took(sent)
			}
			return
		}
		if !sent.Before(a.to) {
			a.measured(at)
			return
		}
		if accepted {
			a.accepted++
			a.took(sent)
			return
		}
		a.refused++
		if a.phase == autoProbing {
			if a.probeGain > autoProbeGain {
				// Climbing, it has passed the limit: measure it there.
				a.probeGain, a.probeEvery = autoProbeGain, autoProbeEvery
				a.measure(sent, a.rate, true)
				return
			}
			// The limit has not risen: probe again, as asked first, later.
			a.probeEvery = autoProbeEvery
			a.hold(at)
		}
	case autoHolding:
		switch {
		case !accepted && sent.After(a.since.Add(autoGrace)):
			if sent.Sub(a.lastRefusal) < time.Second {
				a.measure(sent, a.rate*autoRemeasure, true)
				return
			}
			a.lastRefusal = sent
		case at.Sub(a.since) >= a.probeEvery:
			// Two seconds: a fixed window refuses only once a whole one
			// has been sent at the higher rate.
			a.phase, a.rate = autoProbing, min(a.limit*a.probeGain, a.max)
			a.span = 2 * autoMeasure
			a.from, a.to = at, at.Add(a.span)
			a.accepted, a.refused = 0, 0
		}
	}
}

// took notes an accepted request sent at t, for tookLastSecond.
func (a *AutoRate) took(t time.Time) {
	a.recent = append(a.recent, t)
	i := 0
	for i < len(a.recent) && t.Sub(a.recent[i]) >= time.Second {
		i++
	}
	a.recent = a.recent[i:]
}

// tookIn is the rate of the accepted requests sent in the span d before t.
func (a *AutoRate) tookIn(t time.Time, d time.Duration) float64 {
	n := 0
	for _, s := range a.recent {
		if t.Sub(s) < d {
			n++
		}
	}
	return max(float64(n), 1) / d.Seconds()
}

// measure starts a measure at rate, the requests sent from time from,
// after a second of warming up when warm (so that a window the server
// filled at another rate is past). A low rate is counted over two
// seconds: one request more or less in a second is a tenth of ten.
func (a *AutoRate) measure(from time.Time, rate float64, warm bool) {
	a.phase, a.rate = autoMeasuring, min(rate, a.max)
	a.span = autoMeasure
	if a.rate < 25 {
		a.span = 2 * autoMeasure
	}
	a.from, a.to = from, time.Time{}
	if warm {
		a.from = from.Add(autoWarm)
	}
	a.accepted, a.refused = 0, 0
}

// measured ends a measure or a probe, at time at.
func (a *AutoRate) measured(at time.Time) {
	took := float64(a.accepted) / a.span.Seconds()
	switch {
	case a.refused > 0:
		// Saturated: what it took is its limit. The same limit found
		// again means the rate held was a little too close to it.
		if a.found && took >= a.limit*0.98 && took <= a.limit*1.02 {
			a.holdShare = max(a.holdShare-0.01, 0.94)
		}
		a.limit, a.found = took, true
		a.probeGain, a.probeEvery = autoProbeGain, autoProbeEvery
	case !a.found:
		// Not saturated: the start overshot less than it seemed. Measure
		// again, higher, now that whatever the server lent is spent.
		a.measure(at, took*autoAgain, false)
		return
	case took > a.limit:
		// It took all it was offered: at least that, and perhaps more; the
		// next probe comes sooner and asks more.
		a.limit = took
		a.probeGain, a.probeEvery = min(a.probeGain*a.probeGain, 2), autoProbeSoon
	}
	a.hold(at)
	if a.settled.IsZero() {
		a.settled = at
		for _, s := range a.ramp {
			if s.rate >= 0.9*a.limit {
				a.settled = s.at
				break
			}
		}
		a.ramp = nil
	}
}

// hold holds 98% of the estimate from time at.
func (a *AutoRate) hold(at time.Time) {
	a.phase, a.since = autoHolding, at
	if a.limit > 0 {
		a.rate = min(a.limit*a.holdShare, a.max)
	}
}
