package report

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestPriorAttempts(t *testing.T) {
	one := &Summary{Succeeded: 8, Failed: 2, Requests: map[string]int64{"GET": 5, "POST": 10}, Retries: 1, ElapsedSeconds: 2, Interrupted: true}
	first := Attempt{Requests: one.Requests, Retries: 1, ElapsedSeconds: 2, Interrupted: true}
	for _, tc := range []struct {
		name string
		prev *Summary
		done int
		want []Attempt
	}{
		{"killed before any summary", nil, 4, []Attempt{{Unrecorded: true}}},
		{"one interrupted attempt", one, 10, []Attempt{first}},
		{"then one killed", one, 14, []Attempt{first, {Unrecorded: true}}},
		{"listed attempts", &Summary{Succeeded: 3, Attempts: []Attempt{{Unrecorded: true}, first}}, 3, []Attempt{{Unrecorded: true}, first}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PriorAttempts(tc.prev, tc.done); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("PriorAttempts = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAddAttemptSums(t *testing.T) {
	s := &Summary{}
	this := Attempt{Requests: map[string]int64{"GET": 3, "PUT": 1}, Retries: 2, ElapsedSeconds: 1.5}
	s.AddAttempt(nil, this)
	if s.Attempts != nil || !reflect.DeepEqual(s.Requests, this.Requests) || s.Retries != 2 {
		t.Errorf("a first attempt: %+v", s)
	}
	earlier := []Attempt{{Unrecorded: true}, {Requests: map[string]int64{"GET": 5, "POST": 10}, Retries: 1, ElapsedSeconds: 2}}
	s.AddAttempt(earlier, this)
	want := map[string]int64{"GET": 8, "POST": 10, "PUT": 1}
	if len(s.Attempts) != 3 || !reflect.DeepEqual(s.Requests, want) || s.Retries != 3 || s.ElapsedSeconds != 3.5 {
		t.Errorf("a resumed attempt: requests %v, retries %d, elapsed %g, %d attempts", s.Requests, s.Retries, s.ElapsedSeconds, len(s.Attempts))
	}
	path := filepath.Join(t.TempDir(), "summary.json")
	if err := s.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSummary(path)
	if err != nil || !reflect.DeepEqual(back.Attempts, s.Attempts) {
		t.Errorf("read back %+v, %v", back, err)
	}
}

// TestVerdictNamesRowsLeftAlone: rows a run left alone (stale, cannot
// undo) are not called failed.
func TestVerdictNamesRowsLeftAlone(t *testing.T) {
	s := &Summary{Command: "apply", Total: 5, Failed: 2, ByOutcome: map[string]int{"updated": 3, "stale": 1, "failed": 1}}
	if got, want := s.Verdict("run"), "2 of 5 rows are not done (1 failed, 1 stale); see run/results.csv"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	s.ByOutcome = map[string]int{"updated": 3, "invalid": 2}
	if got := s.Verdict("run"); got != "2 of 5 rows failed or are invalid; see run/errors.csv" {
		t.Errorf("%q", got)
	}
}
