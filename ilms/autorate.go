package ilms

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// AutoRate finds the rate a server accepts and holds a run just under it.
// The document states no rate limit, and servers count in different ways
// (a token bucket with a burst, a fixed or a sliding one-second window, a
// minimum spacing), so the limit is measured, not assumed. AutoRate hears
// every answer — when its request was sent, and whether the server
// accepted it or refused it for load (429, or 503) — and says the rate to
// send at. It has no clock of its own: every call says when, so it is
// tested with a fake clock (autorate_test.go simulates every shape).
//
//   - Starting from Start (a rate found by an earlier run, or a safe 10
//     requests a second), the rate grows by a quarter every 75 ms of
//     acceptances, up to Max, while the run sends at it (a run reading
//     the organization page by page does not try its rate).
//   - At the first refusal it sends what the server took over the last
//     second, and listens. A window stays full and refuses on: it is
//     measured a little above that. A bucket refills (what it took was
//     less than its rate, its burst spent while the rate grew): the rate
//     climbs again from there, and at the next refusal, with only what
//     the bucket refilled to lend, it is measured a little above what it
//     took lately (or over the last second, if more: a window paused in
//     took little lately). A climb that holds the rate refused before for
//     a second goes on past it: that refusal was a burst spent, or another
//     run that has since stopped.
//   - A measure starts at a refusal that follows an acceptance (the
//     server full) and ends at another, a span later: what the server
//     took over the whole seconds before that one, counted once all sent
//     before it is heard (a 429 is answered sooner than a 200), is what
//     it refilled, whatever its shape, and a burst does not fool it. The pauses at
//     refusals leave some of a sliding window's freed slots unsent, so
//     what it took in the second before a spell of refusals ended, when
//     another had ended a second before (full at both ends, a window takes
//     exactly its limit between), counts too: the measure is the larger.
//     A single run of acceptances a second long between two spells of
//     refusals is a one-second window, which took the run. A
//     measure that took under 70% of what it sent, refused one at a time,
//     is checked a tenth above what it took, for a second or 50 requests:
//     a server that only spaces requests takes a half or two thirds of a
//     rate a little over its limit, and takes that check whole (a bucket,
//     which took its rate, refuses it once a burst of five is spent); its
//     limit is then searched by halves.
//   - Holding, the rate is 99% of the limit found. A refusal eases it by
//     1%; two within a second mean the limit fell, or another run shares
//     it, and it is measured again.
//   - After 20 s of holding, a probe asks 3% more for two seconds, then,
//     taken whole, 6%, 12%, 24% …: a refusal ends it. After a step taken
//     whole, that step is tried again, with nothing left to lend: taken
//     whole, the limit is higher than was found, and is measured there
//     (a step of up to 7% raises it by that, if that is two requests or
//     more in the two seconds, or when two probes in a row took it; the
//     first refusal held there puts it back); refused on that second try,
//     the step was lent by a burst, unless it asked more than 7% and more
//     than ten requests over, which no burst lends for two seconds: the
//     limit is then measured there too. Lent, half the step is tried
//     again, down to 6%.
//     Each probe that finds no more comes twice as late as the one before,
//     up to 40 s (or a thousand requests at a low limit); one that finds
//     more, or takes a step too small to raise the limit, 20 s on again.
//   - Every rate is within --max-rate, or a fixed --rate, which no phase
//     goes over, and at least half a request a second, unless the
//     ceiling is lower.
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
	// recent are the acceptances of the last second, by when they were
	// sent.
	recent []time.Time
	streak int // refusals in a row
	// prevSent is when the request of the answer heard before was sent.
	prevSent time.Time

	// Listening: the rate of the first refusal, and the rate a bucket is
	// measured at; reramp is the climb after listening.
	refRate, bucketRate float64
	reramp              bool
	heard               int // acceptances, listening

	// A measure counts the answers to requests sent from first, its first
	// refusal after an acceptance, after from; a listen, a probe or a
	// trial those sent in [from, to).
	from, to  time.Time
	first     time.Time
	span      time.Duration // of the measure's count
	accepted  int           // since first
	runs      int           // of acceptances, since first
	streaks   int           // spells of refusals, since first (it not counted)
	singles   int           // of them of a single refusal
	streakLen int           // of the spell of refusals going on
	afterAcc  bool          // the last answer counted was an acceptance
	counted   []time.Time   // when the acceptances since first were sent
	fullest   float64       // the fewest taken in the second before a spell of refusals ended (a second after first); -1 before any
	refusedAt time.Time     // the last refusal counted
	spells    []time.Time   // the last refusal of each spell counted
	ending    time.Time     // the refusal that ended the measure, until what was sent before it is heard
	// lastStart is the last refusal after an acceptance.
	lastStart time.Time

	// Bisecting: rates taken whole, and refused; verifying is the check
	// just above what a measure took.
	lo, hi    float64
	verifying bool
	atLeast   float64 // the most a measure took whole

	lastRefusal time.Time     // holding
	probeEvery  time.Duration // holding
	gain        float64       // probing, over the limit
	confirming  bool          // probing: trying the step before a refusal
	raisedFrom  float64       // holding: the limit before a probe raised it, until a refusal or a probe
	smallTaken  int           // probes in a row whose step, too small to raise the limit, was taken whole

	// ramp are the rates the start went through, and when; settled is
	// when the rate first reached 90% of the limit then found.
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
	autoListening
	autoMeasuring
	autoBisecting
	autoHolding
	autoProbing
)

