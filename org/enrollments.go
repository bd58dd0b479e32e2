package org

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// targetKey names a course or a curriculum in the org's maps, by its ID
// exactly as iLMS writes it.
type targetKey struct {
	id         string
	curriculum bool
}

func keyOf(t Target) targetKey { return targetKey{t.ID, t.Curriculum} }

// Records are one user's enrollment records in a course or curriculum:
// the record the course's (or curriculum's) own list gives, and for a
// course with sessions (ILT, Event) the record of each session whose list
// names the user. A server may list a session's people in the course's
// list as well (the sandbox does, with the session's ID) or only in the
// session's: either way a session record and a course record of the same
// session are one enrollment.
type Records struct {
	Course   *ilms.Enrollment           // from the course's or curriculum's list
	Sessions map[int64]*ilms.Enrollment // by session ID, from the sessions' lists
}

// Enrolled reports whether any list names the user.
func (r *Records) Enrolled() bool { return r != nil && (r.Course != nil || len(r.Sessions) > 0) }

// InSession returns the user's record of session s, or nil.
func (r *Records) InSession(s int64) *ilms.Enrollment {
	if r == nil {
		return nil
	}
	if e := r.Sessions[s]; e != nil {
		return e
	}
	if r.Course != nil && sessionOf(r.Course) == s {
		return r.Course
	}
	return nil
}

// SessionIDs returns the sessions the user is in, in order.
func (r *Records) SessionIDs() []int64 {
	if r == nil {
		return nil
	}
	ids := slices.Collect(maps.Keys(r.Sessions))
	if r.Course != nil {
		if s := sessionOf(r.Course); s != 0 && r.Sessions[s] == nil {
			ids = append(ids, s)
		}
	}
	slices.Sort(ids)
	return ids
}

// For returns the record a target means: a session's for a session, else
// the course's (or curriculum's); nil when there is none.
func (r *Records) For(t Target) *ilms.Enrollment {
	if t.Session != 0 {
		return r.InSession(t.Session)
	}
	if r == nil {
		return nil
	}
	return r.Course
}

func (r *Records) clone() *Records {
	if r == nil {
		return nil
	}
	return &Records{Course: r.Course, Sessions: maps.Clone(r.Sessions)}
}

func sessionOf(e *ilms.Enrollment) int64 {
	if e.SessionID == nil {
		return 0
	}
	return *e.SessionID
}

