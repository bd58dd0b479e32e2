package pipeline

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/report"
)

// Resume is what an earlier run in a folder did, for a run that finishes
// it: its journal, read once, and the attempts its summary counts.
type Resume struct {
	Dir     string
	State   *JournalState
	Earlier []report.Attempt
}

// Retry is a run whose failures a new run tries again (--only-failed):
// the rows of its file that failed for a reason that may pass now, or
// every row of its errors sheet, fixed.
type Retry struct {
	Dir   string
	State *JournalState
	// Lines are the rows of the first run's file to try again; nil when
	// the input is its errors sheet, fixed (Fixed), every row of which is
	// tried.
	Lines map[int]bool
	Fixed string
	// NotInFile counts the users not in the first run's file whose
	// inactivation failed (--deactivate-missing): not rows, not retried.
	NotInFile int
}

// OpenRetry reads the run in dir, an import of kind, for a run of its
// failures; fixed, when given, is its errors sheet, fixed.
func OpenRetry(dir string, kind mapping.Kind, fixed string) (*Retry, error) {
	res, err := OpenResume(dir, kind)
	if err != nil {
		return nil, err
	}
	r := &Retry{Dir: dir, State: res.State, Fixed: fixed}
	if fixed != "" {
		return r, nil
	}
	r.Lines = map[int]bool{}
	for line, res := range res.State.Done {
		switch {
		case res.Outcome != Failed || !res.Retry:
		case line > 0:
			r.Lines[line] = true
		default:
			r.NotInFile++ // a user not in the file: not a row to retry
		}
	}
	return r, nil
}

// File is the file a retry reads: the errors sheet given, or the first
// run's file.
func (r *Retry) File() string {
	if r.Fixed != "" {
		return r.Fixed
	}
	return r.State.Header.File
}

// resumeError is a folder that cannot be resumed as asked.
type resumeError struct{ msg string }

func (e *resumeError) Error() string { return e.msg }

// Usage marks the error as the caller's mistake: nothing was sent.
func (e *resumeError) Usage() bool { return true }

// OpenResume reads the run in dir, an import of kind.
func OpenResume(dir string, kind mapping.Kind) (*Resume, error) {
	st, err := ReadJournal(filepath.Join(dir, JournalFile))
	if err != nil {
		return nil, &FileError{Path: dir, Err: fmt.Errorf("not a run folder that can be resumed: %w", err)}
	}
	if st.Header.Kind != kind.String() {
		return nil, &resumeError{fmt.Sprintf("%s is a run of import %s, not import %s", dir, st.Header.Kind, kind)}
	}
	// The attempts before this one, from the summary the last of them
	// wrote: this run's summary adds to their counts.
	prev, err := report.ReadSummary(filepath.Join(dir, report.SummaryJSON))
	if err != nil {
		prev = nil
	}
	return &Resume{Dir: dir, State: st, Earlier: report.PriorAttempts(prev, len(st.Done))}, nil
}

// File is the file the run read.
func (r *Resume) File() string { return r.State.Header.File }

// Check refuses a file that is not the one the run began with. When the
// run read the whole file, the file is read a second time, for its
// SHA-256, before anything is sent; a run stopped before that is held to
// the file's size and modification time.
func (r *Resume) Check(path string) error {
	changed := func(what string) error {
		return &FileError{Path: path, Err: fmt.Errorf("the file has changed since the run in %s began (%s differs); import the new file as a new run", r.Dir, what)}
	}
	if r.State.SHA256 != "" {
		sum, err := FileSHA256(path)
		if err != nil {
			return &FileError{Path: path, Err: err}
		}
		if sum != r.State.SHA256 {
			return changed("its SHA-256")
		}
		return nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	if h := r.State.Header; st.Size() != h.Size || !st.ModTime().Equal(h.Modified) {
		return changed("its size or modification time")
	}
	return nil
}
