package report

import (
	"fmt"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// Pace is how a run spent the API: the rate asked (--rate) and what iLMS
// took. The document states no rate limit, so it is what a run found.
type Pace struct {
	Asked string `json:"asked"` // auto, a number of requests a second, or unlimited
	// ServerRate is the requests a second iLMS accepted when it refused
	// more (LimitFound); else the highest rate sent, all of it taken.
	ServerRate float64 `json:"server_rate,omitempty"`
	LimitFound bool    `json:"limit_found"`
	// SettledSeconds is from the start to first sending at 90% of the
	// rate found (0 when none was).
	SettledSeconds float64 `json:"settled_seconds,omitempty"`
}

// PaceOf is the pace of a run on pacer p, asked to go at asked; nil for
// no pacer.
func PaceOf(p *ilms.Pacer, asked ilms.Rate) *Pace {
	if p == nil {
		return nil
	}
	pace := &Pace{Asked: asked.String()}
	if a := p.Auto(); a != nil {
		pace.ServerRate, pace.LimitFound = a.Limit()
		if pace.LimitFound {
			pace.SettledSeconds = a.Settled().Seconds()
		}
	}
	return pace
}

// String says the pace in a line, the options it names in the neutral
// words.
func (p *Pace) String() string { return p.In(nil) }

// In says the pace in a line: "iLMS accepted ~48 requests/s (found in
// 1.2 s)", the rate it was given in w's words.
func (p *Pace) In(w remedy.Words) string {
	rate := fmt.Sprintf("%.0f", p.ServerRate)
	if p.ServerRate < 10 {
		rate = fmt.Sprintf("%.1f", p.ServerRate)
	}
	asked := w.Of(remedy.Of(remedy.Rate, p.Asked))
	switch {
	case p.Asked == ilms.Unlimited.String():
		return "unpaced (" + asked + ")"
	case p.LimitFound && p.Asked == ilms.Auto.String():
		return fmt.Sprintf("iLMS accepted ~%s requests/s (found in %.1f s)", rate, p.SettledSeconds)
	case p.LimitFound:
		return fmt.Sprintf("iLMS accepted ~%s requests/s, under %s (found in %.1f s)", rate, asked, p.SettledSeconds)
	case p.Asked == ilms.Auto.String():
		return fmt.Sprintf("iLMS refused none, at up to %s requests/s", rate)
	}
	return fmt.Sprintf("iLMS refused none at %s", asked)
}
