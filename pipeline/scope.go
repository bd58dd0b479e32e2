package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// ScopeTerm is one condition of a --scope: a region (F019), division
// (F020) or department (F021) by its exact name, or a group by its name
// or ID.
type ScopeTerm struct {
	Field string `json:"field"` // F019, F020, F021 or group
	Value string `json:"value"`
}

// Scope is the users --deactivate-missing may inactivate: those who meet
// every term.
type Scope []ScopeTerm

// ScopeGroup is the field of a group term.
const ScopeGroup = "group"

// Set adds a term, as a repeated --scope does: F019=North America,
// group=Leadership.
func (s *Scope) Set(v string) error {
	field, value, ok := strings.Cut(v, "=")
	field, value = strings.TrimSpace(field), strings.TrimSpace(value)
	switch {
	case !ok || value == "":
		return fmt.Errorf("%q: give FIELD=VALUE, such as F019=North America or group=Leadership", v)
	case strings.EqualFold(field, ScopeGroup):
		field = ScopeGroup
	case field == "F019" || field == "F020" || field == "F021":
	default:
		return fmt.Errorf("%q: a scope is F019= (region), F020= (division), F021= (department) or group=", v)
	}
	*s = append(*s, ScopeTerm{Field: field, Value: value})
	return nil
}

func (s *Scope) String() string { return strings.Join(s.GetSlice(), " and ") }

// GetSlice, Append and Replace give the terms one by one (a
// pflag.SliceValue), so that a run keeps each as its own option.
func (s *Scope) GetSlice() []string {
	out := make([]string, len(*s))
	for i, t := range *s {
		out[i] = t.Field + "=" + t.Value
	}
	return out
}

func (s *Scope) Append(v string) error { return s.Set(v) }

func (s *Scope) Replace(vs []string) error {
	var n Scope
	for _, v := range vs {
		if err := n.Set(v); err != nil {
			return err
		}
	}
	*s = n
	return nil
}

// Type names what a scope flag takes.
func (s *Scope) Type() string { return "FIELD=VALUE" }

func (s Scope) hasGroup() bool {
	return slices.ContainsFunc(s, func(t ScopeTerm) bool { return t.Field == ScopeGroup })
}

// matcher returns whether a user is in the scope; group terms read the
// group's members.
func (s Scope) matcher(ctx context.Context, o *org.Org) (func(*ilms.User) bool, error) {
	var members []map[int64]bool
	for _, t := range s {
		if t.Field != ScopeGroup {
			continue
		}
		g, err := o.Group(t.Value)
		if err != nil {
			return nil, jobErrorf("%s: %v", remedy.Of(remedy.Scope, "group="+t.Value), err)
		}
		m, err := o.Members(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	return func(u *ilms.User) bool {
		for _, t := range s {
			if t.Field != ScopeGroup && !strings.EqualFold(strings.TrimSpace(u.Profile.Get(t.Field)), t.Value) {
				return false
			}
		}
		for _, m := range members {
			if !m[u.ID] {
				return false
			}
		}
		return true
	}, nil
}

// missing plans, for --deactivate-missing, an inactivation of each active
// user in scope whom no row of the file names. Their plans are not rows
// of the file: a plan's line is minus its user's ID, the same in a
// resume, an apply and an undo of the run; they come in the order of
// their lines.
func (s Scope) missing(ctx context.Context, o *org.Org, named map[int64]bool, track bool, words remedy.Words) ([]*Plan, error) {
	in, err := s.matcher(ctx, o)
	if err != nil {
		return nil, err
	}
	var users []*ilms.User
	o.EachUser(func(u *ilms.User) {
		if u.UserStatus == "Active" && !named[u.ID] && in(u) {
			users = append(users, u)
		}
	})
	slices.SortFunc(users, func(a, b *ilms.User) int { return cmp.Compare(b.ID, a.ID) }) // lines -ID ascending
	plans := make([]*Plan, len(users))
	for i, u := range users {
		p := &Plan{Line: -int(u.ID), Key: first(u.Profile.F015, u.Profile.F004, fmt.Sprint(u.ID)), Outcome: Deactivated, UserID: u.ID,
			Message: fmt.Sprintf("%s is in %s and not in the file (%s)", who(u.Profile.F001, u.Profile.F003, ""), s.String(), words.Of(remedy.Of(remedy.DeactivateMissing))),
			email:   u.Profile.F015, employeeID: u.Profile.F004}
		if track {
			p.seen = newSeen()
		}
		p.saw(u)
		p.steps = []Action{{Op: OpInactivate, What: OpInactivate, Before: u.UserStatus}}
		plans[i] = p
	}
	return plans, nil
}

// rowNames adds the user a users row names (by ID, email or employee ID)
// to named; it reports false when the row names no one it can tell.
func (c *Checker) rowNames(ch *Checked, o *org.Org, named map[int64]bool) bool {
	if ch.Rec == nil {
		return false
	}
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(ch.Rec.Values[i])
	}
	any := false
	for _, k := range []org.Key{{Field: org.KeyID, Value: get(c.ix.userID)}, {Field: "F015", Value: get(c.ix.email)}, {Field: "F004", Value: get(c.ix.empID)}} {
		if k.Value == "" || k.Value == validate.ClearToken {
			continue
		}
		any = true
		if u := o.User(k); u != nil {
			named[u.ID] = true
		}
	}
	return any
}
