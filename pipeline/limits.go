package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// Limit is a safety limit: a count, or a percentage of the organization's
// active users. The zero Limit is no limit.
type Limit struct {
	N       int
	Percent float64
	On      bool // false: no limit
}

// ParseLimit reads a limit as --max-creates and the others take it: 50,
// 10%, or unlimited.
func ParseLimit(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "unlimited") || strings.EqualFold(s, "none") {
		return Limit{}, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f < 0 || f > 100 || math.IsNaN(f) {
			return Limit{}, fmt.Errorf("%q is not a percentage from 0%% to 100%%", s)
		}
		return Limit{Percent: f, On: true}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return Limit{}, fmt.Errorf("give a count such as 50, a percentage of the active users such as 10%%, or unlimited")
	}
	return Limit{N: n, On: true}, nil
}

// Set reads a limit, as a flag's value does.
func (l *Limit) Set(s string) error {
	v, err := ParseLimit(s)
	if err == nil {
		*l = v
	}
	return err
}

func (l *Limit) String() string {
	switch {
	case !l.On:
		return "unlimited"
	case l.Percent > 0:
		return strconv.FormatFloat(l.Percent, 'f', -1, 64) + "%"
	}
	return strconv.Itoa(l.N)
}

// Type names what a limit flag takes.
func (l *Limit) Type() string { return "N|P%" }

// Of is the most the limit allows in an organization of active users.
func (l Limit) Of(active int) int {
	if !l.On {
		return math.MaxInt
	}
	if l.Percent > 0 {
		return int(math.Floor(l.Percent / 100 * float64(active)))
	}
	return l.N
}

// Limits are the safety limits of an import, checked once every row is
// planned and before the first write: a file with more of any than its
// limit sends nothing.
type Limits struct {
	Creates, Updates, Deactivations, Cleared Limit
}

// DefaultLimits are the limits an import has unless told otherwise:
// creates and updates have none; deactivations and cleared fields at
// most 10% of the active users.
func DefaultLimits() Limits {
	return Limits{Deactivations: Limit{Percent: 10, On: true}, Cleared: Limit{Percent: 10, On: true}}
}

// changeCounts are what the limits count in a run's plans.
type changeCounts struct {
	Creates, Updates, Deactivations, Cleared int
}

// count adds a row's plan.
func (c *changeCounts) count(p *Plan) {
	if p.Outcome == Updated {
		c.Updates++
	}
	for _, a := range p.steps {
		switch a.Op {
		case OpCreate:
			c.Creates++
		case OpInactivate, OpDelete:
			if p.Outcome != Created {
				c.Deactivations++
			}
		case OpUpdate:
			for _, ch := range a.Changes {
				if ch.New == "" && ch.Old != "" {
					c.Cleared++
				}
			}
		case OpTranscript:
			if a.Transcript.ClearDueDate {
				c.Cleared++
			}
		}
	}
}

// LimitError is a run stopped by a safety limit before its first write.
type LimitError struct {
	// Reason, when set, is the whole message: a run stopped for another
	// cause than a count.
	Reason        remedy.Text
	Option        remedy.Option // the limit's option
	What          string        // "deactivations"
	Count, Allows int
	Limit         Limit
	Active        int
}

func (e *LimitError) Error() string { return e.In(nil) }

// In writes the error with the options it names in w's words.
func (e *LimitError) In(w remedy.Words) string {
	if !e.Reason.IsZero() {
		return e.Reason.In(w)
	}
	of := ""
	if e.Limit.Percent > 0 {
		of = fmt.Sprintf(" (%s of the %d active users)", e.Limit.String(), e.Active)
	}
	return fmt.Sprintf("safety limit: the plan would make %d %s, and %s allows %d%s; nothing was sent. Check the file (a wrong file or organization?), or raise %s to N or P%%", e.Count, e.What, w.Of(remedy.Of(e.Option)), e.Allows, of, w.Of(remedy.Of(e.Option)))
}

// Input marks the error as input that is refused: nothing was sent.
func (e *LimitError) Input() bool { return true }

// check returns the first limit the counts exceed, or nil.
func (l Limits) check(c changeCounts, active int) *LimitError {
	for _, k := range []struct {
		option remedy.Option
		what   string
		n      int
		limit  Limit
	}{
		{remedy.MaxCreates, "new users", c.Creates, l.Creates},
		{remedy.MaxUpdates, "updates", c.Updates, l.Updates},
		{remedy.MaxDeactivations, "deactivations", c.Deactivations, l.Deactivations},
		{remedy.MaxCleared, "cleared fields", c.Cleared, l.Cleared},
	} {
		if most := k.limit.Of(active); k.n > most {
			return &LimitError{Option: k.option, What: k.what, Count: k.n, Allows: most, Limit: k.limit, Active: active}
		}
	}
	return nil
}
