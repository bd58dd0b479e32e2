package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Input is a file opened for a run: its rows, read once, and how its
// columns map to fields.
type Input struct {
	Path   string
	Source Source
	Mapper *mapping.Mapper
}

// InputOptions say how to open and map an input.
type InputOptions struct {
	Read ReadOptions
	// Spec is the mapping file's content; nil for none.
	Spec *mapping.Spec
	// Kind is the kind of file; nil to infer it from the header.
	Kind *mapping.Kind
	// IgnoreUnknown leaves out columns that map to no field.
	IgnoreUnknown bool
}

// OpenInput opens a file and maps its header. When the header does not
// map, the error names where a header may be instead (a row further
// down, another sheet) as hints.
func OpenInput(path string, opts InputOptions) (*Input, error) {
	src, err := Open(path, opts.Read)
	if err != nil {
		return nil, err
	}
	kind := mapping.Infer(src.Header(), opts.Spec)
	if opts.Kind != nil {
		kind = *opts.Kind
	}
	m, err := mapping.New(kind, src.Header(), opts.Spec, opts.IgnoreUnknown)
	if err == nil && m.Mapped() == 0 {
		err = fmt.Errorf("no column of the header row (%s) names a field", quoteCells(src.Header(), 5))
	}
	if err != nil {
		src.Close()
		return nil, &HeaderError{Path: path, Err: err, Hints: SuggestHeader(path, opts.Read, opts.Spec)}
	}
	return &Input{Path: path, Source: src, Mapper: m}, nil
}

// Close closes the file.
func (in *Input) Close() error { return in.Source.Close() }

// Stat returns the size and modification time of the file.
func (in *Input) Stat() (int64, time.Time) {
	st, err := os.Stat(in.Path)
	if err != nil {
		return 0, time.Time{}
	}
	return st.Size(), st.ModTime()
}

// HeaderError is a header that does not map to the fields of its kind of
// file, with the options that may read the header where it is.
type HeaderError struct {
	Path  string
	Err   error
	Hints []remedy.Hint
}

func (e *HeaderError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *HeaderError) Unwrap() error { return e.Err }

// Input marks the error as input that cannot be read: nothing was sent.
func (e *HeaderError) Input() bool { return true }

func (e *HeaderError) remedies() []remedy.Hint { return e.Hints }

// HintsOf returns every remedy an error names.
func HintsOf(err error) []remedy.Hint {
	var hs interface{ remedies() []remedy.Hint }
	if errors.As(err, &hs) {
		return hs.remedies()
	}
	if h := HintOf(err); h != nil {
		return []remedy.Hint{*h}
	}
	return nil
}

func quoteCells(cells []string, n int) string {
	var out []string
	for _, c := range cells[:min(n, len(cells))] {
		out = append(out, validate.Quote(c))
	}
	if len(cells) > n {
		out = append(out, "…")
	}
	return strings.Join(out, ", ")
}

// CheckAsNew says how a validation checks a users file: as new users
// (every required field needs a value) for create-only, or for upsert
// when the file has a column for every field a new user needs; otherwise
// as changes to existing users, with a note that says why.
func CheckAsNew(m *mapping.Mapper, mode Mode) (create bool, note string) {
	switch {
	case m.Kind() != mapping.Users:
		return false, ""
	case mode == CreateOnly:
		return true, ""
	case mode == UpdateOnly:
		return false, ""
	}
	var missing []string
	for _, f := range validate.Fields {
		if f.Required && !m.Has(f.Code) {
			missing = append(missing, m.Column(f.Code))
		}
	}
	if len(missing) == 0 {
		return true, ""
	}
	return false, fmt.Sprintf("the file has no %s column, so its rows are checked as changes to existing users", strings.Join(missing, ", "))
}

