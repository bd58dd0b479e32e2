package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// collect is a Sink that keeps every result, in the order it hears them.
type collect struct {
	mu   sync.Mutex
	rows []RowResult
}

func (c *collect) Row(r *RowResult) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp := *r
	cp.Cells = append([]string(nil), r.Cells...)
	c.rows = append(c.rows, cp)
	return nil
}

// checkEveryRowOnce fails unless the sink heard rows 2 … n+1, in order,
// once each.
func checkEveryRowOnce(t *testing.T, c *collect, n int) {
	t.Helper()
	if len(c.rows) != n {
		t.Fatalf("%d results for %d rows", len(c.rows), n)
	}
	for i, r := range c.rows {
		if r.Line != i+2 {
			t.Fatalf("result %d is for row %d", i, r.Line)
		}
	}
}

// newPeopleCSV writes n new people to a CSV file.
func newPeopleCSV(t *testing.T, n int) string { return newUsersFile(t, n) }

func sandboxClient(t *testing.T, opts sandbox.Options) (*sandbox.Server, *ilms.Client) {
	srv, c, _ := sandboxtest.Serve(t, sandboxtest.Options{Sandbox: opts})
	return srv, c
}

func TestRunValidatesEveryRowOnce(t *testing.T) {
	path := newPeopleCSV(t, 3000)
	in, err := OpenInput(path, InputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var sink collect
	var last Progress
	tally, err := Run(context.Background(), in, RunOptions{Check: CheckOptions{Settings: validate.DefaultSettings()}, Sink: &sink, Progress: func(p Progress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	checkEveryRowOnce(t, &sink, 3000)
	want, _ := FileSHA256(path)
	if tally.Rows != 3000 || tally.Valid+tally.Invalid != 3000 || tally.SHA256 != want || tally.Lines.Read != 3001 {
		t.Errorf("tally %+v (want sha %s)", tally, want)
	}
	if last.Rows != 3000 || last.Size == 0 || last.Done != last.Size {
		t.Errorf("last progress %+v", last)
	}
}

// An import hands on every row in row order, though the rows finish in
// any order on the workers.
func TestRunImportsInRowOrder(t *testing.T) {
	_, c := sandboxClient(t, sandbox.Options{Latency: 2 * time.Millisecond})
	in := openPeople(t, 300)
	var sink collect
	tally, err := Run(context.Background(), in, RunOptions{
		Check:  CheckOptions{Settings: validate.DefaultSettings()},
		Import: &ImportOptions{Client: c, Workers: 8},
		Sink:   &sink,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkEveryRowOnce(t, &sink, 300)
	if tally.ByOutcome[Created] != 300 || tally.Succeeded != 300 {
		t.Errorf("tally %+v", tally)
	}
}

// An interrupt stops dispatching; the rows after it are still read, and
// each has a result: done, or pending.
func TestRunInterruptedLeavesEveryRowAResult(t *testing.T) {
	_, c := sandboxClient(t, sandbox.Options{Latency: 5 * time.Millisecond})
	in := openPeople(t, 400)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sink collect
	tally, err := Run(ctx, in, RunOptions{
		Check:  CheckOptions{Settings: validate.DefaultSettings()},
		Import: &ImportOptions{Client: c, Workers: 4},
		Sink:   &sink,
		Progress: func(p Progress) {
			if p.Rows == 20 {
				cancel()
			}
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the interrupt", err)
	}
	checkEveryRowOnce(t, &sink, 400)
	if tally.Pending == 0 || tally.Succeeded < 20 || tally.Succeeded+tally.Pending != 400 {
		t.Errorf("tally: %d succeeded, %d pending, %d failed", tally.Succeeded, tally.Pending, tally.Failed)
	}
	for _, r := range sink.rows[20:] {
		if r.Outcome != Pending && r.Outcome != Created {
			t.Errorf("row %d: %s", r.Line, r.Outcome)
		}
	}
}

// The window holds the reader back while a slow row keeps the rows after
// it from being handed on.
func TestOrdererWindow(t *testing.T) {
	var got []int
	o := newOrderer(func(r *RowResult) error { got = append(got, r.Line); return nil }, 2)
	o.add(nil, 0, 2, nil)
	o.add(nil, 0, 3, nil)
	o.done(Result{Line: 3})
	added := make(chan struct{})
	go func() {
		o.add(nil, 0, 4, nil) // waits: rows 2 and 3 are in the window
		close(added)
	}()
	select {
	case <-added:
		t.Fatal("a third row was let in while the window was full")
	case <-time.After(50 * time.Millisecond):
	}
	o.done(Result{Line: 2}) // rows 2 and 3 go out
	<-added
	o.done(Result{Line: 4})
	if err := o.close(); err != nil || len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 4 {
		t.Errorf("handed on %v (%v)", got, err)
	}
	// A row never given a result is a defect, said so.
	o = newOrderer(func(*RowResult) error { return nil }, 4)
	o.add(nil, 0, 2, nil)
	if err := o.close(); err == nil {
		t.Error("a row without a result went unnoticed")
	}
}

// The SHA-256 a source computes while reading is the file's, whether the
// whole file was read or not.
func TestSourceSHA256(t *testing.T) {
	path := newPeopleCSV(t, 500)
	want, _ := FileSHA256(path)
	for _, rows := range []int{0, 10, 500} {
		src, err := Open(path, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for range rows {
			src.Next()
		}
		got, err := src.SHA256()
		src.Close()
		if err != nil || got != want {
			t.Errorf("after %d rows: %s, want %s (%v)", rows, got, want, err)
		}
	}
	book := workbook(t, map[string][][]any{"People": people}, "People")
	want, _ = FileSHA256(book)
	src, err := Open(book, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got, err := src.SHA256(); err != nil || got != want {
		t.Errorf("workbook: %s, want %s (%v)", got, want, err)
	}
}

// The plans wait on disk between the two passes of an import: no
// password is among them.
func TestSpoolHoldsNoPassword(t *testing.T) {
	_, c := sandboxClient(t, sandbox.Options{})
	dir := t.TempDir()
	file := filepath.Join(dir, "u.csv")
	os.WriteFile(file, []byte("Employee ID,First Name,Last Name,Email,Password,Region,Division,Department\n"+
		"PW-1,Pia,Word,pia@example.com,S3cret-Pw1!,Region 1,Division 1,Department 1\n"+
		"PW-2,Pat,Word,pat@example.com,S3cret-Pw2!,Region 1,Division 1,Department 1\n"), 0o644)
	in, err := OpenInput(file, InputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var sink collect
	looked := false
	_, err = Run(context.Background(), in, RunOptions{
		Check:  CheckOptions{Settings: validate.DefaultSettings()},
		Import: &ImportOptions{Client: c, Workers: 1, SpoolDir: dir},
		Sink:   &sink,
		Progress: func(p Progress) {
			if p.Planning || looked {
				return
			}
			looked = true // the second pass: the spool is on disk
			entries, _ := os.ReadDir(dir)
			spools := 0
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".ilms-bulk-plans-") {
					spools++
					b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
					if bytes.Contains(b, []byte("S3cret")) {
						t.Errorf("the spool %s holds a password", e.Name())
					}
				}
			}
			if spools != 1 {
				t.Errorf("%d spools in the run folder", spools)
			}
		},
	})
	if err != nil || !looked {
		t.Fatalf("run: %v (looked %v)", err, looked)
	}
	for _, r := range sink.rows {
		if r.Outcome != Created {
			t.Errorf("row %d: %s %s", r.Line, r.Outcome, r.Message)
		}
	}
}

// An interrupt while the organization is read leaves every row a result:
// pending, for a resume.
func TestInterruptWhileReadingTheOrg(t *testing.T) {
	_, c := sandboxClient(t, sandbox.Options{Latency: 50 * time.Millisecond})
	in := openPeople(t, 30)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sink collect
	tally, err := Run(ctx, in, RunOptions{
		Check:  CheckOptions{Settings: validate.DefaultSettings()},
		Import: &ImportOptions{Client: c, Workers: 4, OnLoad: cancel},
		Sink:   &sink,
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the interrupt", err)
	}
	checkEveryRowOnce(t, &sink, 30)
	if tally.Pending != 30 {
		t.Errorf("tally %+v: want every row pending", tally)
	}
}

// openPeople opens a file of n new people, closed when the test ends.
func openPeople(t *testing.T, n int) *Input {
	t.Helper()
	in, err := OpenInput(newPeopleCSV(t, n), InputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}
