package pipeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// rowSpool keeps an import's rows between its two passes: each row's
// cells and its plan or result, as JSON lines in a private temporary
// file, removed when the run ends. Passwords stay in memory, by row: they
// are never written out.
type rowSpool struct {
	f         *os.File
	w         *bufio.Writer
	enc       *json.Encoder
	passwords map[int]string
}

// spooled is one row in the spool.
type spooled struct {
	Line  int         `json:"line"`
	Cells []string    `json:"cells"`
	End   int64       `json:"end"`
	Saved *PlannedRow `json:"saved,omitempty"`
	// Result is the row's result when it sends nothing; Finish says the
	// journal keeps it (a resumed row's is kept already).
	Result *Result `json:"result,omitempty"`
	Finish bool    `json:"finish,omitempty"`
	// Plan is the rest of a plan that writes (its actions are Saved's).
	Plan *spooledPlan `json:"plan,omitempty"`
}

type spooledPlan struct {
	Columns    []string `json:"columns,omitempty"`
	Warned     bool     `json:"warned,omitempty"`
	Email      string   `json:"email,omitempty"`
	EmployeeID string   `json:"employee_id,omitempty"`
}

func newRowSpool(dir string) (*rowSpool, error) {
	f, err := os.CreateTemp(dir, ".ilms-bulk-plans-*.jsonl")
	if err != nil {
		return nil, &FileError{Path: dir, Err: fmt.Errorf("the run cannot keep its plans: %w", err)}
	}
	w := bufio.NewWriterSize(f, 64<<10)
	return &rowSpool{f: f, w: w, enc: json.NewEncoder(w), passwords: map[int]string{}}, nil
}

func (s *rowSpool) put(r *spooled) error {
	if err := s.enc.Encode(r); err != nil {
		return fmt.Errorf("the run cannot keep its plans: %w", err)
	}
	return nil
}

// each hands f every row put, in order.
func (s *rowSpool) each(f func(*spooled) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("the run cannot keep its plans: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReaderSize(s.f, 64<<10))
	for {
		var r spooled
		if err := dec.Decode(&r); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("the run's plans cannot be read back: %w", err)
		}
		if err := f(&r); err != nil {
			return err
		}
	}
}

func (s *rowSpool) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// plan rebuilds a plan that writes.
func (r *spooled) plan(password string) *Plan {
	sv := r.Saved
	return &Plan{Line: r.Line, Key: sv.Key, Outcome: sv.Outcome, UserID: sv.UserID, Message: sv.Message, steps: sv.Actions,
		Columns: r.Plan.Columns, Warned: r.Plan.Warned, email: r.Plan.Email, employeeID: r.Plan.EmployeeID, password: password}
}

// resultRow is a saved plan's row of a row settled before planning (a
// resumed row's result).
func resultRow(r Result) *PlannedRow {
	return &PlannedRow{Line: r.Line, Key: r.Key, Outcome: r.Outcome, UserID: r.ID, Message: r.Message}
}

func (r *PlannedRow) key() string {
	if r == nil {
		return ""
	}
	return r.Key
}

func (r *PlannedRow) writes() bool { return len(r.Actions) > 0 }

// rowList says rows as a person reads them: "row 4", "rows 4, 9 and 12",
// the first ten of many.
func rowList(lines []int) string {
	if len(lines) == 1 {
		return fmt.Sprintf("row %d", lines[0])
	}
	parts := make([]string, 0, 10)
	for _, l := range lines[:min(len(lines), 10)] {
		parts = append(parts, fmt.Sprint(l))
	}
	s := "rows " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	if len(lines) > 10 {
		s = fmt.Sprintf("rows %s, … (%d in all)", strings.Join(parts, ", "), len(lines))
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
