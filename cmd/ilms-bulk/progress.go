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
	total  int    // of the unit; -1 unknown; 0 measured by the file's bytes
	start  time.Time
	done   atomic.Int64
	failed atomic.Int64
	// An import's file: bytes read of its size.
	read, size atomic.Int64
	bar        *progressbar.ProgressBar
	stop       chan struct{}
	wg         sync.WaitGroup
}

var logEvery = 5 * time.Second

// newCounter shows how many of unit are done, of an unknown total, with
// no failures: exports, whose final line counts in the same unit.
func newCounter(ios *IOStreams, label, unit string, quiet bool) *progress {
	return newMeter(ios, label, unit, -1, quiet)
}

// newProgress shows an import's rows done, and how far through its file
// it is.
func newProgress(ios *IOStreams, label string, quiet bool) *progress {
	return newMeter(ios, label, "rows", 0, quiet)
}

// perMille is the bar's scale for an import: thousandths of the file.
const perMille = 1000

// update takes a run's progress (from one goroutine).
func (p *progress) update(r pipeline.Progress) {
	p.done.Store(int64(r.Rows))
	p.failed.Store(int64(r.Failed))
	p.read.Store(r.Done)
	p.size.Store(r.Size)
	if p.bar != nil && r.Size > 0 {
		p.bar.Describe(p.describe())
		p.bar.Set(int(int64(perMille) * r.Done / r.Size))
	}
}

// describe is an import bar's label: rows and failures so far.
func (p *progress) describe() string {
	return fmt.Sprintf("%s: %d rows, %d failed", p.label, p.done.Load(), p.failed.Load())
}

func newMeter(ios *IOStreams, label, unit string, total int, quiet bool) *progress {
	p := &progress{ios: ios, label: label, unit: unit, total: total, start: time.Now(), stop: make(chan struct{})}
	switch {
	case quiet:
	case ios.StderrTTY && total == 0:
		p.bar = progressbar.NewOptions(perMille,
			progressbar.OptionSetWriter(ios.ErrOut),
			progressbar.OptionSetDescription(label),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
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
	s := fmt.Sprintf("%s: %d rows", p.label, done)
	read, size := p.read.Load(), p.size.Load()
	if size > 0 {
		s += fmt.Sprintf(" (%.1f%% of the file)", 100*float64(read)/float64(size))
	}
	s += fmt.Sprintf(", %.1f rows/s, %d failed", rate, failed)
	if read > 0 && read < size {
		left := time.Duration(float64(el) * float64(size-read) / float64(read))
		s += fmt.Sprintf(", about %s left", left.Round(time.Second))
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
