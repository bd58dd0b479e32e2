package pipeline

import (
	"fmt"
	"sync"
	"time"
)

// Meter says how a run goes, for a person: what is done, how fast, how
// far through the file, what time is left. The terminal's bar and log
// lines and a web page's progress events all read it. It is safe for
// concurrent use.
type Meter struct {
	Label string // "import users"
	Unit  string // what is counted: rows, or an export's noun
	start time.Time
	mu    sync.Mutex
	p     Progress
}

// NewMeter starts a meter now.
func NewMeter(label, unit string) *Meter {
	return &Meter{Label: label, Unit: unit, start: time.Now()}
}

// Update takes a run's progress.
func (m *Meter) Update(p Progress) {
	m.mu.Lock()
	if m.p.Planning && !p.Planning {
		m.start = time.Now() // the rate and the time left are the sending's
	}
	m.p = p
	m.mu.Unlock()
}

// Add counts n more done, of a count with no file behind it (an export).
func (m *Meter) Add(n int) {
	m.mu.Lock()
	m.p.Rows += n
	m.mu.Unlock()
}

// Now returns the progress so far.
func (m *Meter) Now() Progress {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.p
}

// Fraction is how far through its file the run is, 0 to 1; 0 when there
// is no file to measure.
func (m *Meter) Fraction() float64 {
	p := m.Now()
	if p.Size <= 0 {
		return 0
	}
	return min(1, float64(p.Done)/float64(p.Size))
}

// Line says the progress in one line: "import users: 40 rows (40.0% of the
// file), 10.0 rows/s, 1 failed, about 6s left".
func (m *Meter) Line() string {
	m.mu.Lock()
	p, el := m.p, time.Since(m.start)
	m.mu.Unlock()
	if p.Planning {
		return fmt.Sprintf("%s: planning, %d %s planned (%.1f%% of the file); nothing is sent before every row is planned", m.Label, p.Planned, m.Unit, 100*m.Fraction())
	}
	rate := float64(p.Rows) / el.Seconds()
	if p.Size <= 0 {
		return fmt.Sprintf("%s: %d %s, %.1f %s/s", m.Label, p.Rows, m.Unit, rate, m.Unit)
	}
	s := fmt.Sprintf("%s: %d %s (%.1f%% of the file), %.1f %s/s, %d failed", m.Label, p.Rows, m.Unit, 100*m.Fraction(), rate, m.Unit, p.Failed)
	if f := m.Fraction(); f > 0 && f < 1 {
		s += fmt.Sprintf(", about %s left", time.Duration(float64(el)*(1-f)/f).Round(time.Second))
	}
	return s
}

// Every calls f with the meter every d (which must be positive), until
// stop is called; stop returns once f has returned for the last time. A log, or a web page's
// progress events, follow a run this way.
func (m *Meter) Every(d time.Duration, f func(*Meter)) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				f(m)
			}
		}
	}()
	return sync.OnceFunc(func() { close(done); <-exited })
}