// The controller's constants: see AutoRate. They were chosen with the
// simulation of autorate_test.go over every shape, limit and offset of
// the server's second it runs.
const (
	autoStep   = 75 * time.Millisecond
	autoGrowth = 1.25
	autoUsed   = 0.7 // of the rate, sent, for it to grow
	autoFloor  = 0.5 // requests a second, the least auto sends at
	autoLately = 300 * time.Millisecond
	autoEarly  = 100 * time.Millisecond

	// A refusal pauses everyone from a request's spacing (at least
	// 10 ms), twice as long for each refusal in a row, up to 250 ms.
	autoPause    = 10 * time.Millisecond
	autoMaxPause = 250 * time.Millisecond

	autoListen      = 150 * time.Millisecond
	autoListenCount = 3    // acceptances at least
	autoWindow      = 1.05 // a window's measure's rate over what it took
	autoFirst       = 1.1  // a bucket's measure's rate over what it took lately

	autoWarm        = 500 * time.Millisecond // before a measure counts
	autoMeasure     = time.Second            // the shortest count
	autoCount       = 40                     // requests a measure counts at least
	autoLongest     = 4 * time.Second
	autoUnsaturated = time.Second // a window refuses within a second and a fill
	autoAgain       = 1.4         // an unsaturated measure's next rate over what it took
	autoTighten     = 1.1
	autoWindowMin   = 700 * time.Millisecond
	autoWindowMax   = 1300 * time.Millisecond
	autoFullNear    = 200 * time.Millisecond // of a second between two spells of refusals

	autoVerify      = 0.7 // a measure taking less of its rate is checked
	autoVerifySpan  = time.Second
	autoVerifyCount = 50
	autoNear        = 0.02
	autoTrial       = 200 * time.Millisecond
	autoTrialCount  = 15

	autoHold      = 0.99
	autoEase      = 0.99        // of the limit, on one refusal holding
	autoGrace     = time.Second // a sliding window remembers a second of the old rate
	autoRemeasure = 1.1

	autoProbeGain  = 1.03
	autoProbeTrust = 1.07 // a confirmed probe's gain taken as the limit, not measured
	autoProbeLend  = 10   // requests over the limit a burst may lend a probe's step
	autoProbeSome  = 2    // requests over the limit a step must ask to raise it
	autoProbeFirst = 20 * time.Second
	autoProbeLast  = 40 * time.Second
	autoProbeCount = 1000
	autoProbeSpan  = 2 * time.Second
	autoRose       = 1.05
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
	a := &AutoRate{max: max, rate: start, since: now, started: now, probeEvery: autoProbeFirst,
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

// spaced is the rate a pacer's limiter spaces requests for: a little
// under the rate (see limiterSlack), for the server's clock and ours.
func (a *AutoRate) spaced() rate.Limit {
	return rate.Limit(a.Rate() * limiterSlack)
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
		// From a request's spacing, at least 10 ms: a refused request
		// is one too many, so the next waits for its turn and more.
		base := max(autoPause, time.Duration(float64(time.Second)/a.rate))
		pause = min(base<<min(a.streak, 8), autoMaxPause)
		switch a.phase {
		case autoListening:
			// Listening needs answers, not pauses.
			pause = base
		}
		a.streak++
	}
	a.answer(sent, at, accepted)
	return pause
}

func (a *AutoRate) answer(sent, at time.Time, accepted bool) {
	prev := a.prevSent
	a.prevSent = sent
	if accepted {
		a.took(sent)
	}
	switch a.phase {
	case autoStarting:
		if !accepted {
			// (Early in a run, over what there was: a tenth of a second
			// at least.)
			d := max(min(sent.Sub(a.started), time.Second), autoEarly)
			{
				// Send what it took over the last second, and listen: a
				// window (a second's count) stays full and refuses on; a
				// bucket refills, and what it took was less than its
				// rate, its burst spent while the rate grew. Listening
				// again, after climbing from there, a bucket has lent
				// only what it refilled while listening, so what it took
				// lately is its rate, and a little more.
				if !a.reramp {
					a.refRate = a.rate
				}
				a.bucketRate = min(a.rate, autoFirst*max(a.tookIn(sent, autoLately), a.tookIn(sent, time.Second)))
				a.phase, a.rate = autoListening, a.bounded(a.tookIn(sent, d))
				a.from = at
				a.to, a.heard = a.from.Add(autoListen), 0
			}
			return
		}
		top := a.max
		if a.reramp && a.rate >= a.refRate && at.Sub(a.since) >= autoUnsaturated {
			// Taken whole for a second at the rate refused before: that
			// refusal was not the limit (a burst spent, or another run
			// that has since stopped), so the climb goes on past it.
			a.reramp = false
		}
		if a.reramp {
			top = min(top, a.refRate) // refused before
		}
		if at.Sub(a.since) >= autoStep && a.rate < top && !a.used(sent) {
			// A run sending less than its rate (reading the org page by
			// page) has not tried it: a rate grown unused would be sent
			// at once, and its first refusal would say little.
			a.since = at
		} else if at.Sub(a.since) >= autoStep && a.rate < top {
			a.rate, a.since = min(a.rate*autoGrowth, top), at
			a.ramp = append(a.ramp, rampStep{at, a.rate})
			if a.rate == a.max && a.settled.IsZero() {
				a.settled = at // the server takes all a run may send
			}
		}
	case autoListening:
		switch {
		case sent.Before(a.from):
		case !accepted && !sent.Before(prev) && sent.Sub(prev) < time.Duration(float64(time.Second)/(2*a.rate)):
			// Sent hard on the one before: a turn that queued for its
			// token at the rate before, not the window still full.
		case !accepted:
			// A window, still full: measure it once what was sent
			// faster is past.
			a.measure(sent, a.rate*autoWindow, true)
		case a.heard < autoListenCount:
			a.heard++
		case !sent.Before(a.to) && a.reramp:
			a.measure(at, a.bucketRate, false)
		case !sent.Before(a.to):
			// Refilled: climb again from here, and listen again at the
			// next refusal.
			a.phase, a.reramp, a.since = autoStarting, true, at
		}
	case autoMeasuring:
		if sent.Before(a.from) {
			if a.first.IsZero() {
				a.afterAcc = accepted
			}
			return
		}
		if !a.ending.IsZero() {
			// Ended: answers to requests sent before the refusal that
			// ended it are still heard (a 429 is answered sooner than
			// a 200). Once one sent after it is, they all are.
			switch {
			case accepted && sent.After(a.ending):
				a.saturated(at, max(a.wholeSeconds(a.ending), a.fullest))
			case accepted:
				a.accepted++
				a.counted = append(a.counted, sent)
			}
			return
		}
		switch {
		case a.first.IsZero() && !accepted && a.afterAcc:
			// Counting starts at a refusal after an acceptance: the
			// server's bucket has just emptied, or its window filled.
			a.first, a.accepted, a.runs, a.afterAcc = sent, 0, 0, false
			a.counted, a.fullest, a.spells = a.counted[:0], -1, a.spells[:0]
			a.lastStart = sent
			a.streaks, a.singles, a.streakLen = 0, 0, 1
		case a.first.IsZero() && !accepted:
			// Still full from before.
		case a.first.IsZero():
			a.afterAcc = true
			if sent.Sub(a.from) >= autoUnsaturated {
				// A second without a refusal: not saturated.
				a.measured(at, false, a.tookIn(sent, sent.Sub(a.from)))
			}
		case accepted:
			a.accepted++
			a.counted = append(a.counted, sent)
			if !a.afterAcc {
				a.spellEnded()
				a.runs++
				if a.streakLen == 1 {
					a.singles++
				}
				a.streakLen = 0
			}
			a.afterAcc = true
			if d := sent.Sub(a.first); d >= a.span+autoUnsaturated {
				if last := a.lastStart.Sub(a.first); last >= autoMeasure {
					// Full again now and then, then not for a second:
					// what it took between full and full is its limit.
					a.saturated(at, max(a.countIn(a.first, a.lastStart)/last.Seconds(), a.fullest))
				} else {
					// Refused once, then never again: not saturated.
					a.measured(at, false, float64(a.accepted)/d.Seconds())
				}
			}
		case a.afterAcc:
			// Full again: between the two refusals the server took what
			// it refilled, whatever its shape. (A refusal after another
			// is a window still full, not yet a new one.)
			a.streaks++
			a.streakLen = 1
			a.afterAcc = false
			a.lastStart = sent
			d := sent.Sub(a.first)
			switch {
			case a.runs == 1 && a.singles == 0 && d >= autoWindowMin && d <= autoWindowMax:
				// Refused a while, then a run of acceptances a second
				// long, then refused: a window of a second, which took
				// the run. (Timed, the run would be as long as the wait
				// after the first refusals.)
				a.measured(at, true, float64(a.accepted))
			case d >= a.span:
				// Counted once what was sent before it is heard.
				a.ending = sent
			case d >= autoMeasure && autoTighten*float64(a.accepted)/d.Seconds() < a.atLeast:
				// It takes less than a rate it took whole: it spaces
				// requests (see above).
				a.bisect(at, a.atLeast, a.rate)
			case d >= autoMeasure && a.spacing(float64(a.accepted)/d.Seconds()):
				a.saturated(at, float64(a.accepted)/d.Seconds())
			case d >= autoMeasure:
				// A second's count says nearly enough: send less over it,
				// still over it, for fewer refusals.
				a.rate = a.bounded(min(a.rate, autoTighten*float64(a.accepted)/d.Seconds()))
			}
		default:
			a.streakLen++
		}
		if !accepted {
			a.refusedAt = sent
		}
	case autoBisecting:
		switch {
		case sent.Before(a.from):
		case !accepted && a.verifying:
			a.verifying = false
			a.measured(at, true, a.lo)
		case !accepted:
			a.bisect(at, a.lo, a.rate)
		case !sent.Before(a.to):
			a.verifying = false
			a.bisect(at, a.rate, a.hi)
		}
	case autoProbing:
		switch {
		case sent.Before(a.from):
		case !accepted && a.confirming && a.farOver():
			// It took a step far over the limit whole for two seconds,
			// which no burst lends, and refuses it now: the limit is
			// higher than was found (another run has stopped), if lower
			// than the step. Measure it there.
			a.confirming = false
			a.measure(sent, a.rate, true)
		case !accepted && a.confirming && a.gain > 1+2*(autoProbeGain-1):
			// What it took was lent by a burst, or some of it: try half
			// the step, from a second on. (At 10 a second a bucket of
			// five lends a step of 24% for two seconds, and then its
			// limit of 11 refuses it.)
			a.gain = 1 + (a.gain-1)/2
			a.rate = a.ofLimit(a.gain)
			a.from = at.Add(time.Second)
			a.to = a.from.Add(autoProbeSpan)
		case !accepted && a.confirming:
			// What it took was lent by a burst.
			a.confirming = false
			a.probeLater()
			a.hold(at)
		case !sent.Before(a.to) && a.confirming && a.gain <= autoProbeTrust:
			// It takes a little more, with nothing left to lend: a
			// measure found it a little low (a window's count is cut by
			// the pauses at its refusals). Hold that, and probe on soon.
			// (A step of a request or so, at a low rate, may be what a
			// bucket refilled during the pause: the limit stays, and it
			// is probed soon again; taken so by two probes in a row, it
			// is raised. A raise a burst lent goes back at the first
			// refusal.)
			a.confirming = false
			if a.smallTaken++; a.overBy() >= autoProbeSome || a.smallTaken >= 2 {
				a.raisedFrom, a.limit = a.limit, min(a.limit*a.gain, a.rate)
				a.smallTaken = 0
			}
			a.probeEvery = autoProbeFirst
			a.hold(at)
		case !sent.Before(a.to) && a.confirming:
			// It takes more, with nothing left to lend: measure it.
			a.confirming = false
			a.measure(at, a.rate*autoRemeasure, false)
		case !accepted && a.gain > autoProbeGain:
			// It took more for seconds on end, and refused more yet:
			// whatever it had to lend is spent, so if it takes the step
			// before for two seconds more, its limit is higher than was
			// found, or rose.
			// (From a second on: a window filled faster is past.)
			a.confirming = true
			a.gain = 1 + (a.gain-1)/2
			a.rate = a.ofLimit(a.gain)
			a.from = at.Add(time.Second)
			a.to = a.from.Add(autoProbeSpan)
		case !accepted:
			// The limit has not risen, or only by what a burst lends:
			// probe again later.
			a.probeLater()
			a.hold(at)
		case !sent.Before(a.to):
			// Taken whole: ask twice as much more.
			a.gain = 1 + 2*(a.gain-1)
			a.rate = a.ofLimit(a.gain)
			a.from, a.to = at, at.Add(autoProbeSpan)
		}
	case autoHolding:
		switch {
		case !accepted && sent.After(a.since.Add(autoGrace)):
			if sent.Sub(a.lastRefusal) < time.Second {
				// The limit fell, or another run shares it.
				a.measure(sent, a.rate*autoRemeasure, true)
				return
			}
			// Once: held a little too close to it, or, just raised by
			// a probe, over it (a step of a few requests that a burst
			// lent): back to the limit before.
			a.lastRefusal, a.smallTaken = sent, 0
			if a.raisedFrom > 0 {
				a.limit, a.raisedFrom = a.raisedFrom, 0
				a.probeLater()
			} else {
				a.limit *= autoEase
			}
			a.hold(a.since)
		case at.Sub(a.since) >= a.probeEvery && a.rate < a.max:
			// Two seconds: a fixed window refuses only once a whole one
			// has been sent at the higher rate.
			a.phase, a.gain, a.raisedFrom = autoProbing, autoProbeGain, 0
			a.rate = a.ofLimit(a.gain)
			a.from, a.to = at, at.Add(autoProbeSpan)
		}
	}
}

// farOver says whether the probe's step asks more over the limit than a
// burst lends in its two seconds: more than 7%, and more than ten
// requests (at 10 a second, 7% is one and a half, which a bucket of five
// lends).
func (a *AutoRate) farOver() bool {
	return a.gain > autoProbeTrust && a.overBy() > autoProbeLend
}

// overBy is how many requests the probe's step asks over the limit in
// its two seconds: of the rate it sends at, which the ceiling may hold
// under the step.
func (a *AutoRate) overBy() float64 {
	return max(0, a.rate-a.limit) * autoProbeSpan.Seconds()
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

// used says whether the requests accepted that were sent from the growth
// step's start to sent (an answer's) came at its rate, give or take one.
func (a *AutoRate) used(sent time.Time) bool {
	n := 0
	for _, s := range a.recent {
		if !s.Before(a.since) && !s.After(sent) {
			n++
		}
	}
	return float64(n+1) >= autoUsed*a.rate*sent.Sub(a.since).Seconds()
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

// measure starts a measure at rate, of the requests sent from time from
// on, after warming up when warm (so that a window the server filled at
// another rate is past). It counts over at least a second, and forty
// requests: one request more or less is a tenth of ten.
func (a *AutoRate) measure(from time.Time, rate float64, warm bool) {
	a.raisedFrom, a.smallTaken = 0, 0
	a.phase, a.rate = autoMeasuring, a.bounded(rate)
	// Whole seconds: a sliding window takes as many in any second as it
	// freed a second before, so only a count over whole seconds is not
	// skewed by what was sent before it.
	a.span = max(autoMeasure, min(time.Duration(math.Ceil(autoCount/a.rate))*time.Second, autoLongest))
	a.from, a.first, a.ending = from, time.Time{}, time.Time{}
	if warm {
		a.from = from.Add(autoWarm)
	}
	a.accepted = 0
}

// wholeSeconds is the rate the server took over the whole seconds before
// a refusal sent at end, from the measure's first refusal on. Over whole
// seconds that end where it is full, a server of any shape takes its
// limit: a window as many as it freed a second before, a bucket what it
// refilled. (Over the span from the first refusal, what the pauses after
// each refusal left unsent would count against it.)
func (a *AutoRate) wholeSeconds(end time.Time) float64 {
	d := end.Sub(a.first)
	k := math.Floor(d.Seconds())
	if n := a.countIn(end.Add(-time.Duration(k*float64(time.Second))), end); k >= 1 && n > 0 {
		return n / k
	}
	return float64(a.accepted) / d.Seconds()
}

// countIn is how many of the acceptances counted were sent between from
// and to.
func (a *AutoRate) countIn(from, to time.Time) float64 {
	n := 0
	for _, s := range a.counted {
		if !s.Before(from) && s.Before(to) {
			n++
		}
	}
	return float64(n)
}

// spellEnded notes, at the first acceptance after a spell of refusals,
// what the server took in the second before the spell's last refusal: a
// sliding window its limit exactly, a fixed one its limit and what the
// second before took after that moment in its second (nothing, once full
// at that moment), a bucket its rate and what it had refilled by then.
// The fewest of them is what the whole seconds count, less what the
// pauses left unsent.
func (a *AutoRate) spellEnded() {
	last := a.refusedAt
	full := a.fullBefore(last)
	a.spells = append(a.spells, last)
	if last.Sub(a.first) < time.Second || !full {
		return
	}
	if n := a.countIn(last.Add(-time.Second), last); a.fullest < 0 || n < a.fullest {
		a.fullest = n
	}
}

// fullBefore says whether a spell of refusals ended about a second before
// t: a window full then and at t took its limit in the second between.
func (a *AutoRate) fullBefore(t time.Time) bool {
	for _, s := range a.spells {
		if d := t.Sub(s); d > time.Second-autoFullNear && d < time.Second+autoFullNear {
			return true
		}
	}
	return false
}

// saturated ends a measure, at time at, of a server that took took while
// it was full. If it took much less than it was sent, refusing one request
// at a time, that is its limit, or it is a server that refuses any request
// sooner than 1/limit after the one before, so that a rate over its limit
// takes a half or two thirds of it. A little more than it took tells: the
// first refuses it.
func (a *AutoRate) saturated(at time.Time, took float64) {
	took = max(took, autoFloor) // a server that took nothing is not one of none
	if a.spacing(took) {
		// A bucket took what it lends: checked a tenth over its rate
		// for a second, or fifty requests, it spends a burst of five.
		a.verifying = true
		a.bisectAt(at, took, a.rate, took*autoRemeasure)
		a.to = a.from.Add(max(autoVerifySpan, time.Duration(autoVerifyCount/took*float64(time.Second))))
		return
	}
	a.measured(at, true, took)
}

// spacing says whether a measure that took took looks like a server that
// spaces requests: much less than it was sent, refused one at a time.
func (a *AutoRate) spacing(took float64) bool {
	return took < autoVerify*a.rate && 5*a.singles >= 4*a.streaks
}

// bisect searches a limit between lo, a rate the server took whole, and
// hi, one it refused, by halves: each rate is tried for a fifth of a
// second (or fifteen requests), until the two are within 2%.
func (a *AutoRate) bisect(at time.Time, lo, hi float64) {
	a.lo, a.hi = lo, hi
	if hi-lo <= autoNear*hi {
		a.limit, a.found = lo, true
		a.hold(at)
		a.settledAt(at)
		return
	}
	a.bisectAt(at, lo, hi, (lo+hi)/2)
}

// bisectAt tries rate, between lo and hi, from time at.
func (a *AutoRate) bisectAt(at time.Time, lo, hi, rate float64) {
	a.lo, a.hi = lo, hi
	a.phase, a.rate = autoBisecting, a.bounded(rate)
	a.from = at.Add(time.Duration(2 / a.rate * float64(time.Second)))
	a.to = a.from.Add(max(autoTrial, time.Duration(autoTrialCount/a.rate*float64(time.Second))))
}

// probeLater puts the next probe off twice as long as the last, up to
// 40 s, or the time to send a thousand requests at a low rate, so that
// probes cost few of them.
func (a *AutoRate) probeLater() {
	last := max(autoProbeLast, time.Duration(autoProbeCount/max(a.limit, autoFloor)*float64(time.Second)))
	a.probeEvery = min(2*a.probeEvery, last)
	a.smallTaken = 0
}

// measured ends a measure at time at: the server took the rate took,
// and refused more when saturated.
func (a *AutoRate) measured(at time.Time, saturated bool, took float64) {
	switch {
	case saturated:
		// A limit that rose may rise on: probe again soon. One that did
		// not, later.
		if a.found && took < a.limit*autoRose {
			a.probeLater()
		} else {
			a.probeEvery = autoProbeFirst
		}
		a.limit, a.found = took, true
	case !a.found:
		// Not saturated: the start overshot less than it seemed. Measure
		// again, higher, now that whatever the server lent is spent.
		// (A run that sent little took little: never lower.)
		a.atLeast = max(a.atLeast, took)
		a.measure(at, max(took*autoAgain, a.rate), false)
		return
	default:
		// It took all it was sent, perhaps from a burst: measure higher
		// until it refuses.
		a.measure(at, max(took, a.rate)*autoRemeasure, false)
		return
	}
	a.hold(at)
	a.settledAt(at)
}

// settledAt notes, the first time a limit is found (at time at), when
// the run first sent at 90% of it.
func (a *AutoRate) settledAt(at time.Time) {
	if !a.settled.IsZero() {
		return
	}
	a.settled = at
	for _, s := range a.ramp {
		if s.rate >= 0.9*a.limit {
			a.settled = s.at
			break
		}
	}
	a.ramp = nil
}

// hold holds 99% of the limit found (autoHold) from time at.
func (a *AutoRate) hold(at time.Time) {
	a.phase, a.since = autoHolding, at
	if a.limit > 0 {
		a.rate = a.ofLimit(autoHold)
	}
}

// ofLimit is the rate f times the limit found, within what auto may send.
func (a *AutoRate) ofLimit(f float64) float64 { return a.bounded(a.limit * f) }

// bounded is rate at least the floor and at most the ceiling, which wins
// (a --rate under the floor is kept).
func (a *AutoRate) bounded(rate float64) float64 { return min(max(rate, autoFloor), a.max) }
