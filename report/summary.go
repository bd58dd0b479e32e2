package report

import (
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"sort"
	"strings"
	"time"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
)

// Summary is summary.json: the counts of a run and, for audit, what it
// read and where it ran. It never holds a credential.
type Summary struct {
	Command string `json:"command"` // validate, import users, …
	Kind    string `json:"kind"`
	// Lines is the physical lines of the input read (wc -l, plus one for
	// a last line without a newline; an XLSX sheet's rows), and LineUse
	// what they were: Lines = header + above header + in rows + blank.
	Lines   int     `json:"lines"`
	LineUse LineUse `json:"line_use"`
	// Total is the data rows: every one has one result.
	Total     int            `json:"total"`
	Succeeded int            `json:"succeeded"`
	Failed    int            `json:"failed"`
	Warnings  int            `json:"warnings"`
	ByOutcome map[string]int `json:"by_outcome"`
	// NotInFile counts, by outcome, the users not named by the file that
	// --deactivate-missing inactivated: results, but not rows of the file.
	NotInFile map[string]int `json:"not_in_file,omitempty"`
	// TopProblems are the most frequent problems, "rule — column": count.
	TopProblems []Count `json:"top_problems,omitempty"`
	// Notes are what was said about the file as a whole.
	Notes []string `json:"notes,omitempty"`

	// Requests, Retries and ElapsedSeconds are the sums over every
	// attempt on the run folder; Attempts has each, when there were
	// several (--resume).
	Requests       map[string]int64 `json:"requests_by_method,omitempty"`
	Retries        int64            `json:"retries,omitempty"`
	ElapsedSeconds float64          `json:"elapsed_seconds"`
	Attempts       []Attempt        `json:"attempts,omitempty"`
	// Pace is how this attempt was paced, and what iLMS took.
	Pace *Pace `json:"pace,omitempty"`

	Input       Input  `json:"input"`
	Mapping     string `json:"mapping,omitempty"`
	Settings    string `json:"settings,omitempty"`
	Version     string `json:"tool_version"`
	OSUser      string `json:"os_user,omitempty"`
	Host        string `json:"host,omitempty"`
	BaseURL     string `json:"base_url,omitempty"`
	OrgID       string `json:"org_id,omitempty"`
	DryRun      bool   `json:"dry_run,omitempty"`
	Interrupted bool   `json:"interrupted,omitempty"`
	// RetryOf is the run folder whose failures this run tried again
	// (--only-failed).
	RetryOf string `json:"retry_of,omitempty"`
	// UndoOf is the run folder this run reversed (undo).
	UndoOf string `json:"undo_of,omitempty"`
	// Plan is the saved plan the run wrote or applied.
	Plan *PlanRef `json:"plan,omitempty"`
}

// PlanRef names a saved plan in a run's summary: the file, its SHA-256,
// when it was made, and what the run decided with it ("saved" by a dry
// run, "applied", or "applied, rows changed since planned again" with
// --replan).
type PlanRef struct {
	Path     string    `json:"path"`
	SHA256   string    `json:"sha256,omitempty"`
	Created  time.Time `json:"created"`
	Decision string    `json:"decision"`
	// Applied is the saved plan an apply ran; Path is then the plan of
	// the run itself, in its folder.
	Applied *PlanRef `json:"applied,omitempty"`
}

// Stamp fills the summary's audit fields of where it ran: the tool's
// version, the operating-system user and the host.
func (s *Summary) Stamp() {
	s.Version = ilmsbulk.Version
	if u, err := user.Current(); err == nil {
		s.OSUser = u.Username
	}
	s.Host, _ = os.Hostname()
}

// LineUse says what the lines of an input were.
type LineUse struct {
	Header int `json:"header"`
	Above  int `json:"above_header,omitempty"`
	Rows   int `json:"in_rows"`
	Blank  int `json:"blank"`
	// Others are the lines of in_rows taken by rows the run is not of (a
	// run of only the rows that failed): they have no result.
	Others int `json:"in_other_rows,omitempty"`
}

