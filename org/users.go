package org

import (
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// packed is a user as the org keeps one: the profile's text in one string.
// An import reads every user of the organization before it plans a row,
// and a Profile's thirty string headers cost more than most of their
// values; packed, an organization of 100,000 users takes a third of the
// memory.
type packed struct {
	id     int64
	status string
	text   string                  // the values of the string fields, end to end
	ends   [len(textFields)]uint32 // where each value ends in text
	dates  [2]*ilms.Date           // F005, F032
	units  [3]int64                // F019_ID, F020_ID, F021_ID
}

// textFields are the profile's string fields, in the order packed keeps
// them; F016, the password, is never read back and is not kept.
var textFields = [...]func(*ilms.Profile) *string{
	func(p *ilms.Profile) *string { return &p.F001 }, func(p *ilms.Profile) *string { return &p.F002 },
	func(p *ilms.Profile) *string { return &p.F003 }, func(p *ilms.Profile) *string { return &p.F004 },
	func(p *ilms.Profile) *string { return &p.F006 }, func(p *ilms.Profile) *string { return &p.F007 },
	func(p *ilms.Profile) *string { return &p.F008 }, func(p *ilms.Profile) *string { return &p.F009 },
	func(p *ilms.Profile) *string { return &p.F010 }, func(p *ilms.Profile) *string { return &p.F011 },
	func(p *ilms.Profile) *string { return &p.F012 }, func(p *ilms.Profile) *string { return &p.F013 },
	func(p *ilms.Profile) *string { return &p.F014 }, func(p *ilms.Profile) *string { return &p.F015 },
	func(p *ilms.Profile) *string { return &p.F017 }, func(p *ilms.Profile) *string { return &p.F018 },
	func(p *ilms.Profile) *string { return &p.F019 }, func(p *ilms.Profile) *string { return &p.F020 },
	func(p *ilms.Profile) *string { return &p.F021 }, func(p *ilms.Profile) *string { return &p.F022 },
	func(p *ilms.Profile) *string { return &p.F023 }, func(p *ilms.Profile) *string { return &p.F024 },
	func(p *ilms.Profile) *string { return &p.F025 }, func(p *ilms.Profile) *string { return &p.F026 },
	func(p *ilms.Profile) *string { return &p.F027 }, func(p *ilms.Profile) *string { return &p.F031 },
	func(p *ilms.Profile) *string { return &p.F033 }, func(p *ilms.Profile) *string { return &p.F034 },
}

// The fields the org finds users by, as indexes of textFields.
const (
	textEmployeeID = 3  // F004
	textEmail      = 13 // F015
)

func pack(u *ilms.User) *packed {
	p := &packed{id: u.ID, status: statusOf(u.UserStatus)}
	var b strings.Builder
	for i, f := range textFields {
		b.WriteString(*f(&u.Profile))
		p.ends[i] = uint32(b.Len())
	}
	p.text = b.String()
	pr := &u.Profile
	p.dates = [2]*ilms.Date{pr.F005, pr.F032}
	p.units = [3]int64{pr.F019_ID, pr.F020_ID, pr.F021_ID}
	return p
}

// field returns the value of textFields[i].
func (p *packed) field(i int) string {
	start := uint32(0)
	if i > 0 {
		start = p.ends[i-1]
	}
	return p.text[start:p.ends[i]]
}

// user unpacks the user: a copy of its own, the values sharing the
// packed text.
func (p *packed) user() *ilms.User {
	u := &ilms.User{ID: p.id, UserStatus: p.status}
	for i, f := range textFields {
		*f(&u.Profile) = p.field(i)
	}
	u.Profile.F005, u.Profile.F032 = p.dates[0], p.dates[1]
	u.Profile.F019_ID, u.Profile.F020_ID, u.Profile.F021_ID = p.units[0], p.units[1], p.units[2]
	return u
}

// statusOf shares the storage of the three statuses.
func statusOf(s string) string {
	for _, known := range [...]string{"Active", "Inactive", "Deleted"} {
		if s == known {
			return known
		}
	}
	return s
}
