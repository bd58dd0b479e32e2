package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/org"
)

// Result is the final word on one row.
type Result struct {
	Line    int      `json:"row"`
	Key     string   `json:"key,omitempty"`
	Outcome Outcome  `json:"outcome"`
	ID      int64    `json:"id,omitempty"`
	Actions string   `json:"actions,omitempty"`
	Message string   `json:"message,omitempty"`
	Columns []string `json:"columns,omitempty"` // the cells at fault
	// Warned is set when the row's checks found something to look at
	// that did not stop it.
	Warned bool `json:"warned,omitempty"`
	// Retry marks a failure that may pass if tried again (a server
	// error or the network, after the retries): --only-failed tries it.
	Retry bool `json:"retry,omitempty"`
}

// mayPassNow reports whether a failed request may succeed later: iLMS
// answered with a server error or a refusal for load, or never answered.
func mayPassNow(err error) bool {
	var apiErr *ilms.APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500 || apiErr.StatusCode == http.StatusTooManyRequests
	}
	return true
}

// ErrAborted ends a run that cannot go on: the API refused the credentials
// or the feature. The run can be resumed once that is fixed.
var ErrAborted = errors.New("run aborted")

// Executor runs plans: a bounded pool of workers, every request through the
// client's shared pacer, the steps of a row in order, rows concurrently.
type Executor struct {
	c       *ilms.Client
	org     *org.Org
	workers int
	journal *Journal
	onDone  func(Result)

	units singleflight.Group
	// forget leaves the users it creates out of the org: runImport plans
	// every row before the first write, so no plan can need them, and an
	// import of many new users keeps no second copy of them.
	forget bool

	// stop is set when dispatch must end: an interrupt, or a fatal answer.
	stop  atomic.Bool
	fatal atomic.Pointer[error]
}

// NewExecutor returns an executor; onDone hears every finished row (from
// several goroutines).
func NewExecutor(c *ilms.Client, org *org.Org, workers int, journal *Journal, onDone func(Result)) *Executor {
	return &Executor{c: c, org: org, workers: max(workers, 1), journal: journal, onDone: onDone}
}

// Run executes the plans as they arrive, at most workers rows at once, and
// returns when the channel closes and every row is done. When ctx ends
// (Ctrl-C), no new row starts, the requests in flight finish, and the rows
// they belong to are left for --resume. A 401 or 403 stops the run the
// same way and is returned wrapped in ErrAborted.
func (x *Executor) Run(ctx context.Context, plans <-chan *Plan) error {
	var g errgroup.Group
	g.SetLimit(x.workers)
	// Requests in flight are not cut by an interrupt; each gets at most
	// two minutes to finish. Those waiting for their turn are not sent
	// (ilms.WithInterrupt).
	work := context.WithoutCancel(ctx)
	for p := range plans {
		if ctx.Err() != nil || x.stop.Load() {
			x.leave(p) // drain: the producer stops on ctx too
			continue
		}
		g.Go(func() error {
			x.runRow(ctx, work, p)
			return nil
		})
	}
	g.Wait()
	if f := x.fatal.Load(); f != nil {
		return fmt.Errorf("%w: %w", ErrAborted, *f)
	}
	return ctx.Err()
}

// Finish records a row that needs no request (unchanged, skipped,
// invalid, or failed in planning).
func (x *Executor) Finish(p *Plan) {
	x.done(Result{Line: p.Line, Key: p.Key, Outcome: p.Outcome, ID: p.UserID, Message: p.Message, Columns: p.Columns, Warned: p.Warned})
}

// leave reports a row the run stopped before finishing: it is pending,
// and the journal does not say it is done, so a resume finishes it.
func (x *Executor) leave(p *Plan) {
	if x.onDone != nil {
		x.onDone(Result{Line: p.Line, Key: p.Key, Outcome: Pending, ID: p.UserID, Message: pendingMessage})
	}
}

func (x *Executor) done(r Result) {
	if x.journal != nil {
		x.journal.Done(r)
	}
	if x.onDone != nil {
		x.onDone(r)
	}
}

func (x *Executor) runRow(ctx, work context.Context, p *Plan) {
	if x.journal != nil {
		// Before the first write: a killed run's resume looks this row's
		// user up before doing anything.
		if err := x.journal.Started(p.Line, p.email, p.employeeID); err != nil {
			x.setFatal(fmt.Errorf("journal: %w", err))
			x.leave(p)
			return
		}
	}
	var did []string
	for i, s := range p.steps {
		if ctx.Err() != nil || x.stop.Load() {
			x.leave(p) // left in flight: a resume settles it
			return
		}
		sctx, cancel := context.WithTimeout(work, 2*time.Minute)
		err := x.act(ilms.WithInterrupt(sctx, ctx), p, &p.steps[i])
		cancel()
		if err == nil {
			did = append(did, s.What)
			if x.journal != nil {
				x.journal.Applied(p.Line, p.UserID, p.steps[i])
			}
			continue
		}
		if ilms.IsUnauthorized(err) || ilms.IsForbidden(err) {
			x.setFatal(err)
			x.leave(p)
			return
		}
		if ctx.Err() != nil && errors.As(err, new(*ilms.UnsentError)) {
			x.leave(p) // interrupted waiting for its turn: nothing was sent
			return
		}
		msg := fmt.Sprintf("%s failed: %s", s.What, describeErr(err))
		if rest := p.steps[i+1:]; len(rest) > 0 {
			names := make([]string, len(rest))
			for j, r := range rest {
				names[j] = r.What
			}
			msg += fmt.Sprintf("; not done because of it: %s", strings.Join(names, "; "))
		}
		x.done(Result{Line: p.Line, Key: p.Key, Outcome: Failed, ID: p.UserID, Actions: strings.Join(did, "; "), Message: msg, Warned: p.Warned, Retry: mayPassNow(err)})
		return
	}
	x.done(Result{Line: p.Line, Key: p.Key, Outcome: p.Outcome, ID: p.UserID, Actions: strings.Join(did, "; "), Message: p.Message, Warned: p.Warned})
}