// RowResult is what a Sink hears of one row: its result, and the row as
// read. It is valid until Row returns: a sink that keeps one copies it.
type RowResult struct {
	Result
	Cells []string
	// Planned is set for a dry run: Outcome is what would happen.
	Planned bool
	end     int64 // Row.End
	// saved is the row's plan as a saved plan keeps it (a dry run with
	// ImportOptions.PlanOut).
	saved *PlannedRow
	// Problems are a validated row's problems, one by one, for a table a
	// person filters (a web page); nil for a clean row and for imports.
	Problems []Problem
}

// Problem is one thing wrong with a row, as a table shows it: the column
// as the file names it, the value, the rule, what is wrong, and a
// suggestion when one is close.
type Problem struct {
	Column     string `json:"column,omitempty"`
	Value      string `json:"value,omitempty"`
	Rule       string `json:"rule,omitempty"`
	Detail     string `json:"detail"`
	Suggestion string `json:"suggestion,omitempty"`
	Warning    bool   `json:"warning,omitempty"`
}

// problems lists a checked row's problems for a table.
func (c *Checker) problems(ch *Checked) []Problem {
	var re *RowError
	if errors.As(ch.Row.Err, &re) {
		pr := Problem{Column: re.Column, Rule: fmt.Sprint(re.Err), Detail: re.Detail}
		if re.Hint != nil {
			pr.Detail += "; " + c.words.Say(*re.Hint)
		}
		return []Problem{pr}
	} else if ch.Row.Err != nil {
		return []Problem{{Detail: ch.Row.Err.Error()}}
	}
	out := make([]Problem, 0, len(ch.Problems))
	for _, p := range ch.Problems {
		pr := Problem{Column: c.DescribeField(p.Field), Value: p.Value, Detail: p.Explain(c.words), Suggestion: p.Suggestion, Warning: p.Severity == validate.Warning}
		if p.Rule != nil {
			pr.Rule = p.Rule.Error()
		}
		out = append(out, pr)
	}
	return out
}

// Sink hears the result of every row of a run, once each, in row order,
// from one goroutine at a time.
type Sink interface {
	Row(*RowResult) error
}

// Progress is how far a run is.
type Progress struct {
	Rows, Failed int   // rows with a result so far, and those to fix
	Done, Size   int64 // bytes of the file read, and its size
	// Planning is set while an import plans its rows, before the first
	// write; Planned counts them.
	Planning bool
	Planned  int
}

// RunOptions are the choices of one run.
type RunOptions struct {
	Check CheckOptions
	// Import plans every row against the organization and sends the
	// plans; nil validates the file offline.
	Import *ImportOptions
	// Sink hears every row's result; Progress, when set, is told after
	// each.
	Sink     Sink
	Progress func(Progress)
}

// ImportOptions are the choices of an import.
type ImportOptions struct {
	Client *ilms.Client
	PlanOptions
	Workers int
	// DryRun plans every row and sends no write request.
	DryRun bool
	// Resume holds what an earlier run of the same file did: rows with a
	// result keep it and are not touched again, rows it left in flight
	// have their user looked up before they are planned.
	Resume *JournalState
	// Journal records the run; nil for a dry run.
	Journal *Journal
	// OnLoad is told when the organization is about to be read: the
	// first row that needs it has been read.
	OnLoad func()

	// Limits are the safety limits, checked before the first write.
	Limits Limits
	// SpoolDir holds the plans between the two passes ("": the system's
	// temporary folder).
	SpoolDir string

	onPlan func(Progress) // told as rows are planned (the first pass)
	apply  *Apply         // the saved plan each row is judged against
	undo   *Undo          // the run whose rows this one reverses
	only   map[int]bool   // the rows the run is of (--only-failed); nil: all
}

// Pending is the message of a row an interrupted run did not reach.
const pendingMessage = "not done yet: the run was interrupted; resuming the run finishes it"

