package report

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// NothingToDo is what the summary of a file without rows says.
const NothingToDo = "no rows below the header: nothing to do, nothing sent"

// WriteImport writes an import's summary for a person: the rows by
// outcome, the requests, the notes, the warnings and the run folder, the
// options it names in words' words.
func (s *Summary) WriteImport(w io.Writer, dir string, throttled int64, words remedy.Words) {
	if s.Total == 0 {
		fmt.Fprintf(w, "%s %s: %s\nrun folder: %s\n", s.Command, s.Input.Path, NothingToDo, dir)
		return
	}
	verb := ""
	if s.DryRun {
		verb = " (dry run: nothing sent)"
	}
	fmt.Fprintf(w, "%s %s: %d lines, %d rows in %s%s — %s\n", s.Command, s.Input.Path, s.Lines, s.Total, time.Duration(s.ElapsedSeconds*float64(time.Second)).Round(100*time.Millisecond), verb, counts(s.ByOutcome, "%[2]d %[1]s"))
	if note := s.LinesNote(); note != "" {
		fmt.Fprintf(w, "note: %s\n", note)
	}
	if len(s.NotInFile) > 0 {
		fmt.Fprintf(w, "users in scope and not in the file (%s): %s\n", words.Of(remedy.Of(remedy.DeactivateMissing)), counts(s.NotInFile, "%[2]d %[1]s"))
	}
	var n int64
	for _, c := range s.Requests {
		n += c
	}
	over := ""
	if len(s.Attempts) > 1 {
		over = fmt.Sprintf(" over %d attempts", len(s.Attempts))
	}
	fmt.Fprintf(w, "requests: %d (%s)%s, %d retried, %d answered 429\n", n, counts(s.Requests, "%s %d"), over, s.Retries, throttled)
	if s.Pace != nil && n > 0 {
		fmt.Fprintf(w, "pace: %s\n", s.Pace.In(words))
	}
	for _, note := range s.Notes {
		fmt.Fprintf(w, "note: %s\n", note)
	}
	if s.Warnings > 0 {
		rows, sheet := "rows", ResultsCSV
		if s.Warnings == 1 {
			rows = "row"
		}
		if s.DryRun {
			sheet = PlanCSV
		}
		fmt.Fprintf(w, "%d %s with warnings: see %s\n", s.Warnings, rows, filepath.Join(dir, sheet))
	}
	switch p := s.Plan; {
	case p == nil:
	case p.Decision == "saved":
		fmt.Fprintf(w, "plan saved: %s\n  show it:  ilms-bulk plan show %[1]s\n  apply it: ilms-bulk apply %[1]s\n", p.Path)
	case p.Applied != nil:
		fmt.Fprintf(w, "plan applied: %s, made %s\n", p.Applied.Path, p.Applied.Created.Local().Format("2006-01-02 15:04"))
	case strings.HasPrefix(p.Decision, "blocked"):
		fmt.Fprintf(w, "the plan, to inspect: ilms-bulk plan show %s\n", p.Path)
	}
	fmt.Fprintf(w, "run folder: %s\n", dir)
}

// Verdict says, when some rows are to fix, how many and where: "3 of 25
// rows failed or are invalid; see DIR/errors.csv"; "" when none is.
func (s *Summary) Verdict(dir string) string {
	switch {
	case s.Failed == 0 && s.NotInFile["failed"] > 0:
		return fmt.Sprintf("%d users not in the file could not be inactivated; see %s", s.NotInFile["failed"], filepath.Join(dir, ResultsCSV))
	case s.Failed == 0:
		return ""
	case s.Command == "validate":
		return fmt.Sprintf("%d of %d rows are invalid; fix them in %s and validate again", s.Failed, s.Total, filepath.Join(dir, ErrorsCSV))
	case s.DryRun:
		return fmt.Sprintf("%d of %d rows would fail or are invalid; see %s", s.Failed, s.Total, filepath.Join(dir, PlanCSV))
	}
	// Rows left alone (stale, blocked) are not done, but did not fail:
	// say what they are.
	other, notDone := false, map[string]int{}
	for o, n := range s.ByOutcome {
		switch o {
		case "stale", "blocked", "cannot undo":
			other = true
			fallthrough
		case "failed", "invalid", "conflict":
			notDone[o] = n
		}
	}
	if other {
		return fmt.Sprintf("%d of %d rows are not done (%s); see %s", s.Failed, s.Total, counts(notDone, "%[2]d %[1]s"), filepath.Join(dir, ResultsCSV))
	}
	return fmt.Sprintf("%d of %d rows failed or are invalid; see %s", s.Failed, s.Total, filepath.Join(dir, ErrorsCSV))
}

// WriteValidation writes a validation's summary for a person.
func (s *Summary) WriteValidation(w io.Writer, dir string, errorRows int) {
	fmt.Fprintf(w, "%s: %d lines, %d %s rows: %d valid, %d invalid, %d with warnings\n", s.Input.Path, s.Lines, s.Total, s.Kind, s.Succeeded, s.Failed, s.Warnings)
	if note := s.LinesNote(); note != "" {
		fmt.Fprintf(w, "  note: %s\n", note)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if len(s.TopProblems) > 0 {
		fmt.Fprintln(w, "most frequent problems:")
		for _, c := range s.TopProblems[:min(5, len(s.TopProblems))] {
			fmt.Fprintf(w, "  %6d × %s\n", c.N, c.Label)
		}
	}
	fmt.Fprintf(w, "results: %s\n", filepath.Join(dir, ResultsCSV))
	if errorRows > 0 {
		fmt.Fprintf(w, "errors:  %s (%d rows to fix)\n", filepath.Join(dir, ErrorsCSV), errorRows)
	}
}

// counts writes counts by name, sorted by name, each as format says.
func counts[N int | int64](m map[string]N, format string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf(format, k, m[k])
	}
	return strings.Join(parts, ", ")
}

// CountsText says counts by label as the run's final line does: "3
// create, 2 update".
func CountsText(m map[string]int) string { return counts(m, "%[2]d %[1]s") }
