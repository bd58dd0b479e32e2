package ilms

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sort names a sort field and direction; the API writes descending as a
// leading dash ("sort=-name").
type Sort struct {
	Field string
	Desc  bool
}

// ParseSort reads "F003" or "-F003".
func ParseSort(s string) Sort {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return Sort{Field: rest, Desc: true}
	}
	return Sort{Field: s}
}

func (s Sort) String() string {
	if s.Field == "" {
		return ""
	}
	if s.Desc {
		return "-" + s.Field
	}
	return s.Field
}

// UserSortFields are the field codes Get All Users accepts in sort.
var UserSortFields = []string{"F001", "F002", "F003", "F004", "F006", "F011", "F012", "F015", "F019", "F020", "F021"}

// EnrollmentSortFields are the field codes the enrollment lists accept in
// sort.
var EnrollmentSortFields = []string{"F001", "F003", "F004", "F015", "F019", "F020", "F021"}

var fieldCode = regexp.MustCompile(`^F\d{3}$`)

// UserQuery builds the query of Get All Users / Search Users: profile field
// searches of the four documented kinds, date ranges, groups, statuses and a
// sort. The zero value (or nil) asks for every active user.
type UserQuery struct {
	terms    []searchTerm
	groupIDs []int64
	statuses []string
	sort     Sort
	err      error
}

type searchTerm struct{ code, value string }

// NewUserQuery returns an empty query.
func NewUserQuery() *UserQuery { return &UserQuery{} }

func (q *UserQuery) set(code, value string) *UserQuery {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !fieldCode.MatchString(code) {
		q.fail(fmt.Errorf("ilms: %q is not a user profile field code (F001…F034)", code))
		return q
	}
	for i := range q.terms {
		if q.terms[i].code == code {
			q.terms[i].value = value
			return q
		}
	}
	q.terms = append(q.terms, searchTerm{code, value})
	return q
}

func (q *UserQuery) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

// Exact matches users whose field equals value: F001="John".
func (q *UserQuery) Exact(code, value string) *UserQuery {
	return q.set(code, `"`+value+`"`)
}

// Contains matches users whose field contains value: F001=John.
func (q *UserQuery) Contains(code, value string) *UserQuery { return q.set(code, value) }

// StartsWith matches users whose field starts with prefix: F001=Jo*.
func (q *UserQuery) StartsWith(code, prefix string) *UserQuery { return q.set(code, prefix+"*") }

// EndsWith matches users whose field ends with suffix: F001=*hn.
func (q *UserQuery) EndsWith(code, suffix string) *UserQuery { return q.set(code, "*"+suffix) }

// Between matches a date field within [from, to]; a zero bound is left out,
// giving "on or after" or "on or before":
// F005=(From:2012-01-01T00:00:00To:2012-12-31T23:59:59).
func (q *UserQuery) Between(code string, from, to time.Time) *UserQuery {
	if from.IsZero() && to.IsZero() {
		q.fail(fmt.Errorf("ilms: a date range on %s needs a From or a To", code))
		return q
	}
	var b strings.Builder
	b.WriteString("(")
	if !from.IsZero() {
		b.WriteString("From:" + from.UTC().Format(DateLayout))
	}
	if !to.IsZero() {
		b.WriteString("To:" + to.UTC().Format(DateLayout))
	}
	b.WriteString(")")
	return q.set(code, b.String())
}

// Where adds a term written in the document's own syntax, value as the API
// reads it: `"John"`, `John`, `Jo*`, `*hn` or `(From:…To:…)`.
func (q *UserQuery) Where(code, value string) *UserQuery { return q.set(code, value) }

// InGroups keeps users who belong to any of the groups.
func (q *UserQuery) InGroups(ids ...int64) *UserQuery {
	q.groupIDs = append(q.groupIDs, ids...)
	return q
}

// WithStatus keeps users of the given statuses (StatusActive, StatusInactive,
// StatusDeleted). Without it the API returns active users only.
func (q *UserQuery) WithStatus(statuses ...string) *UserQuery {
	for _, s := range statuses {
		s = strings.ToLower(strings.TrimSpace(s))
		switch s {
		case StatusActive, StatusInactive, StatusDeleted:
			if !slices.Contains(q.statuses, s) {
				q.statuses = append(q.statuses, s)
			}
		default:
			q.fail(fmt.Errorf("ilms: user status %q is not one of active, inactive, deleted", s))
		}
	}
	return q
}

// SortBy orders the results by a supported field code; desc for descending.
func (q *UserQuery) SortBy(code string, desc bool) *UserQuery {
	code = strings.ToUpper(strings.TrimSpace(code))
	if !slices.Contains(UserSortFields, code) {
		q.fail(fmt.Errorf("ilms: users cannot be sorted by %q; supported: %s", code, strings.Join(UserSortFields, ", ")))
		return q
	}
	q.sort = Sort{Field: code, Desc: desc}
	return q
}

// Values returns the query string, or the first error a builder call met.
func (q *UserQuery) Values() (url.Values, error) {
	v := url.Values{}
	if q == nil {
		return v, nil
	}
	if q.err != nil {
		return nil, q.err
	}
	for _, t := range q.terms {
		v.Set(t.code, t.value)
	}
	if len(q.groupIDs) > 0 {
		ids := make([]string, len(q.groupIDs))
		for i, g := range q.groupIDs {
			ids[i] = strconv.FormatInt(g, 10)
		}
		v.Set("groupids", strings.Join(ids, ","))
	}
	if len(q.statuses) > 0 {
		v.Set("userstatus", strings.Join(q.statuses, ","))
	}
	if s := q.sort.String(); s != "" {
		v.Set("sort", s)
	}
	return v, nil
}
