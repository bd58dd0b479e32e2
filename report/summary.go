package report

import (
	"encoding/json"
	"os"
	"sort"
)

// Summary is summary.json: the counts of a run and, for audit, what it
// read and where it ran. It never holds a credential.
type Summary struct {
	Command   string         `json:"command"` // validate, import users, …
	Kind      string         `json:"kind"`
	Total     int            `json:"total"`
	Succeeded int            `json:"succeeded"`
	Failed    int            `json:"failed"`
	Warnings  int            `json:"warnings"`
	ByOutcome map[string]int `json:"by_outcome"`
	// TopProblems are the most frequent problems, "rule — column": count.
	TopProblems []Count `json:"top_problems,omitempty"`
	// Notes are what was said about the file as a whole.
	Notes []string `json:"notes,omitempty"`

	Requests       map[string]int64 `json:"requests_by_method,omitempty"`
	Retries        int64            `json:"retries,omitempty"`
	ElapsedSeconds float64          `json:"elapsed_seconds"`

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
