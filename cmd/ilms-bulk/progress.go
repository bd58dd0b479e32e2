package main

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// progress draws a run's pipeline.Meter: a bar on a terminal, otherwise a
// log line every few seconds; nothing with --quiet. Results never go to
// stderr: this is only progress.
type progress struct {
	*pipeline.Meter
	bar  *progressbar.ProgressBar
	stop func()
}

var logEvery = 5 * time.Second

// perMille is the bar's scale: thousandths of the file (or of nothing,
// for an export, whose bar only spins).
const perMille = 1000

// newProgress draws the progress of label, counting unit.
func newProgress(ios *IOStreams, label, unit string, quiet bool) *progress {
	p := &progress{Meter: pipeline.NewMeter(label, unit), stop: func() {}}
	switch {
	case quiet:
	case ios.StderrTTY:
		p.bar = progressbar.NewOptions(perMille, progressbar.OptionSetWriter(ios.ErrOut), progressbar.OptionSetDescription(label),
			progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	default:
		p.stop = p.Every(logEvery, func(m *pipeline.Meter) { fmt.Fprintln(ios.ErrOut, m.Line()) })
	}
	return p
}

// update takes an import's progress.
func (p *progress) update(r pipeline.Progress) {
	p.Update(r)
	if p.bar != nil {
		what := fmt.Sprintf("%d %s, %d failed", r.Rows, p.Unit, r.Failed)
		if r.Planning {
			what = fmt.Sprintf("planning, %d %s", r.Planned, p.Unit)
		}
		p.bar.Describe(p.Label + ": " + what)
		p.bar.Set(int(perMille * p.Fraction()))
	}
}

// add counts n of an export's rows.
func (p *progress) add(n int) {
	p.Add(n)
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s: %d %s", p.Label, p.Now().Rows, p.Unit))
	}
}

// Close ends the display.
func (p *progress) Close() {
	if p.stop(); p.bar != nil {
		p.bar.Finish()
	}
}
