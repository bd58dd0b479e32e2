package report

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// flags words an option as the command line's flag of the same name.
func flags(h remedy.Hint) string { return strings.TrimSpace("--" + string(h.Option) + " " + h.Value) }

func TestPaceSaysWhatTheRunFound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pace Pace
		want string
	}{
		{Pace{Asked: "auto", ServerRate: 48.4, LimitFound: true, SettledSeconds: 1.23}, "iLMS accepted ~48 requests/s (found in 1.2 s)"},
		{Pace{Asked: "auto", ServerRate: 4.25, LimitFound: true, SettledSeconds: 3}, "iLMS accepted ~4.2 requests/s (found in 3.0 s)"},
		{Pace{Asked: "40", ServerRate: 31, LimitFound: true, SettledSeconds: 0.5}, "iLMS accepted ~31 requests/s, under --rate 40 (found in 0.5 s)"},
		{Pace{Asked: "auto", ServerRate: 95}, "iLMS refused none, at up to 95 requests/s"},
		{Pace{Asked: "40", ServerRate: 40}, "iLMS refused none at --rate 40"},
		{Pace{Asked: "unlimited"}, "unpaced (--rate unlimited)"},
	} {
		if got := tc.pace.In(flags); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.pace, got, tc.want)
		}
	}
}

// PaceOf reads a pacer as it is: a fixed rate that was never refused has
// found no limit, and says the rate asked.
func TestPaceOfAPacer(t *testing.T) {
	t.Parallel()
	p := ilms.NewPacer(nil, ilms.WithAuto(ilms.NewAutoRate(40, 40, time.Now())))
	turn, err := p.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	turn.Done(200, 0)
	got := PaceOf(p, 40)
	if got.Asked != "40" || got.LimitFound || got.ServerRate != 40 {
		t.Errorf("PaceOf = %+v", got)
	}
	b, _ := json.Marshal(got)
	if string(b) != `{"asked":"40","server_rate":40,"limit_found":false}` {
		t.Errorf("json: %s", b)
	}
	if PaceOf(nil, ilms.Auto) != nil {
		t.Error("no pacer, a pace")
	}
	if got := PaceOf(ilms.NewPacer(nil), ilms.Unlimited); got.In(flags) != "unpaced (--rate unlimited)" {
		t.Errorf("unlimited: %q", got)
	}
}
