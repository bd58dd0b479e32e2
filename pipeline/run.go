package pipeline

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"

	"github.com/ilms-bulk/ilms-bulk/internal/files"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/remedy"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Tally counts the rows of a run.
type Tally struct {
	Rows, Valid, Invalid, Warnings int
	// Problems counts problems by "rule — column".
	Problems map[string]int
	// Hints counts the rows whose problem a reading option would fix.
	Hints map[remedy.Hint]int

	// What Run counts of the results: by outcome (as the sheets say it:
	// a dry run's in the plan's words), the rows that succeeded, those to
	// fix, those an interrupted run left.
	ByOutcome                  map[Outcome]int
	Succeeded, Failed, Pending int
	// NotInFile counts, by outcome, the users --deactivate-missing found
	// in scope and missing from the file: results that are not rows.
	NotInFile map[Outcome]int
	// Lines accounts for the file's lines; SHA256 is the file's.
	Lines  Lines
	SHA256 string
	// OtherLines are the lines of Lines.Rows that rows a run is not of
	// took (a run of only the rows that failed): they have no result.
	OtherLines int
}

func newTally() *Tally {
	return &Tally{Problems: map[string]int{}, Hints: map[remedy.Hint]int{}, ByOutcome: map[Outcome]int{}}
}

// add counts a row's result.
func (t *Tally) add(r *RowResult) {
	o := r.Outcome
	if r.Planned {
		o = o.Planned()
	}
	if r.Line <= 0 {
		// A user the file does not name (--deactivate-missing): not a row.
		if t.NotInFile == nil {
			t.NotInFile = map[Outcome]int{}
		}
		t.NotInFile[o]++
		return
	}
	t.Rows++
	t.ByOutcome[o]++
	switch {
	case r.Outcome == Pending:
		t.Pending++
	case r.Outcome.Succeeded():
		t.Succeeded++
	default:
		t.Failed++
	}
	switch r.Outcome {
	case Valid:
		t.Valid++
	case Invalid:
		t.Invalid++
	}
	if r.Warned {
		t.Warnings++
	}
}

// batchSize is how many rows travel together between the stages.
const batchSize = 256

type batch struct {
	seq   int
	rows  []Checked
	recs  []*mapping.Record // reused from batch to batch
	cells []string          // the rows' cells, reused
	est   int               // first batch: the rows the file may hold
}

// batchReader is a Source that can read into storage the caller owns.
type batchReader interface {
	nextInto(dst []string) (Row, error)
}