// SessionIDs returns the sessions of a course (none for a course without
// any, or when the sessions were not read), by start time, then ID.
func (o *Org) SessionIDs(courseID string) []int64 {
	o.mu.RLock()
	defer o.mu.RUnlock()
	ss := slices.Collect(maps.Values(o.sessions[courseID]))
	slices.SortFunc(ss, func(a, b *ilms.Session) int {
		switch {
		case a.StartDateTime == nil || b.StartDateTime == nil:
			if c := cmp.Compare(boolInt(a.StartDateTime == nil), boolInt(b.StartDateTime == nil)); c != 0 {
				return c
			}
		default:
			if c := a.StartDateTime.Compare(b.StartDateTime.Time); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.SessionID, b.SessionID)
	})
	ids := make([]int64, len(ss))
	for i, s := range ss {
		ids[i] = s.SessionID
	}
	return ids
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// DescribeSessions names sessions of a course by ID and start: "601
// (2026-03-02 09:00), 602 (2026-03-09 09:00)".
func (o *Org) DescribeSessions(courseID string, ids []int64) string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
		if s := o.sessions[courseID][id]; s != nil && s.StartDateTime != nil && !s.StartDateTime.IsZero() {
			parts[i] += " (" + s.StartDateTime.Format("2006-01-02 15:04") + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// listed is one record of an enrollment list, with the session whose list
// gave it (0 for the course's or curriculum's own list).
type listed struct {
	session int64
	e       ilms.Enrollment
}

// lists reads every enrollment list of a target: a curriculum's list; a
// session's list; or, for a course, the list of each of its sessions, in
// order, then the course's own list. perPage 0 keeps the client's page
// size.
func (o *Org) lists(ctx context.Context, t Target, opts ilms.EnrollmentListOptions, perPage int) iter.Seq2[listed, error] {
	return func(yield func(listed, error) bool) {
		e := o.c.Enrollments
		read := func(session int64, p *ilms.Pager[ilms.Enrollment], what string) bool {
			for rec, err := range p.PerPage(perPage).Fetch(ctx, o.workers) {
				if err != nil {
					yield(listed{}, fmt.Errorf("%s: %w", what, err))
					return false
				}
				if session != 0 && sessionOf(&rec) == 0 {
					// The session's own list: the record is the session's.
					rec.SessionID = &session
				}
				if !yield(listed{session, rec}, nil) {
					return false
				}
			}
			return true
		}
		switch {
		case t.Curriculum:
			read(0, e.Curriculum(t.ID, opts), "the curriculum's list")
			return
		case t.Session != 0:
			read(t.Session, e.Session(t.ID, t.Session, opts), fmt.Sprintf("the list of session %d", t.Session))
			return
		}
		for _, s := range o.SessionIDs(t.ID) {
			if !read(s, e.Session(t.ID, s, opts), fmt.Sprintf("the list of session %d", s)) {
				return
			}
		}
		read(0, e.Course(t.ID, opts), "the course's list")
	}
}

// ListEnrollments reads the enrollments of a course, curriculum or session
// as the enrollment summary report counts them: a course with sessions
// (ILT, Event) has its people in its sessions' lists, which a server need
// not repeat in the course's list; a user the course's list names who is
// in one of its sessions is not yielded again. perPage 0 keeps the
// client's page size.
func (o *Org) ListEnrollments(ctx context.Context, t Target, opts ilms.EnrollmentListOptions, perPage int) iter.Seq2[ilms.Enrollment, error] {
	return func(yield func(ilms.Enrollment, error) bool) {
		inSession := map[int64]bool{}
		for l, err := range o.lists(ctx, t, opts, perPage) {
			if err != nil {
				yield(ilms.Enrollment{}, err)
				return
			}
			if l.session != 0 {
				inSession[l.e.User.ID] = true
			} else if inSession[l.e.User.ID] {
				continue
			}
			if !yield(l.e, nil) {
				return
			}
		}
	}
}

// Enrollments returns the enrollment records of a course (its sessions'
// included) or curriculum by user, inactive users included, fetched on
// first use.
func (o *Org) Enrollments(ctx context.Context, t Target) (map[int64]*Records, error) {
	k := keyOf(t)
	o.mu.RLock()
	m, ok := o.enrolled[k]
	o.mu.RUnlock()
	if ok {
		return m, nil
	}
	kind := "course:"
	if t.Curriculum {
		kind = "curriculum:"
	}
	v, err, _ := o.lazy.Do(kind+t.ID, func() (any, error) {
		whole := t
		whole.Session = 0
		set := map[int64]*Records{}
		for l, err := range o.lists(ctx, whole, ilms.EnrollmentListOptions{IncludeInactiveUsers: true}, prefetchPage) {
			if err != nil {
				return nil, fmt.Errorf("reading the enrollments of %s: %w", t.ID, err)
			}
			r := set[l.e.User.ID]
			if r == nil {
				r = &Records{}
				set[l.e.User.ID] = r
			}
			e := l.e
			if l.session == 0 {
				r.Course = &e
				continue
			}
			if r.Sessions == nil {
				r.Sessions = map[int64]*ilms.Enrollment{}
			}
			r.Sessions[l.session] = &e
		}
		o.mu.Lock()
		o.enrolled[k] = set
		o.mu.Unlock()
		return set, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[int64]*Records), nil
}

// Records returns a user's records in a target's course or curriculum (nil
// when no list names them), as last read or changed.
func (o *Org) Records(ctx context.Context, t Target, userID int64) (*Records, error) {
	m, err := o.Enrollments(ctx, t)
	if err != nil {
		return nil, err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return m[userID].clone(), nil
}

// AddEnrollment records an enrollment made in a target.
func (o *Org) AddEnrollment(t Target, userID int64, e *ilms.Enrollment) {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := o.enrolled[keyOf(t)]
	if m == nil {
		return
	}
	r := m[userID]
	if r == nil {
		r = &Records{}
		m[userID] = r
	}
	if t.Session == 0 {
		r.Course = e
		return
	}
	if r.Sessions == nil {
		r.Sessions = map[int64]*ilms.Enrollment{}
	}
	r.Sessions[t.Session] = e
}

// RemoveEnrollment records an un-enrollment from a target: from a
// course or curriculum, every record goes; from a session, that session's
// (the course enrollment stays).
func (o *Org) RemoveEnrollment(t Target, userID int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	m := o.enrolled[keyOf(t)]
	if m == nil {
		return
	}
	r := m[userID]
	switch {
	case r == nil:
	case t.Session == 0:
		delete(m, userID)
	default:
		delete(r.Sessions, t.Session)
		if r.Course != nil && sessionOf(r.Course) == t.Session {
			c := *r.Course
			c.SessionID = nil
			r.Course = &c
		}
	}
}
