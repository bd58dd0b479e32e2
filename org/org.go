// Package org holds what import and export know of an iLMS organization:
// its users by key, the region / division / department hierarchy, groups
// and their members, courses, curricula, ILT sessions and enrollments,
// read once (pages fetched concurrently) and, where only some are needed,
// on first use. Names match without regard to case; IDs never do.
package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Org is what import and export know of an organization: read once before
// the rows are planned (users, hierarchy, groups, courses, curricula), and,
// for the groups and courses a file names, their members and enrollments,
// fetched on first use. It is safe for concurrent use.
type Org struct {
	c       *ilms.Client
	workers int

	mu          sync.RWMutex
	users       map[int64]*packed
	byEmail     map[string]*packed
	byEmployee  map[string]*packed
	regions     map[string]*unitNode // by lower-cased name
	groups      map[int64]*ilms.Group
	groupByName map[string][]*ilms.Group
	// Course and curriculum IDs are keys as iLMS writes them: two IDs may
	// differ by case alone (Wert98k, WErt98k). Names match in any case.
	courses     map[string]*ilms.Course
	courseNames map[string][]string // lower-cased name → IDs (courses and curricula)
	curricula   map[string]*ilms.Curriculum
	sessions    map[string]map[int64]*ilms.Session // course ID → sessions

	lazy     singleflight.Group
	members  map[int64]map[int64]bool         // group → users
	enrolled map[targetKey]map[int64]*Records // course or curriculum → user → records
}

// unitNode is a region, division or department with its children by name.
type unitNode struct {
	ID       int64
	Name     string
	children map[string]*unitNode
}

// SessionError is a session that a course does not have, or that is no
// session ID.
type SessionError struct{ msg string }

func (e *SessionError) Error() string { return e.msg }

// Fold is the comparison key of a name or an email: they match without
// regard to case or surrounding spaces. IDs never go through it.
func Fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Needs says what an import will look at.
type Needs struct {
	Users     bool
	Hierarchy bool
	Groups    bool
	Courses   bool // courses and curricula
	Sessions  bool // and the sessions of ILT and Event courses
}

