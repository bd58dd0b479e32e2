package pipeline

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMeter(t *testing.T) {
	m := NewMeter("import users", "rows")
	m.Update(Progress{Rows: 40, Failed: 1, Done: 400, Size: 1000})
	if f := m.Fraction(); f != 0.4 {
		t.Errorf("fraction %v", f)
	}
	if l := m.Line(); !strings.HasPrefix(l, "import users: 40 rows (40.0% of the file), ") || !strings.Contains(l, "1 failed, about ") {
		t.Errorf("line %q", l)
	}
	m.Update(Progress{Rows: 100, Done: 1200, Size: 1000}) // text longer than the file (Windows-1252)
	if f := m.Fraction(); f != 1 || strings.Contains(m.Line(), "left") {
		t.Errorf("a finished file: fraction %v, line %q", f, m.Line())
	}
	e := NewMeter("export users", "users")
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() { defer wg.Done(); e.Add(3) }()
	}
	wg.Wait()
	if l := e.Line(); !strings.HasPrefix(l, "export users: 30 users, ") || !strings.HasSuffix(l, " users/s") || e.Fraction() != 0 {
		t.Errorf("count line %q", l)
	}
}

// TestMeterEvery: the calls come until stop, and none after it returns.
func TestMeterEvery(t *testing.T) {
	m := NewMeter("export users", "users")
	var mu sync.Mutex
	calls := 0
	stop := m.Every(time.Millisecond, func(got *Meter) {
		if got != m {
			t.Error("Every called f with another meter")
		}
		mu.Lock()
		calls++
		mu.Unlock()
	})
	count := func() int { mu.Lock(); defer mu.Unlock(); return calls }
	for deadline := time.Now().Add(10 * time.Second); count() < 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls in 10s at every 1ms", count())
		}
	}
	stop()
	n := count()
	time.Sleep(20 * time.Millisecond)
	if count() != n {
		t.Errorf("%d calls after stop returned", count()-n)
	}
	stop() // a second stop is harmless
}

// TestMeterSaysPlanning: while an import plans, the line says so and how
// far; once it sends, the rate and the time left count from then.
func TestMeterSaysPlanning(t *testing.T) {
	m := NewMeter("import users", "rows")
	m.Update(Progress{Planning: true, Planned: 40, Done: 40, Size: 100})
	if line := m.Line(); !strings.Contains(line, "planning, 40 rows planned (40.0% of the file)") {
		t.Errorf("planning: %q", line)
	}
	m.Update(Progress{Rows: 10, Done: 10, Size: 100})
	if line := m.Line(); !strings.Contains(line, "import users: 10 rows (10.0% of the file)") || strings.Contains(line, "planning") {
		t.Errorf("sending: %q", line)
	}
}