// Run validates or imports every row of in: it maps and checks each row,
// and for an import plans it against the organization (read once, when
// the first row needs it) and runs the plans on a pool of workers under
// the client's pacer. Every row's result goes to opts.Sink in row order,
// once; the input is read once, to its end, even when ctx ends (the rows
// after an interrupt are pending) or the API refuses the credentials
// (ErrAborted). Run returns the tally and the first error that stopped it.
func Run(ctx context.Context, in *Input, opts RunOptions) (*Tally, error) {
	checker := NewChecker(in.Mapper, opts.Check)
	if opts.Import != nil {
		checker.only = opts.Import.only
	}
	t := newTally()
	src := in.Source
	var size int64
	if m, ok := src.(measured); ok {
		_, size = m.Progress() // before the reader starts: it moves the rest
	}
	report := func(r *RowResult) error {
		t.add(r)
		if err := opts.Sink.Row(r); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Rows: t.Rows, Failed: t.Failed, Done: min(r.end, size), Size: size})
		}
		return nil
	}
	var err error
	if opts.Import != nil && opts.Progress != nil {
		opts.Import.onPlan = func(p Progress) { p.Size = size; opts.Progress(p) }
	}
	if opts.Import == nil {
		var vt Tally
		var r RowResult // handed on one at a time: the sink keeps none
		vt, err = Validate(ctx, src, checker, func(ch *Checked) error {
			r = RowResult{Result: validation(checker, ch), Cells: ch.Row.Cells, end: ch.Row.End}
			if ch.Row.Err != nil || len(ch.Problems) > 0 {
				r.Problems = checker.problems(ch)
			}
			return report(&r)
		})
		t.Problems, t.Hints = vt.Problems, vt.Hints
	} else {
		err = runImport(ctx, src, checker, opts.Import, report, t)
	}
	t.Lines = src.Lines()
	if err == nil || errors.Is(err, ErrAborted) || errors.Is(err, context.Canceled) {
		if sum, herr := src.SHA256(); herr == nil {
			t.SHA256 = sum
		}
	}
	return t, err
}

// validation is a validated row's result.
func validation(c *Checker, ch *Checked) Result {
	r := Result{Line: ch.Row.Line, Key: c.Key(ch), Outcome: Valid, Warned: ch.Problems.HasWarnings()}
	if !ch.Valid() {
		r.Outcome, r.Columns = Invalid, c.columns(ch)
	}
	if !ch.Valid() || len(ch.Problems) > 0 {
		r.Message = c.Describe(ch)
	}
	return r
}

// window bounds the rows read but not yet handed to the sink: the rows in
// flight, and those done behind a slow one.
func window(workers int) int { return max(1024, 16*workers) }