// Load reads what needs asks for, pages fetched concurrently by up to
// workers requests under the client's shared pacer.
func Load(ctx context.Context, c *ilms.Client, needs Needs, workers int) (*Org, error) {
	o := &Org{
		c: c, workers: max(workers, 1),
		users: map[int64]*packed{}, byEmail: map[string]*packed{}, byEmployee: map[string]*packed{},
		regions: map[string]*unitNode{}, groups: map[int64]*ilms.Group{}, groupByName: map[string][]*ilms.Group{},
		courses: map[string]*ilms.Course{}, courseNames: map[string][]string{}, curricula: map[string]*ilms.Curriculum{},
		sessions: map[string]map[int64]*ilms.Session{}, members: map[int64]map[int64]bool{}, enrolled: map[targetKey]map[int64]*Records{},
	}
	g, ctx := errgroup.WithContext(ctx)
	if needs.Users {
		g.Go(func() error { return o.loadUsers(ctx) })
	}
	if needs.Hierarchy {
		g.Go(func() error { return o.loadHierarchy(ctx) })
	}
	if needs.Groups {
		g.Go(func() error {
			for gr, err := range c.Groups.List("").Fetch(ctx, o.workers) {
				if err != nil {
					return fmt.Errorf("reading groups: %w", err)
				}
				o.addGroup(gr)
			}
			return nil
		})
	}
	if needs.Courses || needs.Sessions {
		g.Go(func() error { return o.loadCourses(ctx, needs.Sessions) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return o, nil
}

// prefetchPage is the page size of the prefetch: a large organization is
// read in few requests (the document sets no upper bound on per_page).
const prefetchPage = 500

func (o *Org) loadUsers(ctx context.Context) error {
	q := ilms.NewUserQuery().WithStatus(ilms.StatusActive, ilms.StatusInactive, ilms.StatusDeleted)
	for u, err := range o.c.Users.List(q).PerPage(prefetchPage).Fetch(ctx, o.workers) {
		if err != nil {
			return fmt.Errorf("reading users: %w", err)
		}
		o.PutUser(u)
	}
	return nil
}

// PutUser records a user as iLMS has it now (read, created or updated).
func (o *Org) PutUser(u ilms.User) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if old := o.users[u.ID]; old != nil {
		if k := Fold(old.field(textEmail)); k != "" && o.byEmail[k] == old {
			delete(o.byEmail, k)
		}
		if k := Fold(old.field(textEmployeeID)); k != "" && o.byEmployee[k] == old {
			delete(o.byEmployee, k)
		}
	}
	p := pack(&u)
	o.users[u.ID] = p
	if k := Fold(p.field(textEmail)); k != "" {
		o.byEmail[k] = p
	}
	if k := Fold(p.field(textEmployeeID)); k != "" {
		o.byEmployee[k] = p
	}
}

// Key names a user the way a row or a flag does: by iLMS ID, by email
// (F015) or by employee ID (F004).
type Key struct {
	Field string // KeyID, "F015" or "F004"
	Value string
}

// KeyID is the Field of a Key that is an iLMS user ID.
const KeyID = "ID"

func (k Key) String() string {
	switch k.Field {
	case KeyID:
		return "user " + k.Value
	case "F015":
		return "email " + k.Value
	}
	return "employee ID " + k.Value
}

// User finds the user a key names among the users read, or nil; the user
// is the caller's copy. Emails and employee IDs match without regard to
// case, as iLMS keeps them unique; an ID matches exactly.
func (o *Org) User(k Key) *ilms.User {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var p *packed
	switch k.Field {
	case KeyID:
		n, err := strconv.ParseInt(strings.TrimSpace(k.Value), 10, 64)
		if err != nil {
			return nil
		}
		p = o.users[n]
	case "F015":
		p = o.byEmail[Fold(k.Value)]
	case "F004":
		p = o.byEmployee[Fold(k.Value)]
	}
	if p == nil {
		return nil
	}
	return p.user()
}

// Find asks iLMS for the user a key names, or returns nil when there is
// none: by ID, or among the users q selects (nil: every status). It is the
// one lookup of a user in iLMS itself, for what the org read before may
// not know: a user a killed run may have created, a flag's user.
func Find(ctx context.Context, c *ilms.Client, k Key, q *ilms.UserQuery) (*ilms.User, error) {
	if k.Value == "" {
		return nil, nil
	}
	if k.Field == KeyID {
		n, err := strconv.ParseInt(strings.TrimSpace(k.Value), 10, 64)
		if err != nil {
			return nil, nil
		}
		u, err := c.Users.Get(ctx, n)
		if ilms.IsNotFound(err) || ilms.IsBadRequest(err) {
			return nil, nil
		}
		return u, err
	}
	return c.Users.Find(ctx, q, k.Field, k.Value)
}

// Users returns how many users the org holds.
func (o *Org) Users() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.users)
}

