package validate

import "testing"

// TestRulesFor pins the document's rules for Modify User's Transcript
// (ilms-api.txt lines 3136–3148) as the file's checks, the import's plan
// and the sandbox read them: the status an update sets, else the record's,
// decides what else it may carry.
func TestRulesFor(t *testing.T) {
	const A, I, R = Allowed, Ignored, Refused
	for _, tc := range []struct {
		set, current string
		want         StatusRules
	}{
		{"", StatusNotStarted, StatusRules{StatusNotStarted, R, R, R}},
		{"", StatusInProgress, StatusRules{StatusInProgress, R, A, R}},
		{"", StatusPass, StatusRules{StatusPass, A, A, A}},
		{"", StatusFail, StatusRules{StatusFail, A, A, A}},
		{"", StatusWaived, StatusRules{StatusWaived, R, A, R}},
		{"", "", StatusRules{"", R, A, R}},
		// A status the update sets wins over the record's.
		{StatusPass, StatusNotStarted, StatusRules{StatusPass, A, A, A}},
		{StatusFail, StatusWaived, StatusRules{StatusFail, A, A, A}},
		{StatusWaived, StatusPass, StatusRules{StatusWaived, R, A, R}},
		// Not started ignores the dates, but a score is still refused.
		{StatusNotStarted, StatusPass, StatusRules{StatusNotStarted, R, I, I}},
		{StatusNotStarted, "", StatusRules{StatusNotStarted, R, I, I}},
		// Any spelling a file may use reads as the status.
		{"passed", StatusInProgress, StatusRules{StatusPass, A, A, A}},
		{"NOT STARTED", StatusPass, StatusRules{StatusNotStarted, R, I, I}},
		{"", "pass", StatusRules{StatusPass, A, A, A}},
	} {
		if got := RulesFor(tc.set, tc.current); got != tc.want {
			t.Errorf("RulesFor(%q, %q) = %+v, want %+v", tc.set, tc.current, got, tc.want)
		}
	}
}

// TestTranscriptStatusSpellings: the API takes the document's four words
// only; a file may also use their synonyms, which are sent as the
// document's words.
func TestTranscriptStatusSpellings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		file string // TranscriptStatus, "" when refused
		api  string // APITranscriptStatus, "" when refused
	}{
		{"not started", StatusNotStarted, StatusNotStarted},
		{" Pass ", StatusPass, StatusPass},
		{"FAIL", StatusFail, StatusFail},
		{"Waived", StatusWaived, StatusWaived},
		{"passed", StatusPass, ""},
		{"failed", StatusFail, ""},
		{"waive", StatusWaived, ""},
		{"notstarted", StatusNotStarted, ""},
		{"not  started", StatusNotStarted, ""},
		{"in progress", "", ""},
		{"finished", "", ""},
		{"", "", ""},
	} {
		if got, _ := TranscriptStatus(tc.in); got != tc.file {
			t.Errorf("TranscriptStatus(%q) = %q, want %q", tc.in, got, tc.file)
		}
		if got, _ := APITranscriptStatus(tc.in); got != tc.api {
			t.Errorf("APITranscriptStatus(%q) = %q, want %q", tc.in, got, tc.api)
		}
	}
	for _, n := range []int{MinScore, 50, MaxScore} {
		if !ScoreInRange(n) {
			t.Errorf("%d is a score", n)
		}
	}
	for _, n := range []int{MinScore - 1, MaxScore + 1} {
		if ScoreInRange(n) {
			t.Errorf("%d is not a score", n)
		}
	}
}
