package export

import (
	"context"
	"iter"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// UserFilter chooses users. Its zero value chooses every active user.
type UserFilter struct {
	Statuses []string // active, inactive, deleted; none: active
	Groups   []string // members of any of these groups, by ID or exact name
	// Where are searches on profile fields in the API's syntax, FIELD=VALUE
	// with the field by code or name: F001=Jo* (starts with), F003=*son
	// (ends with), F015=acme (contains), F004="00123" (exact),
	// F005=(From:2024-01-01T00:00:00To:2024-12-31T23:59:59) (a date range).
	Where []string
}

// empty reports whether the filter chooses nothing of its own.
func (f UserFilter) empty() bool { return len(f.Statuses)+len(f.Groups)+len(f.Where) == 0 }

// query translates the statuses and searches into the query of Get All
// Users; groups are added by Query, which looks their names up.
func (f UserFilter) query() (*ilms.UserQuery, error) {
	for _, st := range f.Statuses {
		if _, err := ilms.NewUserQuery().WithStatus(st).Values(); err != nil {
			return nil, &validate.OptionError{Option: OptionStatus, Value: st, Rule: validate.ErrInvalid,
				Detail: "give active, inactive or deleted, or several separated by commas"}
		}
	}
	q := ilms.NewUserQuery().WithStatus(f.Statuses...)
	for _, w := range f.Where {
		field, value, ok := strings.Cut(w, "=")
		field, value = strings.TrimSpace(field), strings.TrimSpace(value)
		if !ok || field == "" {
			return nil, &validate.OptionError{Option: validate.OptionSearch, Value: w, Rule: validate.ErrInvalid,
				Detail: "write FIELD=VALUE, such as F001=Jo*"}
		}
		code, err := mapping.SearchTerm(field, value)
		if err != nil {
			return nil, err
		}
		if _, err := q.Where(code, value).Values(); err != nil {
			return nil, &validate.OptionError{Option: validate.OptionSearch, Value: w, Rule: validate.ErrInvalid,
				Detail: "not a search of the API's syntax, such as F001=Jo*"}
		}
	}
	return q, nil
}

// Query returns the search of Get All Users the filter means, the names
// of its groups looked up in iLMS.
func (f UserFilter) Query(ctx context.Context, c *ilms.Client, workers int) (*ilms.UserQuery, error) {
	q, err := f.query()
	if err != nil {
		return nil, err
	}
	var known *org.Org
	for _, ref := range f.Groups {
		if known == nil && !isID(ref) {
			if known, err = org.Load(ctx, c, org.Needs{Groups: true}, workers); err != nil {
				return nil, err
			}
		}
		id, err := groupID(known, ref)
		if err != nil {
			return nil, err
		}
		q.InGroups(id)
	}
	return q, nil
}

func isID(ref string) bool {
	_, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64)
	return err == nil
}

// groupID reads a group reference: an ID as it is, a name through the
// groups read (known, which a reference of IDs alone does not need).
func groupID(known *org.Org, ref string) (int64, error) {
	if id, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64); err == nil {
		return id, nil
	}
	g, err := known.Group(ref)
	if err != nil {
		return 0, &validate.OptionError{Option: OptionGroup, Rule: validate.ErrInvalid, Detail: err.Error()}
	}
	return g.ID, nil
}

// CourseFilter chooses courses, curricula and ILT sessions.
type CourseFilter struct {
	Courses   []string // course IDs or exact names
	Curricula []string // curriculum IDs or exact names
	Sessions  []string // ILT sessions as courseID/sessionID
	// IncludeInactive counts inactive users' enrollments too.
	IncludeInactive bool
}

func (f CourseFilter) named() bool { return len(f.Courses)+len(f.Curricula)+len(f.Sessions) > 0 }

// String says the filter in words, as a report's title block does: ""
// for every course and curriculum.
func (f CourseFilter) String() string {
	var parts []string
	for _, p := range []struct {
		what  string
		names []string
	}{{"courses", f.Courses}, {"curricula", f.Curricula}, {"sessions", f.Sessions}} {
		if len(p.names) > 0 {
			parts = append(parts, p.what+" "+strings.Join(p.names, ", "))
		}
	}
	if f.IncludeInactive {
		parts = append(parts, "inactive users' enrollments included")
	}
	return strings.Join(parts, "; ")
}

// check checks the form of the sessions; names are looked up once
// connected.
func (f CourseFilter) check() error {
	for _, ref := range f.Sessions {
		if _, _, err := splitSession(ref); err != nil {
			return err
		}
	}
	return nil
}

func splitSession(ref string) (course, session string, err error) {
	course, session, ok := strings.Cut(strings.TrimSpace(ref), "/")
	if !ok || course == "" || session == "" {
		return "", "", &validate.OptionError{Option: OptionSession, Value: ref, Rule: validate.ErrInvalid,
			Detail: "write courseID/sessionID, such as pyOgaoli/4901"}
	}
	return course, session, nil
}

// load reads the courses and curricula, and the sessions of ILT and
// Event courses when withSessions or the filter names one.
func (f CourseFilter) load(ctx context.Context, c *ilms.Client, withSessions bool, workers int) (*org.Org, error) {
	return org.Load(ctx, c, org.Needs{Courses: true, Sessions: withSessions || len(f.Sessions) > 0}, workers)
}

// targets resolves the filter's courses, curricula and sessions, by ID or
// exact name, in that order; with none named and all set, every course
// and curriculum. A target named twice (by ID and by name) is one.
func (f CourseFilter) targets(known *org.Org, all bool) ([]org.Target, error) {
	var ts []org.Target
	seen := map[org.Target]bool{}
	add := func(option, ref string) error {
		var t org.Target
		var err error
		switch option {
		case OptionSession:
			course, session, serr := splitSession(ref)
			if serr != nil {
				return serr
			}
			t, err = known.Resolve(course, false, session)
		default:
			t, err = known.Resolve(ref, option == OptionCurriculum, "")
		}
		if err != nil {
			return &validate.OptionError{Option: option, Rule: validate.ErrInvalid, Detail: err.Error()}
		}
		if !seen[t] {
			seen[t] = true
			ts = append(ts, t)
		}
		return nil
	}
	for _, refs := range []struct {
		option string
		refs   []string
	}{{OptionCourse, f.Courses}, {OptionCurriculum, f.Curricula}, {OptionSession, f.Sessions}} {
		for _, ref := range refs.refs {
			if err := add(refs.option, ref); err != nil {
				return nil, err
			}
		}
	}
	if len(ts) == 0 && all {
		ts = known.Targets()
	}
	return ts, nil
}

// enrollments lists the enrollments of a target as the summary report
// counts them: a course's sessions' people included.
func (f CourseFilter) enrollments(ctx context.Context, known *org.Org, t org.Target) iter.Seq2[ilms.Enrollment, error] {
	return known.ListEnrollments(ctx, t, ilms.EnrollmentListOptions{IncludeInactiveUsers: f.IncludeInactive}, 0)
}