// runImport plans and runs the rows of src, handing each result to emit
// in row order. It goes in two passes: the first reads the file, plans
// every row against the organization and spools the plans (to disk:
// memory does not grow with the file); once every row is planned, the
// safety limits are checked, and only then does the second pass send the
// plans, or, over a limit, mark every row blocked having sent nothing. A
// dry run hands each plan on as it is made.
func runImport(ctx context.Context, src Source, checker *Checker, opts *ImportOptions, emit func(*RowResult) error, t *Tally) error {
	ord := newOrderer(emit, window(opts.Workers))
	var (
		planner *Planner
		x       *Executor
		plans   = make(chan *Plan, max(opts.Workers, 1)*2)
		runErr  = make(chan error, 1)
		known   *org.Org
		counts  changeCounts
		named   = map[int64]bool{} // the users the rows name (--deactivate-missing)
		planned int
		unnamed []int // rows that name no one it can tell
	)
	spool, err := newRowSpool(opts.SpoolDir)
	if err != nil {
		return err
	}
	defer spool.close()
	load := func() error {
		if opts.OnLoad != nil {
			opts.OnLoad()
		}
		var err error
		needs := NeedsFor(checker.m)
		needs.Groups = needs.Groups || opts.Scope.hasGroup()
		if known, err = org.Load(ctx, opts.Client, needs, opts.Workers); err != nil {
			return err
		}
		if planner, err = NewPlanner(known, checker, opts.PlanOptions); err != nil {
			return err
		}
		planner.Track = true
		x = NewExecutor(opts.Client, known, opts.Workers, opts.Journal, ord.done)
		x.forget = true // every row is planned before the first write
		go func() { runErr <- x.Run(ctx, plans) }()
		return nil
	}
	// loaded reads the organization once; an interrupt while it is read
	// leaves the rows pending, as an interrupt later does (cut).
	cut := false
	loaded := func() (bool, error) {
		switch {
		case planner != nil:
			return true, nil
		case cut:
			return false, nil
		}
		if err := load(); err != nil {
			if ctx.Err() != nil {
				cut = true
				return false, nil
			}
			return false, err
		}
		return true, nil
	}
	stopped := func() bool { return cut || ctx.Err() != nil || x != nil && x.Stopped() }
	// settle is a row's result known before anything is sent; finish
	// says the journal should keep it (a resumed row's is kept already).
	settle := func(cells []string, end int64, r Result, saved *PlannedRow, finish bool) error {
		if opts.DryRun {
			if err := ord.add(cells, end, r.Line, saved); err != nil {
				return err
			}
			ord.done(r)
			return nil
		}
		return spool.put(&spooled{Line: r.Line, Cells: cells, End: end, Saved: saved, Result: &r, Finish: finish})
	}
	// Every row is read, also after an interrupt: those rows are pending.
	_, verr := Validate(context.WithoutCancel(ctx), src, checker, func(ch *Checked) error {
		line, end := ch.Row.Line, ch.Row.End
		if opts.only != nil && !opts.only[line] {
			t.OtherLines += max(ch.Row.Span, 1)
			return nil // not a row this run is of
		}
		cells := append([]string(nil), ch.Row.Cells...)
		if pw := checker.m.ColumnOf("F016"); pw >= 0 && pw < len(cells) {
			cells[pw] = "" // never written out, the spool included; the plan keeps it apart
		}
		if opts.DeactivateMissing && opts.only == nil {
			ok, err := loaded()
			if err != nil {
				return err
			}
			if ok && !checker.rowNames(ch, known, named) {
				unnamed = append(unnamed, line)
			}
		}
		if opts.Resume != nil {
			if r, done := opts.Resume.Done[line]; done {
				return settle(cells, end, r, resultRow(r), false)
			}
		}
		if stopped() {
			return settle(cells, end, Result{Line: line, Key: checker.Key(ch), Outcome: Pending, Message: pendingMessage}, nil, false)
		}
		if ok, err := loaded(); err != nil {
			return err
		} else if !ok {
			return settle(cells, end, Result{Line: line, Key: checker.Key(ch), Outcome: Pending, Message: pendingMessage}, nil, false)
		}
		if opts.Resume != nil {
			if keys, ok := opts.Resume.InFlight[line]; ok {
				// The killed run may have created this user: ask iLMS.
				probe := &Plan{email: keys[0], employeeID: keys[1]}
				u, err := x.findUser(ctx, probe)
				if err != nil {
					return fmt.Errorf("row %d: looking up the user a killed run may have created: %w", line, err)
				}
				if u != nil {
					known.PutUser(*u)
				}
			}
		}
		var p *Plan
		var err error
		if opts.undo != nil {
			p, err = opts.undo.plan(ctx, known, line)
		} else {
			p, err = planner.Plan(ctx, ch)
		}
		if err != nil {
			return fmt.Errorf("row %d: %w", line, err)
		}
		if opts.apply != nil {
			if err := opts.apply.judge(p, checker.words); err != nil {
				return err
			}
		}
		counts.count(p)
		if planned++; opts.onPlan != nil && !opts.DryRun {
			opts.onPlan(Progress{Planned: planned, Done: end, Planning: true})
		}
		switch {
		case opts.DryRun:
			if err := ord.add(cells, end, line, p.saved()); err != nil {
				return err
			}
			ord.plan(p)
			return nil
		case !p.Writes():
			return settle(cells, end, p.result(), p.saved(), true)
		}
		if p.password != "" {
			spool.passwords[line] = p.password
		}
		return spool.put(&spooled{Line: line, Cells: cells, End: end, Saved: p.saved(), Plan: &spooledPlan{Columns: p.Columns, Warned: p.Warned, Email: p.email, EmployeeID: p.employeeID}})
	})
	if verr == nil && opts.Journal != nil {
		// The whole file is read: its SHA-256 holds a resume to it.
		if sum, err := src.SHA256(); err == nil {
			verr = opts.Journal.Read(sum)
		}
	}
	if verr == nil && opts.apply != nil {
		// The file was hashed before the run; read again, it must still
		// be the one the plan was made from (its passwords are sent).
		if sum, err := src.SHA256(); err != nil || sum != opts.apply.Plan.Input.SHA256 {
			verr = &FileError{Path: opts.apply.Plan.Input.Path, Err: errors.New("the input file changed while the plan was applied (its SHA-256 differs); nothing was sent: make the plan again")}
		}
	}
	var missing []*Plan
	var over *LimitError
	if verr == nil && opts.DeactivateMissing && opts.only == nil && !stopped() {
		if planner == nil {
			verr = load()
		}
		switch {
		case verr != nil:
		case len(unnamed) > 0:
			over = &LimitError{Reason: remedy.Sprintf("%[1]s: %[2]s %[3]s no one the run can tell (it cannot be read, or has no ID, email or employee ID), so who is missing from the file is not known; fix %[4]s, or leave out %[1]s; nothing was sent", remedy.Of(remedy.DeactivateMissing), rowList(unnamed), plural(len(unnamed), "names", "name"), plural(len(unnamed), "it", "them"))}
		default:
			missing, verr = opts.Scope.missing(ctx, known, named, true, checker.words)
		}
		// A resumed run: the users it inactivated already keep their
		// results (their lines are minus their IDs), in order with the rest.
		var before []int
		if opts.Resume != nil {
			for line := range opts.Resume.Done {
				if line < 0 {
					before = append(before, line)
				}
			}
			slices.Sort(before)
		}
		for _, p := range missing {
			for len(before) > 0 && before[0] <= p.Line && verr == nil {
				r := opts.Resume.Done[before[0]]
				verr = settle(nil, 0, r, resultRow(r), false)
				if before[0] == p.Line {
					p = nil // done already
				}
				before = before[1:]
			}
			if p == nil || verr != nil {
				continue
			}
			if opts.apply != nil {
				verr = opts.apply.judge(p, checker.words)
			}
			counts.count(p)
			if opts.DryRun && verr == nil {
				if verr = ord.add(nil, 0, p.Line, p.saved()); verr == nil {
					ord.plan(p)
				}
			} else if verr == nil {
				verr = spool.put(&spooled{Line: p.Line, Saved: p.saved(), Plan: &spooledPlan{Email: p.email, EmployeeID: p.employeeID}})
			}
		}
		for _, line := range before {
			if verr == nil {
				r := opts.Resume.Done[line]
				verr = settle(nil, 0, r, resultRow(r), false)
			}
		}
	}
	if verr == nil && known != nil && over == nil {
		over = opts.Limits.check(counts, known.ActiveUsers())
	}
	if verr == nil && !opts.DryRun {
		verr = spool.each(func(r *spooled) error {
			if err := ord.add(r.Cells, r.End, r.Line, r.Saved); err != nil {
				return err
			}
			switch {
			case over != nil && r.Result == nil:
				// A row that would write; one settled without a write
				// (invalid, unchanged) keeps its outcome and message.
				ord.done(Result{Line: r.Line, Key: r.Saved.key(), Outcome: Blocked, Message: "not sent: " + over.In(checker.words)})
			case r.Saved != nil && !r.Saved.writes() && r.Plan != nil:
				ord.done(r.plan("").result()) // judged stale, or nothing left to do
			case r.Result != nil && r.Finish:
				x.done(*r.Result)
			case r.Result != nil:
				ord.done(*r.Result)
			default:
				p := r.plan(spool.passwords[r.Line])
				select {
				case plans <- p:
				case <-ctx.Done():
					ord.done(Result{Line: r.Line, Key: p.Key, Outcome: Pending, Message: pendingMessage})
				}
			}
			return nil
		})
	}
	close(plans)
	var xerr error
	if x != nil {
		xerr = <-runErr
	}
	oerr := ord.close()
	switch {
	case verr != nil:
		return verr
	case oerr != nil:
		return oerr
	case xerr != nil:
		return xerr
	case over != nil:
		return over
	}
	return ctx.Err()
}

