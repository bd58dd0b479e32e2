package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

var testHeader = JournalHeader{Journal: 1, Kind: "users", File: "/data/cohort.csv", SHA256: "5f1d", Args: []string{"--match=F015"}}

// journalRun is one attempt of a run: it opens the journal (with the
// header when it is the first), writes what rows do, and closes it.
func journalRun(t *testing.T, path string, first bool, do func(j *Journal)) {
	t.Helper()
	var h *JournalHeader
	if first {
		h = &testHeader
	}
	j, err := CreateJournal(path, h)
	if err != nil {
		t.Fatal(err)
	}
	do(j)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

func started(t *testing.T, j *Journal, row int, email string) {
	t.Helper()
	if err := j.Started(row, email, ""); err != nil {
		t.Fatal(err)
	}
}

func done(j *Journal, row int, o Outcome) { j.Done(Result{Line: row, Outcome: o}) }

// appendRaw adds bytes to the journal as a crash would leave them.
func appendRaw(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func readJournal(t *testing.T, path string) *JournalState {
	t.Helper()
	st, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func wantRows(t *testing.T, st *JournalState, done []int, inFlight map[int]string) {
	t.Helper()
	if len(st.Done) != len(done) {
		t.Errorf("done rows %v, want %v", st.Done, done)
	}
	for _, r := range done {
		if _, ok := st.Done[r]; !ok {
			t.Errorf("row %d is not done: %v", r, st.Done)
		}
	}
	if len(st.InFlight) != len(inFlight) {
		t.Errorf("rows in flight %v, want %v", st.InFlight, inFlight)
	}
	for r, email := range inFlight {
		if st.InFlight[r][0] != email {
			t.Errorf("row %d in flight with %q, want %q", r, st.InFlight[r], email)
		}
	}
}

// TestJournalTornLastLine: a crash in the middle of a write leaves part of
// a line; the reader ignores it, and a resume that appends to the journal
// does not glue its first line to it.
func TestJournalTornLastLine(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	journalRun(t, path, true, func(j *Journal) {
		started(t, j, 2, "a@example.com")
		done(j, 2, Created)
		started(t, j, 3, "b@example.com")
	})
	appendRaw(t, path, `{"row":3,"state":"done","result":{"row":3,"outc`)
	wantRows(t, readJournal(t, path), []int{2}, map[int]string{3: "b@example.com"})

	journalRun(t, path, false, func(j *Journal) { done(j, 3, Created) })
	st := readJournal(t, path)
	wantRows(t, st, []int{2, 3}, nil)
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), `"outc{`) || !strings.HasSuffix(string(b), "\n") {
		t.Errorf("the torn line is still there:\n%s", b)
	}
}

// TestJournalResumeOfAResume: each attempt appends to the same journal;
// after three the journal holds every row any of them finished, the rows
// the last left in flight, and the first attempt's header.
func TestJournalResumeOfAResume(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	journalRun(t, path, true, func(j *Journal) {
		started(t, j, 2, "a@example.com")
		done(j, 2, Created)
		started(t, j, 3, "b@example.com") // killed here
	})
	journalRun(t, path, false, func(j *Journal) {
		started(t, j, 3, "b@example.com")
		done(j, 3, Created)
		done(j, 4, Invalid)
		started(t, j, 5, "c@example.com") // killed again
	})
	appendRaw(t, path, `{"row":5,"st`) // mid-write
	st := readJournal(t, path)
	wantRows(t, st, []int{2, 3, 4}, map[int]string{5: "c@example.com"})
	journalRun(t, path, false, func(j *Journal) {
		started(t, j, 5, "c@example.com")
		done(j, 5, Updated)
	})
	st = readJournal(t, path)
	wantRows(t, st, []int{2, 3, 4, 5}, nil)
	if st.Done[4].Outcome != Invalid || st.Done[5].Outcome != Updated {
		t.Errorf("results changed on the way: %+v", st.Done)
	}
	if h := st.Header; h == nil || h.Kind != testHeader.Kind || h.File != testHeader.File || h.SHA256 != testHeader.SHA256 || strings.Join(h.Args, " ") != "--match=F015" {
		t.Errorf("header %+v, want the first attempt's %+v", st.Header, testHeader)
	}
	b, _ := os.ReadFile(path)
	if n := strings.Count(string(b), `"journal":1`); n != 1 {
		t.Errorf("%d headers in the journal, want 1:\n%s", n, b)
	}
}

// TestReadJournalHeader: the first line says what the run is; a file
// without one is no journal, and a started row that a later line says is
// done is not in flight.
func TestReadJournalHeader(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		wantErr string
		done    []int
		flight  map[int]string
	}{
		{name: "header only", text: `{"journal":1,"kind":"users","file":"f","sha256":"s","args":null}` + "\n"},
		{name: "empty", text: "", wantErr: "is empty"},
		{name: "a header cut short", text: `{"journal":1,"kind":"us`, wantErr: "is empty"},
		{name: "no header", text: `{"row":2,"state":"started"}` + "\n", wantErr: "is not an ilms-bulk journal"},
		{name: "not JSON", text: "row,outcome\n2,created\n", wantErr: "is not an ilms-bulk journal"},
		{name: "a spoilt line in the middle", text: `{"journal":1}` + "\n" + `{"row":2,"sta` + "\n" + `{"row":3,"state":"started"}` + "\n", wantErr: "line 2"},
		{name: "started then done", text: `{"journal":1}` + "\n" + `{"row":2,"state":"started","email":"a@b.c"}` + "\n" + `{"row":2,"state":"done","result":{"row":2,"outcome":"created"}}` + "\n", done: []int{2}},
		{name: "started again after done", text: `{"journal":1}` + "\n" + `{"row":2,"state":"done","result":{"row":2,"outcome":"created"}}` + "\n" + `{"row":2,"state":"started","email":"a@b.c"}` + "\n", done: []int{2}},
		{name: "in flight", text: `{"journal":1}` + "\n" + `{"row":7,"state":"started","email":"a@b.c","employee_id":"E7"}` + "\n", flight: map[int]string{7: "a@b.c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.jsonl")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			st, err := ReadJournal(path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.Header == nil || st.Header.Journal != 1 {
				t.Errorf("header %+v", st.Header)
			}
			wantRows(t, st, tc.done, tc.flight)
		})
	}
	if _, err := ReadJournal(filepath.Join(t.TempDir(), "missing.jsonl")); !os.IsNotExist(err) {
		t.Errorf("a missing journal: %v, want not-exist", err)
	}
}

// TestJournalManyWriters: rows finishing on many workers at once each get
// their line, and Close waits for the last of them.
func TestJournalManyWriters(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	const rows = 500
	journalRun(t, path, true, func(j *Journal) {
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for r := 2 + w; r < rows+2; r += 8 {
					if err := j.Started(r, "", ""); err != nil {
						t.Error(err)
						return
					}
					done(j, r, Created)
				}
			})
		}
		wg.Wait()
	})
	st := readJournal(t, path)
	if len(st.Done) != rows || len(st.InFlight) != 0 {
		t.Errorf("%d rows done, %d in flight; want %d, 0", len(st.Done), len(st.InFlight), rows)
	}
}
