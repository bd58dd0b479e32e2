package export

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/internal/ordered"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// ComplianceOptions are the options of the compliance export: the
// courses and curricula named, or with none all of them. Sessions are
// counted in their course.
type ComplianceOptions struct {
	CourseFilter
	Reading
}

// Check checks the options without a request.
func (o ComplianceOptions) Check() error {
	if len(o.Sessions) > 0 {
		return &validate.OptionError{Option: OptionSession, Rule: validate.ErrInvalid,
			Detail: "the compliance workbook counts by course and curriculum, a course's sessions included; name the course"}
	}
	return o.check()
}

// ParseAsOf reads the day a compliance workbook is as of, yyyy-mm-dd;
// empty is now.
func ParseAsOf(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Now(), nil
	}
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, &validate.OptionError{Option: OptionAsOf, Value: s, Rule: validate.ErrDate,
			Detail: "give a date of the form yyyy-mm-dd, such as 2026-09-30"}
	}
	return t, nil
}

// Compliance adds the courses and curricula to the workbook, then every
// enrollment of each, several read at once and added in order; the full
// profile of each user with an overdue enrollment (for the supervisor)
// is read once however many courses they are overdue in. It returns how
// many enrollments it added.
func Compliance(ctx context.Context, c *ilms.Client, opts ComplianceOptions, wb Workbook) (int, error) {
	if err := opts.Check(); err != nil {
		return 0, err
	}
	known, err := opts.load(ctx, c, true, opts.workers())
	if err != nil {
		return 0, err
	}
	ts, err := opts.targets(known, true)
	if err != nil {
		return 0, err
	}
	for _, t := range ts {
		wb.AddCourse(report.CourseInfo{ID: t.ID, Name: t.Name, Type: t.Type})
	}
	users := newUserCache(c)
	type row struct {
		e ilms.Enrollment
		u *ilms.User
	}
	n := 0
	for _, t := range ts {
		err := ordered.Map(ctx, opts.enrollments(ctx, known, t), opts.workers(), func(ctx context.Context, e ilms.Enrollment) (row, error) {
			if !wb.Overdue(&e) {
				return row{e: e}, nil
			}
			u, err := users.get(ctx, e.User.ID)
			return row{e, u}, err
		}, func(r row) error {
			if err := wb.Add(t.ID, &r.e, r.u); err != nil {
				return err
			}
			n++
			opts.rowDone()
			return nil
		})
		if err != nil {
			return n, fmt.Errorf("reading the enrollments of %s (%s): %w", t, t.Name, err)
		}
	}
	return n, nil
}

// userCache reads full user profiles once each, however many callers ask
// at once.
type userCache struct {
	c     *ilms.Client
	mu    sync.Mutex
	users map[int64]*ilms.User
	calls singleflight.Group
}

func newUserCache(c *ilms.Client) *userCache { return &userCache{c: c, users: map[int64]*ilms.User{}} }

// get returns a user's full profile; nil for a user iLMS no longer has.
func (uc *userCache) get(ctx context.Context, id int64) (*ilms.User, error) {
	uc.mu.Lock()
	u, ok := uc.users[id]
	uc.mu.Unlock()
	if ok {
		return u, nil
	}
	v, err, _ := uc.calls.Do(strconv.FormatInt(id, 10), func() (any, error) {
		u, err := uc.c.Users.Get(ctx, id)
		if ilms.IsNotFound(err) {
			u, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		uc.mu.Lock()
		uc.users[id] = u
		uc.mu.Unlock()
		return u, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*ilms.User), nil
}