func (x *Executor) setFatal(err error) {
	x.fatal.CompareAndSwap(nil, &err)
	x.stop.Store(true)
}

// Stopped reports whether the run was stopped by a fatal answer.
func (x *Executor) Stopped() bool { return x.stop.Load() }

// describeErr is the API's own message when it gave one, verbatim.
func describeErr(err error) string {
	var apiErr *ilms.APIError
	if errors.As(err, &apiErr) {
		if apiErr.Message != "" {
			return fmt.Sprintf("%d %s: %s", apiErr.StatusCode, http.StatusText(apiErr.StatusCode), apiErr.Message)
		}
		return fmt.Sprintf("%d %s", apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
	}
	return err.Error()
}

// settle runs a write whose outcome may be unknown (a POST answered 5xx or
// cut off after it was sent): before each new try it asks whether the
// first one took effect, so nothing is created twice.
func settle(ctx context.Context, write func() error, tookEffect func() (bool, error)) error {
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		if attempt > 0 {
			ok, lerr := tookEffect()
			if lerr != nil {
				return fmt.Errorf("%w (and checking whether it took effect failed: %v)", err, lerr)
			}
			if ok {
				return nil
			}
			t := time.NewTimer(min(time.Duration(attempt)*250*time.Millisecond, 2*time.Second))
			select {
			case <-ctx.Done():
				t.Stop()
				return err
			case <-t.C:
			}
		}
		if err = write(); err == nil || !ilms.OutcomeUnknown(err) {
			return err
		}
	}
	return err
}

// findUser looks a row's user up by its email or employee ID, every
// status included.
func (x *Executor) findUser(ctx context.Context, p *Plan) (*ilms.User, error) {
	return org.Find(ctx, x.c, p.lookupKey(), nil)
}

// lookupKey is the key a row's user is looked up by: the email, else the
// employee ID.
func (p *Plan) lookupKey() org.Key {
	if p.email != "" {
		return org.Key{Field: "F015", Value: p.email}
	}
	return org.Key{Field: "F004", Value: p.employeeID}
}

func (x *Executor) createUser(ctx context.Context, p *Plan, body ilms.NewUser) error {
	var id int64
	err := settle(ctx, func() error {
		var err error
		id, err = x.c.Users.Create(ctx, body)
		return err
	}, func() (bool, error) {
		u, err := x.findUser(ctx, p)
		if u != nil {
			id = u.ID
		}
		return u != nil, err
	})
	if err != nil {
		return err
	}
	p.UserID = id
	if x.forget {
		return nil
	}
	// Known from now on: a later row's plan sees the user.
	u := ilms.User{ID: id, UserStatus: "Active"}
	for _, f := range body.UserProfileData {
		if f.Key != "F016" {
			u.Profile.Set(f.Key, f.Value)
		}
	}
	x.org.PutUser(u)
	return nil
}

func (x *Executor) addMember(ctx context.Context, p *Plan, groupID int64) error {
	err := settle(ctx, func() error {
		return x.c.Groups.AddMember(ctx, groupID, p.UserID)
	}, func() (bool, error) {
		u, err := org.Find(ctx, x.c, p.lookupKey(), ilms.NewUserQuery().InGroups(groupID).WithStatus(ilms.StatusActive, ilms.StatusInactive))
		return u != nil && u.ID == p.UserID, err
	})
	if err == nil {
		x.org.SetMember(groupID, p.UserID, true)
	}
	return err
}