// result is a plan's result when it sends nothing.
func (p *Plan) result() Result {
	return Result{Line: p.Line, Key: p.Key, Outcome: p.Outcome, ID: p.UserID, Message: p.Message, Columns: p.Columns, Warned: p.Warned}
}

// orderer hands results to the sink in row order: rows are added as they
// are read, results arrive from the workers in any order, and a row goes
// out once it and every row before it have one. add blocks while window
// rows wait, so that a slow row does not make the reader hold the file.
type orderer struct {
	mu     sync.Mutex
	more   *sync.Cond
	emit   func(*RowResult) error
	window int
	queue  []*slot // rows in file order, the first not yet out
	byLine map[int]*slot
	err    error
}

type slot struct {
	r     RowResult
	ready bool
}

func newOrderer(emit func(*RowResult) error, window int) *orderer {
	o := &orderer{emit: emit, window: window, byLine: map[int]*slot{}}
	o.more = sync.NewCond(&o.mu)
	return o
}

// add queues a row read, with its plan as a saved plan keeps it; it waits
// while the window is full.
func (o *orderer) add(cells []string, end int64, line int, saved *PlannedRow) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for len(o.queue) >= o.window && o.err == nil {
		o.more.Wait()
	}
	if o.err != nil {
		return o.err
	}
	s := &slot{r: RowResult{Result: Result{Line: line}, Cells: cells, end: end, saved: saved}}
	o.queue = append(o.queue, s)
	o.byLine[line] = s
	return nil
}