func (o *Org) loadHierarchy(ctx context.Context) error {
	regions, err := collect(o.c.Hierarchy.Regions().Fetch(ctx, o.workers))
	if err != nil {
		return fmt.Errorf("reading regions: %w", err)
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(o.workers)
	nodes := make([]*unitNode, len(regions))
	for i, r := range regions {
		nodes[i] = &unitNode{ID: r.ID, Name: r.Name, children: map[string]*unitNode{}}
		g.Go(func() error {
			divs, err := collect(o.c.Hierarchy.Divisions(r.ID).Fetch(ctx, 1))
			if err != nil {
				return fmt.Errorf("reading divisions of region %q: %w", r.Name, err)
			}
			dg, ctx := errgroup.WithContext(ctx)
			dnodes := make([]*unitNode, len(divs))
			for j, d := range divs {
				dnodes[j] = &unitNode{ID: d.ID, Name: d.Name, children: map[string]*unitNode{}}
				dg.Go(func() error {
					deps, err := collect(o.c.Hierarchy.Departments(r.ID, d.ID).Fetch(ctx, 1))
					if err != nil {
						return fmt.Errorf("reading departments of %q / %q: %w", r.Name, d.Name, err)
					}
					for _, dep := range deps {
						dnodes[j].children[Fold(dep.Name)] = &unitNode{ID: dep.ID, Name: dep.Name}
					}
					return nil
				})
			}
			if err := dg.Wait(); err != nil {
				return err
			}
			for _, dn := range dnodes {
				nodes[i].children[Fold(dn.Name)] = dn
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	o.mu.Lock()
	for _, n := range nodes {
		o.regions[Fold(n.Name)] = n
	}
	o.mu.Unlock()
	return nil
}

func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Unit returns the IDs of a region, its division and its department as
// far as they exist (0 from the first missing one).
func (o *Org) Unit(region, division, department string) (r, d, dep int64) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	rn := o.regions[Fold(region)]
	if rn == nil {
		return 0, 0, 0
	}
	dn := rn.children[Fold(division)]
	if dn == nil {
		return rn.ID, 0, 0
	}
	if pn := dn.children[Fold(department)]; pn != nil {
		return rn.ID, dn.ID, pn.ID
	}
	return rn.ID, dn.ID, 0
}

// AddUnit records a region, division or department created by the import.
func (o *Org) AddUnit(region, division, department string, id int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case division == "":
		o.regions[Fold(region)] = &unitNode{ID: id, Name: region, children: map[string]*unitNode{}}
	case department == "":
		o.regions[Fold(region)].children[Fold(division)] = &unitNode{ID: id, Name: division, children: map[string]*unitNode{}}
	default:
		o.regions[Fold(region)].children[Fold(division)].children[Fold(department)] = &unitNode{ID: id, Name: department}
	}
}

func (o *Org) addGroup(g ilms.Group) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := &g
	o.groups[g.ID] = p
	o.groupByName[Fold(g.Name)] = append(o.groupByName[Fold(g.Name)], p)
}

// Group finds a group by ID or by exact name (any case); a name two
// groups share is an error.
func (o *Org) Group(ref string) (*ilms.Group, error) {
	ref = strings.TrimSpace(ref)
	o.mu.RLock()
	defer o.mu.RUnlock()
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if g := o.groups[id]; g != nil {
			return g, nil
		}
	}
	switch gs := o.groupByName[Fold(ref)]; len(gs) {
	case 0:
		return nil, fmt.Errorf("no group is named or numbered %s", validate.Quote(ref))
	case 1:
		return gs[0], nil
	default:
		ids := make([]string, len(gs))
		for i, g := range gs {
			ids[i] = strconv.FormatInt(g.ID, 10)
		}
		slices.Sort(ids)
		return nil, fmt.Errorf("%d groups are named %s (%s); give the group ID", len(gs), validate.Quote(ref), strings.Join(ids, ", "))
	}
}

func (o *Org) loadCourses(ctx context.Context, withSessions bool) error {
	courses, err := collect(o.c.Courses.List(ilms.CourseListOptions{IncludeHistorical: true}).Fetch(ctx, o.workers))
	if err != nil {
		return fmt.Errorf("reading courses: %w", err)
	}
	curricula, err := collect(o.c.Curricula.List("").Fetch(ctx, o.workers))
	if err != nil {
		return fmt.Errorf("reading curricula: %w", err)
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(o.workers)
	sessions := make([][]ilms.Session, len(courses))
	for i, c := range courses {
		if !withSessions || c.Type != "ILT" && c.Type != "Event" {
			continue
		}
		g.Go(func() error {
			ss, err := collect(o.c.Sessions.List(c.ID, ilms.SessionListOptions{}).Fetch(ctx, 1))
			if err != nil {
				return fmt.Errorf("reading sessions of %q: %w", c.Name, err)
			}
			sessions[i] = ss
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range courses {
		c := &courses[i]
		o.courses[c.ID] = c
		o.courseNames[Fold(c.Name)] = append(o.courseNames[Fold(c.Name)], c.ID)
		if sessions[i] != nil {
			o.sessions[c.ID] = map[int64]*ilms.Session{}
			for j := range sessions[i] {
				o.sessions[c.ID][sessions[i][j].SessionID] = &sessions[i][j]
			}
		}
	}
	for i := range curricula {
		c := &curricula[i]
		o.curricula[c.ID] = c
		o.courseNames[Fold(c.Name)] = append(o.courseNames[Fold(c.Name)], c.ID)
	}
	return nil
}

// noTargetError is a reference that names no course (or curriculum) at
// all, rather than two. near are the IDs that differ from it by case
// alone.
type noTargetError struct {
	what, ref string
	near      []string
}

func (e *noTargetError) Error() string {
	msg := fmt.Sprintf("no %s has the ID or the name %s", e.what, validate.Quote(e.ref))
	if len(e.near) > 0 {
		msg += fmt.Sprintf(" (IDs are case-sensitive: did you mean %s?)", strings.Join(e.near, " or "))
	}
	return msg
}

// Target is a resolved course, curriculum or session.
type Target struct {
	ID         string // course or curriculum ID
	Name       string
	Curriculum bool
	Session    int64 // 0 unless an ILT session
	Type       string
}

func (t Target) String() string {
	s := t.ID
	if t.Session != 0 {
		s += "/" + strconv.FormatInt(t.Session, 10)
	}
	return s
}

// Resolve finds what course (or curriculum, with curriculum set) ref names,
// by ID or exact name, and the session when given.
func (o *Org) Resolve(ref string, curriculum bool, session string) (Target, error) {
	ref = strings.TrimSpace(ref)
	o.mu.RLock()
	defer o.mu.RUnlock()
	var t Target
	switch {
	case curriculum && o.curricula[ref] != nil:
		c := o.curricula[ref]
		t = Target{ID: c.ID, Name: c.Name, Curriculum: true, Type: "Curriculum"}
	case !curriculum && o.courses[ref] != nil:
		c := o.courses[ref]
		t = Target{ID: c.ID, Name: c.Name, Type: c.Type}
	default:
		var ids []string
		for _, id := range o.courseNames[Fold(ref)] {
			if (o.curricula[id] != nil) == curriculum {
				ids = append(ids, id)
			}
		}
		what := map[bool]string{false: "course", true: "curriculum"}[curriculum]
		switch len(ids) {
		case 0:
			return t, &noTargetError{what: what, ref: ref, near: o.sameButCase(ref, curriculum)}
		case 1:
			if curriculum {
				c := o.curricula[ids[0]]
				t = Target{ID: c.ID, Name: c.Name, Curriculum: true, Type: "Curriculum"}
			} else {
				c := o.courses[ids[0]]
				t = Target{ID: c.ID, Name: c.Name, Type: c.Type}
			}
		default:
			return t, fmt.Errorf("%d %s share the name %s (%s); give the ID", len(ids), what+"s", validate.Quote(ref), strings.Join(ids, ", "))
		}
	}
	if session = strings.TrimSpace(session); session != "" {
		sid, err := strconv.ParseInt(session, 10, 64)
		if err != nil {
			return t, &SessionError{fmt.Sprintf("session %s is not a session ID", validate.Quote(session))}
		}
		if o.sessions[t.ID][sid] == nil {
			return t, &SessionError{fmt.Sprintf("course %s (%s) has no session %d", t.ID, t.Name, sid)}
		}
		t.Session = sid
	}
	return t, nil
}

// sameButCase returns the course (or curriculum) IDs equal to ref but for
// case, sorted. Called with mu held.
func (o *Org) sameButCase(ref string, curriculum bool) []string {
	var ids []string
	add := func(id string) {
		if strings.EqualFold(id, ref) {
			ids = append(ids, id)
		}
	}
	if curriculum {
		for id := range o.curricula {
			add(id)
		}
	} else {
		for id := range o.courses {
			add(id)
		}
	}
	slices.Sort(ids)
	return ids
}

// ResolveCourseRef reads one item of a Courses cell: a course or curriculum
// ID or exact name, or course/session.
func (o *Org) ResolveCourseRef(ref string) (Target, error) {
	ref = strings.TrimSpace(ref)
	course, session, hasSession := strings.Cut(ref, "/")
	if hasSession {
		if _, err := strconv.ParseInt(strings.TrimSpace(session), 10, 64); err != nil {
			// A slash inside a name: try the whole reference.
			hasSession, course = false, ref
		}
	}
	if hasSession {
		return o.Resolve(course, false, session)
	}
	// An ID names one course or curriculum exactly; a name may be a
	// course's and a curriculum's at once, and then names neither.
	o.mu.RLock()
	c, cur := o.courses[course], o.curricula[course]
	o.mu.RUnlock()
	switch {
	case c != nil:
		return o.Resolve(course, false, "")
	case cur != nil:
		return o.Resolve(course, true, "")
	}
	t, cerr := o.Resolve(course, false, "")
	tc, err := o.Resolve(course, true, "")
	switch {
	case cerr == nil && err == nil:
		return Target{}, fmt.Errorf("%s names course %s and curriculum %s; give the ID", validate.Quote(ref), t.ID, tc.ID)
	case cerr == nil:
		return t, nil
	case err == nil:
		return tc, nil
	}
	var nc, ncur *noTargetError
	if !errors.As(cerr, &nc) {
		return Target{}, cerr
	}
	if !errors.As(err, &ncur) {
		return Target{}, err
	}
	return Target{}, &noTargetError{what: "course or curriculum", ref: ref, near: slices.Sorted(slices.Values(append(nc.near, ncur.near...)))}
}

// Members returns a group's members, fetched on first use.
func (o *Org) Members(ctx context.Context, groupID int64) (map[int64]bool, error) {
	o.mu.RLock()
	m, ok := o.members[groupID]
	o.mu.RUnlock()
	if ok {
		return m, nil
	}
	v, err, _ := o.lazy.Do("group:"+strconv.FormatInt(groupID, 10), func() (any, error) {
		set := map[int64]bool{}
		for u, err := range o.c.Groups.Members(groupID, ilms.Sort{}).PerPage(prefetchPage).Fetch(ctx, o.workers) {
			if err != nil {
				return nil, fmt.Errorf("reading members of group %d: %w", groupID, err)
			}
			set[u.ID] = true
		}
		o.mu.Lock()
		o.members[groupID] = set
		o.mu.Unlock()
		return set, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[int64]bool), nil
}

// IsMember reports whether a user is in a group as last read or changed.
func (o *Org) IsMember(ctx context.Context, groupID, userID int64) (bool, error) {
	m, err := o.Members(ctx, groupID)
	if err != nil {
		return false, err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return m[userID], nil
}

// SetMember records a membership change.
func (o *Org) SetMember(groupID, userID int64, in bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if m := o.members[groupID]; m != nil {
		m[userID] = in
	}
}

// Targets returns every course (with its type), then every curriculum,
// each sorted by name, then ID.
func (o *Org) Targets() []Target {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var courses, curricula []Target
	for _, c := range o.courses {
		courses = append(courses, Target{ID: c.ID, Name: c.Name, Type: c.Type})
	}
	for _, c := range o.curricula {
		curricula = append(curricula, Target{ID: c.ID, Name: c.Name, Curriculum: true, Type: "Curriculum"})
	}
	byName := func(a, b Target) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	slices.SortFunc(courses, byName)
	slices.SortFunc(curricula, byName)
	return append(courses, curricula...)
}

// ActiveUsers counts the org's active users: what safety limits given
// as percentages are of.
func (o *Org) ActiveUsers() int {
	o.mu.RLock()
	defer o.mu.RUnlock()
	n := 0
	for _, p := range o.users {
		if p.status == "Active" {
			n++
		}
	}
	return n
}

// EachUser hands f every user the org holds, in no order.
func (o *Org) EachUser(f func(*ilms.User)) {
	o.mu.RLock()
	users := make([]*packed, 0, len(o.users))
	for _, p := range o.users {
		users = append(users, p)
	}
	o.mu.RUnlock()
	for _, p := range users {
		f(p.user())
	}
}
