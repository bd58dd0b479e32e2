package export

import (
	"context"
	"fmt"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/internal/ordered"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// EnrollmentsOptions are the options of an enrollments export: the
// courses, curricula and sessions named, or all of them.
type EnrollmentsOptions struct {
	CourseFilter
	All bool // every course and curriculum, instead of the filter's
	Reading
}

// Check checks the options without a request.
func (o EnrollmentsOptions) Check() error {
	if o.All == o.named() {
		return &validate.OptionError{Option: OptionAll, Rule: validate.ErrConflict,
			Detail: "name the courses, curricula or sessions to export, or else ask for all of them"}
	}
	return o.check()
}

// Enrollments exports the enrollment records of the targets, one row
// each with the user's basic profile; a course's rows include its
// sessions' people. It returns how many rows it wrote.
func Enrollments(ctx context.Context, c *ilms.Client, opts EnrollmentsOptions, out Records) (int, error) {
	if err := opts.Check(); err != nil {
		return 0, err
	}
	known, err := opts.load(ctx, c, true, opts.workers())
	if err != nil {
		return 0, err
	}
	ts, err := opts.targets(known, opts.All)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		for e, err := range opts.enrollments(ctx, known, t) {
			if err != nil {
				return n, fmt.Errorf("reading the enrollments of %s (%s): %w", t, t.Name, err)
			}
			if err := out.Write(report.NewEnrollmentRecord(&e)); err != nil {
				return n, err
			}
			n++
			opts.rowDone()
		}
	}
	return n, nil
}

// SummaryOptions are the options of the enrollment summary export: the
// courses, curricula and sessions named, or with none every course and
// curriculum.
type SummaryOptions struct {
	CourseFilter
	Reading
}

// Check checks the options without a request.
func (o SummaryOptions) Check() error { return o.check() }

// Summary exports the enrollment summary report of the targets (enrolled,
// not started, in progress, passed, failed, waived): a curriculum comes
// with a row per sub-course, an ILT course with a row per session. The
// reports are read several at once and written in the targets' order. It
// returns how many rows it wrote.
func Summary(ctx context.Context, c *ilms.Client, opts SummaryOptions, out Records) (int, error) {
	if err := opts.Check(); err != nil {
		return 0, err
	}
	known, err := opts.load(ctx, c, false, opts.workers())
	if err != nil {
		return 0, err
	}
	ts, err := opts.targets(known, true)
	if err != nil {
		return 0, err
	}
	n := 0
	err = ordered.Map(ctx, seqOf(ts), opts.workers(), func(ctx context.Context, t org.Target) ([]ilms.SummaryRow, error) {
		rows, err := c.Reports.EnrollmentSummary(ctx, ilms.SummaryOptions{CourseID: t.ID, SessionID: t.Session, IncludeInactiveUsers: opts.IncludeInactive})
		if err != nil {
			return nil, fmt.Errorf("reading the summary of %s (%s): %w", t, t.Name, err)
		}
		return rows, nil
	}, func(rows []ilms.SummaryRow) error {
		for _, r := range rows {
			if err := out.Write(report.NewSummaryRecord(r)); err != nil {
				return err
			}
			n++
			opts.rowDone()
		}
		return nil
	})
	return n, err
}