// Validate reads every row of src, checks it, and hands it to emit, in
// file order. Reading, checking and emitting overlap: one goroutine reads,
// workers (one per CPU) map and validate batches of rows, and the caller's
// goroutine puts them back in order, runs the checks across rows, counts
// them and calls emit. emit must not keep the *Checked (or its record)
// after it returns: their storage is reused. Validate stops at the first
// error of src or emit, or when ctx ends.
func Validate(ctx context.Context, src Source, c *Checker, emit func(*Checked) error) (Tally, error) {
	t := Tally{Problems: map[string]int{}, Hints: map[remedy.Hint]int{}}
	g, gctx := errgroup.WithContext(ctx)
	workers := max(1, min(runtime.GOMAXPROCS(0), 8))
	pool := make(chan *batch, workers*4)
	for range workers * 4 {
		pool <- &batch{}
	}
	read := make(chan *batch, workers*2)
	checked := make(chan *batch, workers*2)

	br, _ := src.(batchReader)
	prog, _ := src.(measured)
	g.Go(func() error {
		defer close(read)
		for seq := 0; ; seq++ {
			var b *batch
			select {
			case b = <-pool:
			case <-gctx.Done():
				return gctx.Err()
			}
			b.seq, b.rows = seq, b.rows[:0]
			width := len(src.Header())
			if br != nil && len(b.cells) < batchSize*width {
				b.cells = make([]string, batchSize*width)
			}
			for len(b.rows) < batchSize {
				var row Row
				var err error
				if br != nil {
					i := len(b.rows) * width
					row, err = br.nextInto(b.cells[i : i : i+width])
				} else {
					row, err = src.Next()
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return err
				}
				b.rows = append(b.rows, Checked{Row: row})
			}
			if len(b.rows) == 0 {
				return nil
			}
			b.est = 0
			if seq == 0 && prog != nil {
				if done, total := prog.Progress(); done > 0 && total > done {
					b.est = int(float64(total) / float64(done) * float64(len(b.rows)) * 1.1)
				}
			}
			select {
			case read <- b:
			case <-gctx.Done():
				return gctx.Err()
			}
			if len(b.rows) < batchSize {
				return nil
			}
		}
	})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for b := range read {
				for len(b.recs) < len(b.rows) {
					b.recs = append(b.recs, c.m.NewRecord())
				}
				for i := range b.rows {
					c.checkRow(&b.rows[i], b.recs[i])
				}
				select {
				case checked <- b:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(checked) }()
	g.Go(func() error {
		pending := map[int]*batch{}
		var hashes []uint64
		next := 0
		for b := range checked {
			pending[b.seq] = b
			for {
				b, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				if b.est > 0 {
					c.Reserve(b.est) // sized from the first batch
				}
				next++
				var warm uint64
				hashes, warm = c.touch(b.rows, hashes)
				touchSink.Add(warm)
				// The checks across rows go first for the whole batch,
				// while the slots Touch brought in are still cached.
				for i := range b.rows {
					c.crossCheck(&b.rows[i])
				}
				for i := range b.rows {
					ch := &b.rows[i]
					t.Count(c, ch)
					if err := emit(ch); err != nil {
						return err
					}
				}
				select {
				case pool <- b:
				default:
				}
			}
		}
		return nil
	})
	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return t, err
}

// touchSink keeps Checker.touch's reads alive.
var touchSink atomic.Uint64

// Count adds a checked row to the tally.
func (t *Tally) Count(c *Checker, ch *Checked) {
	if c.only != nil && !c.only[ch.Row.Line] {
		return
	}
	t.Rows++
	if ch.Valid() {
		t.Valid++
	} else {
		t.Invalid++
	}
	if ch.Row.Err != nil {
		label := "unreadable row"
		var re *RowError
		if errors.As(ch.Row.Err, &re) {
			label = re.Err.Error()
		}
		t.Problems[label]++
		if h := HintOf(ch.Row.Err); h != nil && t.Hints != nil {
			t.Hints[*h]++
		}
		return
	}
	warned := false
	for _, p := range ch.Problems {
		if p.Severity == validate.Warning {
			warned = true
		}
		label := "problem"
		if p.Rule != nil {
			label = p.Rule.Error()
		}
		if p.Field != "" {
			label += " — " + c.DescribeField(p.Field)
		}
		t.Problems[label]++
	}
	if warned {
		t.Warnings++
	}
}

// DescribeField names a field by the user's column, with the field's code
// when the column's name is not the code: "Email (F015)".
func (c *Checker) DescribeField(id string) string {
	switch id {
	case "User":
		return "user"
	case "":
		return ""
	}
	col := c.Column(id)
	if len(id) == 4 && id[0] == 'F' && col != id {
		return col + " (" + id + ")"
	}
	return col
}

// Column returns the header of the column a field comes from (its name
// when no column gives it). A course or curriculum given by name is its
// name's column.
func (c *Checker) Column(id string) string {
	switch {
	case id == mapping.Course && c.m.ColumnOf(mapping.Course) < 0 && c.m.ColumnOf(mapping.CourseName) >= 0:
		id = mapping.CourseName
	case id == mapping.Curriculum && c.m.ColumnOf(mapping.Curriculum) < 0 && c.m.ColumnOf(mapping.CurriculumName) >= 0:
		id = mapping.CurriculumName
	}
	return c.m.Column(id)
}

// FileSHA256 returns the hex SHA-256 of a file, for the audit trail.
func FileSHA256(path string) (string, error) {
	f, err := files.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