func (x *Executor) enroll(ctx context.Context, p *Plan, t org.Target) error {
	err := settle(ctx, func() error {
		switch {
		case t.Curriculum:
			return x.c.Enrollments.EnrollCurriculum(ctx, t.ID, p.UserID)
		case t.Session != 0:
			return x.c.Enrollments.EnrollSession(ctx, t.ID, t.Session, p.UserID)
		}
		return x.c.Enrollments.EnrollCourse(ctx, t.ID, p.UserID)
	}, func() (bool, error) {
		var err error
		switch {
		case t.Curriculum:
			_, err = x.c.Transcripts.ForCurriculum(ctx, p.UserID, t.ID)
		case t.Session != 0:
			_, err = x.c.Transcripts.ForSession(ctx, p.UserID, t.ID, t.Session)
		default:
			_, err = x.c.Transcripts.ForCourse(ctx, p.UserID, t.ID)
		}
		if ilms.IsNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
	if err == nil {
		e := &ilms.Enrollment{CourseID: t.ID, CourseStatus: "Not Started"}
		if t.Session != 0 {
			sid := t.Session
			e.SessionID = &sid
		}
		x.org.AddEnrollment(t, p.UserID, e)
	}
	return err
}

func (x *Executor) unenroll(ctx context.Context, p *Plan, t org.Target) error {
	var err error
	switch {
	case t.Curriculum:
		err = x.c.Enrollments.UnenrollCurriculum(ctx, t.ID, p.UserID)
	case t.Session != 0:
		err = x.c.Enrollments.UnenrollSession(ctx, t.ID, t.Session, p.UserID)
	default:
		err = x.c.Enrollments.UnenrollCourse(ctx, t.ID, p.UserID)
	}
	if ilms.IsNotFound(err) {
		// A retried DELETE whose first try took effect.
		err = nil
	}
	if err == nil {
		x.org.RemoveEnrollment(t, p.UserID)
	}
	return err
}

func (x *Executor) updateTranscript(ctx context.Context, p *Plan, t org.Target, u ilms.TranscriptUpdate) error {
	switch {
	case t.Curriculum:
		return x.c.Transcripts.UpdateCurriculum(ctx, p.UserID, t.ID, u)
	case t.Session != 0:
		return x.c.Transcripts.UpdateSession(ctx, p.UserID, t.ID, t.Session, u)
	}
	return x.c.Transcripts.UpdateCourse(ctx, p.UserID, t.ID, u)
}

// ensureUnit creates whatever is missing of a region, division and
// department, each exactly once however many rows need it at the same
// time.
func (x *Executor) ensureUnit(ctx context.Context, region, division, department string) error {
	levels := [][3]string{{region, "", ""}, {region, division, ""}, {region, division, department}}
	for _, lv := range levels {
		k := org.Fold(lv[0]) + "\x00" + org.Fold(lv[1]) + "\x00" + org.Fold(lv[2])
		_, err, _ := x.units.Do(k, func() (any, error) {
			r, d, dep := x.org.Unit(lv[0], lv[1], lv[2])
			var create func() (int64, error)
			var find func() (int64, bool, error)
			switch {
			case lv[1] == "" && r == 0:
				create = func() (int64, error) { return x.c.Hierarchy.CreateRegion(ctx, lv[0]) }
				find = func() (int64, bool, error) { return findUnit(ctx, x.c.Hierarchy.Regions(), lv[0]) }
			case lv[1] != "" && lv[2] == "" && d == 0:
				create = func() (int64, error) { return x.c.Hierarchy.CreateDivision(ctx, r, lv[1]) }
				find = func() (int64, bool, error) { return findUnit(ctx, x.c.Hierarchy.Divisions(r), lv[1]) }
			case lv[2] != "" && dep == 0:
				create = func() (int64, error) { return x.c.Hierarchy.CreateDepartment(ctx, r, d, lv[2]) }
				find = func() (int64, bool, error) { return findUnit(ctx, x.c.Hierarchy.Departments(r, d), lv[2]) }
			default:
				return nil, nil
			}
			var id int64
			err := settle(ctx, func() error {
				var err error
				id, err = create()
				return err
			}, func() (bool, error) {
				found, ok, err := find()
				id = found
				return ok, err
			})
			if err != nil {
				return nil, err
			}
			x.org.AddUnit(lv[0], lv[1], lv[2], id)
			return nil, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func findUnit(ctx context.Context, p *ilms.Pager[ilms.Unit], name string) (int64, bool, error) {
	for u, err := range p.All(ctx) {
		if err != nil {
			return 0, false, err
		}
		if strings.EqualFold(strings.TrimSpace(u.Name), strings.TrimSpace(name)) {
			return u.ID, true, nil
		}
	}
	return 0, false, nil
}

// Counter counts the requests of a run by method, and the retries, from
// the client's OnAttempt hook.
type Counter struct {
	mu       sync.Mutex
	ByMethod map[string]int64
	Retries  int64
	Throttle int64 // answered 429
}

// Observe is an ilms.Options.OnAttempt hook.
func (c *Counter) Observe(a ilms.Attempt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ByMethod == nil {
		c.ByMethod = map[string]int64{}
	}
	c.ByMethod[a.Method]++
	if a.Number > 1 {
		c.Retries++
	}
	if a.StatusCode == http.StatusTooManyRequests {
		c.Throttle++
	}
}

// Snapshot returns a copy of the counts.
func (c *Counter) Snapshot() (map[string]int64, int64, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]int64{}
	for k, v := range c.ByMethod {
		m[k] = v
	}
	return m, c.Retries, c.Throttle
}

// Total counts every request.
func (c *Counter) Total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, v := range c.ByMethod {
		n += v
	}
	return n
}

// Writes counts the write requests (not GET).
func (c *Counter) Writes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for m, v := range c.ByMethod {
		if m != http.MethodGet {
			n += v
		}
	}
	return n
}