// LinesNote explains the lines that are not one row each, or "" when
// every line but the header is one row.
func (s *Summary) LinesNote() string {
	u := s.LineUse
	var parts []string
	if u.Above > 0 {
		parts = append(parts, fmt.Sprintf("%d above the header (skipped)", u.Above))
	}
	if u.Blank > 0 {
		parts = append(parts, fmt.Sprintf("%d blank (skipped)", u.Blank))
	}
	if u.Others > 0 {
		parts = append(parts, fmt.Sprintf("%d are rows this run is not of (no result)", u.Others))
	}
	if rows := u.Rows - u.Others; rows > s.Total {
		parts = append(parts, fmt.Sprintf("the %d rows take %d lines (cells with line breaks)", s.Total, rows))
	}
	if u.Header > 1 {
		parts = append(parts, fmt.Sprintf("the header takes %d", u.Header))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("of the %d lines, %s", s.Lines, strings.Join(parts, ", "))
}

// Attempt is one run of a command on a run folder: the first, then each
// --resume.
type Attempt struct {
	Requests       map[string]int64 `json:"requests_by_method,omitempty"`
	Retries        int64            `json:"retries,omitempty"`
	ElapsedSeconds float64          `json:"elapsed_seconds"`
	Interrupted    bool             `json:"interrupted,omitempty"`
	// Unrecorded is an attempt that ended without writing summary.json (a
	// killed process): what it sent is not known.
	Unrecorded bool `json:"unrecorded,omitempty"`
}

// PriorAttempts are the attempts on a run folder before a resume, from the
// summary.json the last of them wrote (prev; nil when there is none) and
// the rows its journal has done. A killed attempt writes no summary, so
// rows done beyond what prev counts are the work of one it does not list.
func PriorAttempts(prev *Summary, doneRows int) []Attempt {
	if prev == nil {
		return []Attempt{{Unrecorded: true}}
	}
	attempts := append([]Attempt(nil), prev.Attempts...)
	if len(attempts) == 0 {
		attempts = []Attempt{{Requests: prev.Requests, Retries: prev.Retries, ElapsedSeconds: prev.ElapsedSeconds, Interrupted: prev.Interrupted}}
	}
	if doneRows > prev.Succeeded+prev.Failed {
		attempts = append(attempts, Attempt{Unrecorded: true})
	}
	return attempts
}

// AddAttempt records the attempt that writes the summary after the
// earlier ones, and makes the totals their sums.
func (s *Summary) AddAttempt(earlier []Attempt, a Attempt) {
	if len(earlier) == 0 {
		s.Attempts = nil
		s.Requests, s.Retries, s.ElapsedSeconds = a.Requests, a.Retries, a.ElapsedSeconds
		return
	}
	s.Attempts = append(append([]Attempt(nil), earlier...), a)
	s.Requests, s.Retries, s.ElapsedSeconds = map[string]int64{}, 0, 0
	for _, at := range s.Attempts {
		for m, n := range at.Requests {
			s.Requests[m] += n
		}
		s.Retries += at.Retries
		s.ElapsedSeconds += at.ElapsedSeconds
	}
}

// ReadSummary reads a summary.json.
func ReadSummary(path string) (*Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// Input describes the file a run read.
type Input struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	SHA256 string `json:"sha256"`
	Sheet  string `json:"sheet,omitempty"`
}

// Count is a label and how many times it occurred.
type Count struct {
	Label string `json:"problem"`
	N     int    `json:"count"`
}

// Top returns the n most frequent labels of counts, most frequent first.
func Top(counts map[string]int, n int) []Count {
	out := make([]Count, 0, len(counts))
	for k, v := range counts {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Label < out[j].Label
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// WriteJSON writes the summary to path, indented.
func (s *Summary) WriteJSON(path string) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
