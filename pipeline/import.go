package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// ImportOptions are the choices of one import run.
type ImportOptions struct {
	PlanOptions
	Workers int
	// DryRun plans every row and sends no write request.
	DryRun bool
	// Resume holds what an earlier run of the same file did: rows with a
	// result are not touched again, rows it left in flight have their user
	// looked up before they are planned.
	Resume *JournalState
	// Journal records the run; nil for a dry run.
	Journal *Journal
	// OnPlan hears every plan, in file order.
	OnPlan func(*Plan)
	// OnResult hears every finished row, from several goroutines.
	OnResult func(Result)
}

// NeedsFor says what an import of a file reads from the organization.
func NeedsFor(m *mapping.Mapper) org.Needs {
	switch m.Kind() {
	case mapping.Users:
		// A Courses cell may name course/session.
		return org.Needs{Users: true, Hierarchy: true, Groups: m.Has(mapping.Groups), Courses: m.Has(mapping.Courses), Sessions: m.Has(mapping.Courses)}
	}
	// A course with sessions has its people in them, named or not.
	return org.Needs{Users: true, Courses: true, Sessions: true}
}

// Import plans every row of src against the org and runs the plans: read,
// check and plan in file order, execute concurrently. It returns when every
// row has a result, or when ctx ends (rows in flight finish; the rest are
// left for --resume), or when the API refuses the credentials (ErrAborted).
func Import(ctx context.Context, src Source, checker *Checker, c *ilms.Client, org *org.Org, opts ImportOptions) error {
	planner, err := NewPlanner(org, checker, opts.PlanOptions)
	if err != nil {
		return err
	}
	x := NewExecutor(c, org, opts.Workers, opts.Journal, opts.OnResult)
	plans := make(chan *Plan, max(opts.Workers, 1)*2)
	runErr := make(chan error, 1)
	go func() { runErr <- x.Run(ctx, plans) }()

	_, verr := Validate(ctx, src, checker, func(ch *Checked) error {
		if x.Stopped() {
			return ErrAborted
		}
		if opts.Resume != nil {
			if _, done := opts.Resume.Done[ch.Row.Line]; done {
				return nil
			}
			if keys, ok := opts.Resume.InFlight[ch.Row.Line]; ok {
				// The killed run may have created this user: ask iLMS.
				probe := &Plan{email: keys[0], employeeID: keys[1]}
				u, err := x.findUser(ctx, probe)
				if err != nil {
					return fmt.Errorf("row %d: looking up the user a killed run may have created: %w", ch.Row.Line, err)
				}
				if u != nil {
					org.PutUser(*u)
				}
			}
		}
		p, err := planner.Plan(ctx, ch)
		if err != nil {
			return fmt.Errorf("row %d: %w", ch.Row.Line, err)
		}
		if dup := duplicateOf(ch); dup != nil && p.Outcome != Invalid && checker.m.Kind() == mapping.Enrollments {
			p.Outcome, p.Message, p.steps = Unchanged, dup.Detail, nil
		}
		if opts.OnPlan != nil {
			opts.OnPlan(p)
		}
		if opts.DryRun || !p.Writes() {
			if !opts.DryRun {
				x.Finish(p)
			}
			return nil
		}
		select {
		case plans <- p:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(plans)
	xerr := <-runErr
	switch {
	case xerr != nil && errors.Is(xerr, ErrAborted):
		return xerr
	case verr != nil && !errors.Is(verr, ErrAborted):
		if errors.Is(verr, context.Canceled) || errors.Is(verr, context.DeadlineExceeded) {
			return verr
		}
		return verr
	}
	return xerr
}

// duplicateOf returns the row's "same as an earlier row" problem, if any.
func duplicateOf(ch *Checked) *validate.Problem {
	for _, p := range ch.Problems {
		if errors.Is(p, validate.ErrDuplicate) {
			return p
		}
	}
	return nil
}
