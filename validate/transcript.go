package validate

import "strings"

// Transcript statuses as the Modify User's Transcript call accepts them,
// and as records show them.
const (
	StatusNotStarted = "Not Started"
	StatusInProgress = "In Progress"
	StatusPass       = "Pass"
	StatusFail       = "Fail"
	StatusWaived     = "Waived"
)

// transcriptStatuses are the values Modify User's Transcript takes, "not
// started, pass, fail, waived" (ilms-api.txt line 3147), by their
// lower-case spelling, with the record's.
var transcriptStatuses = map[string]string{
	"not started": StatusNotStarted,
	"pass":        StatusPass,
	"fail":        StatusFail,
	"waived":      StatusWaived,
}

// statusSynonyms are other words spreadsheets use for them. The API takes
// none of them: a row's status is sent in the document's words.
var statusSynonyms = map[string]string{
	"notstarted": StatusNotStarted,
	"passed":     StatusPass,
	"failed":     StatusFail,
	"waive":      StatusWaived,
}

// APITranscriptStatus reads a status as the API takes it: one of the
// document's four values in any case, nothing else ("passed",
// "notstarted"). It returns the record's spelling.
func APITranscriptStatus(v string) (string, bool) {
	s, ok := transcriptStatuses[strings.ToLower(strings.TrimSpace(v))]
	return s, ok
}

// TranscriptStatus reads a status as a file may give it (not started,
// pass, fail, waived or a synonym; any case and spacing) and returns the
// record's spelling.
func TranscriptStatus(v string) (string, bool) {
	f := fold(v)
	if s, ok := transcriptStatuses[f]; ok {
		return s, true
	}
	s, ok := statusSynonyms[f]
	return s, ok
}

// RequirementType reads mandatory or optional (any case) and returns the
// record's spelling.
func RequirementType(v string) (string, bool) {
	switch fold(v) {
	case "mandatory":
		return "Mandatory", true
	case "optional":
		return "Optional", true
	}
	return "", false
}

// A score is a whole percentage (line 3148).
const (
	MinScore = 0
	MaxScore = 100
)

// ScoreInRange reports whether n is a score the API takes.
func ScoreInRange(n int) bool { return MinScore <= n && n <= MaxScore }

// Verdict is what a transcript update's status makes of one of its other
// members.
type Verdict uint8

// Verdicts.
const (
	Allowed Verdict = iota
	// Ignored: the update sets the status not started, which "will ignore
	// other dates such as completion date, start date" (line 3147). The
	// API drops them without a word; a client refuses them rather than
	// lose what the user wrote.
	Ignored
	Refused
)

// StatusRules is what a transcript update may carry besides its status.
type StatusRules struct {
	// Status decides: the one the update sets, else the record's; in the
	// record's spelling.
	Status                           string
	Score, StartDate, CompletionDate Verdict
}

// RulesFor applies the document's rules for Modify User's Transcript
// (lines 3136–3148) to an update that sets the status set ("" when it sets
// none) of a record whose status is current: a score only with pass or
// fail; a start date only with a status other than not started; a
// completion date only with pass or fail, and ignored, like the start
// date, when the update sets not started. The file's checks, the import's
// plan and the sandbox all decide by it.
func RulesFor(set, current string) StatusRules {
	set, current = canonicalStatus(set), canonicalStatus(current)
	r := StatusRules{Status: current}
	if set != "" {
		r.Status = set
	}
	passFail := r.Status == StatusPass || r.Status == StatusFail
	if !passFail {
		r.Score, r.CompletionDate = Refused, Refused
	}
	if r.Status == StatusNotStarted {
		r.StartDate = Refused
	}
	if set == StatusNotStarted {
		r.StartDate, r.CompletionDate = Ignored, Ignored
	}
	return r
}

// canonicalStatus spells a status as records do, when it is one an update
// may set; others ("In Progress", "") are kept as they are.
func canonicalStatus(s string) string {
	if c, ok := TranscriptStatus(s); ok {
		return c
	}
	return s
}
