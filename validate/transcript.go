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

// TranscriptStatus reads a status a transcript update may set (not started,
// pass, fail, waived; any case) and returns the record's spelling.
func TranscriptStatus(v string) (string, bool) {
	switch fold(v) {
	case "not started", "notstarted":
		return StatusNotStarted, true
	case "pass", "passed":
		return StatusPass, true
	case "fail", "failed":
		return StatusFail, true
	case "waived", "waive":
		return StatusWaived, true
	}
	return "", false
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

// ScoreAllowed reports whether a score may accompany status: only pass and
// fail carry one.
func ScoreAllowed(status string) bool {
	s, _ := TranscriptStatus(status)
	return s == StatusPass || s == StatusFail
}

// CompletionAllowed reports whether a completion date may accompany status.
func CompletionAllowed(status string) bool { return ScoreAllowed(status) }

// StartAllowed reports whether a start date may accompany status: any but
// not started.
func StartAllowed(status string) bool {
	return !strings.EqualFold(strings.TrimSpace(status), StatusNotStarted) && fold(status) != "notstarted"
}
