package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// progress shows how a run goes: a bar on a terminal (rows/s, ETA,
// failures so far), otherwise a log line every few seconds; nothing with
// --quiet. Results never go to stderr: this is only progress.
type progress struct {
	ios    *IOStreams
	label  string
	unit   string // what is counted: rows, or an export's noun
	total  int
	start  time.Time
	done   atomic.Int64
	failed atomic.Int64
	bar    *progressbar.ProgressBar
	stop   chan struct{}
	wg     sync.WaitGroup
}

var logEvery = 5 * time.Second

// newCounter shows how many of unit are done, of an unknown total, with
// no failures: exports, whose final line counts in the same unit.
func newCounter(ios *IOStreams, label, unit string, quiet bool) *progress {
	return newMeter(ios, label, unit, -1, quiet)
}

// newProgress shows rows done of a total: imports.
func newProgress(ios *IOStreams, label string, total int, quiet bool) *progress {
	return newMeter(ios, label, "rows", total, quiet)
}

func newMeter(ios *IOStreams, label, unit string, total int, quiet bool) *progress {
	p := &progress{ios: ios, label: label, unit: unit, total: total, start: time.Now(), stop: make(chan struct{})}
	switch {
	case quiet:
	case ios.StderrTTY:
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(ios.ErrOut),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	default:
		p.wg.Add(1)
		go p.log()
	}
	return p
}

// Add counts a finished row.
func (p *progress) Add(r pipeline.Result) {
	p.done.Add(1)
	if !r.Outcome.Succeeded() {
		p.failed.Add(1)
		if p.bar != nil {
			p.bar.Describe(fmt.Sprintf("%s (%d failed)", p.label, p.failed.Load()))
		}
	}
	if p.bar != nil {
		p.bar.Add(1)
	}
}

// Advance counts n rows done: rows finished by an earlier run (resume),
// or rows exported.
func (p *progress) Advance(n int) {
	p.done.Add(int64(n))
	if p.bar != nil {
		p.bar.Add(n)
	}
}

func (p *progress) log() {
	defer p.wg.Done()
	t := time.NewTicker(logEvery)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			fmt.Fprintln(p.ios.ErrOut, p.line())
		}
	}
}

func (p *progress) line() string {
	done, failed := p.done.Load(), p.failed.Load()
	el := time.Since(p.start)
	rate := float64(done) / el.Seconds()
	if p.total < 0 {
		return fmt.Sprintf("%s: %d %s, %.1f %s/s", p.label, done, p.unit, rate, p.unit)
	}
	s := fmt.Sprintf("%s: %d/%d rows", p.label, done, p.total)
	if p.total > 0 {
		s += fmt.Sprintf(" (%.1f%%)", 100*float64(done)/float64(p.total))
	}
	s += fmt.Sprintf(", %.1f rows/s, %d failed", rate, failed)
	if rate > 0 && int(done) < p.total {
		s += fmt.Sprintf(", about %s left", (time.Duration(float64(p.total-int(done))/rate) * time.Second).Round(time.Second))
	}
	return s
}

// Close ends the display.
func (p *progress) Close() {
	close(p.stop)
	p.wg.Wait()
	if p.bar != nil {
		p.bar.Finish()
	}
}