// done records a row's result (from any goroutine) and hands on every
// row that is now next.
func (o *orderer) done(r Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.byLine[r.Line]
	if s == nil {
		return // a resumed row's second word, or a row never added
	}
	s.r.Result, s.ready = r, true
	o.flush()
}

// plan records a dry run's plan as the row's result.
func (o *orderer) plan(p *Plan) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.byLine[p.Line]
	s.r.Result = Result{Line: p.Line, Key: p.Key, Outcome: p.Outcome, ID: p.UserID, Actions: p.Actions(), Message: p.Message, Columns: p.Columns, Warned: p.Warned}
	s.r.Planned, s.ready = true, true
	o.flush()
}

func (o *orderer) flush() {
	n := 0
	for n < len(o.queue) && o.queue[n].ready {
		s := o.queue[n]
		delete(o.byLine, s.r.Line)
		if o.err == nil {
			o.err = o.emit(&s.r)
		}
		n++
	}
	if n > 0 {
		o.queue = append(o.queue[:0], o.queue[n:]...)
		o.more.Broadcast()
	}
}

// close reports the first error of the sink, or a row left without a
// result, which would be a defect: every row must have one.
func (o *orderer) close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	if len(o.queue) > 0 {
		return fmt.Errorf("row %d has no result; this is a defect in ilms-bulk, please report it", o.queue[0].r.Line)
	}
	return nil
}
