package validate

import "strings"

// ClearToken in a cell clears the field on update; a blank cell changes
// nothing.
const ClearToken = "#clear"

// fieldIndex maps a field code to its position in Fields.
var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(Fields))
	for i, f := range Fields {
		m[f.Code] = i
	}
	return m
}()

// FieldIndex returns the position of code in Fields, or -1.
func FieldIndex(code string) int {
	if i, ok := fieldIndex[code]; ok {
		return i
	}
	return -1
}

// statesAndProvinces tells whether a spelling names both a US state and
// a Canadian province in the tables (none does): only then does a US
// state need looking up among the provinces too.
var statesAndProvinces = func() bool {
	for k := range usStateIndex.exact {
		if _, ok := provinceIndex.exact[k]; ok {
			return true
		}
	}
	return false
}()

var (
	idxCountry = FieldIndex("F011")
	idxState   = FieldIndex("F012")
	idxRegion  = FieldIndex("F013")
)

// UserChecker checks user rows held as values by field position (the order
// of Fields), without allocating when a row is clean. It is not safe for
// concurrent use.
type UserChecker struct {
	s        Settings
	required []bool
	layout   string
	// checkOnly: the values are checked, not sent, so a date already in
	// an ISO form is not rewritten in the API's.
	checkOnly bool
}

// NewUserChecker returns a checker for an organization's settings.
func NewUserChecker(s Settings) *UserChecker {
	c := &UserChecker{s: s, required: make([]bool, len(Fields))}
	for i, f := range Fields {
		c.required[i] = s.IsRequired(f.Code)
	}
	return c
}

// SetDateLayout sets the date format of F005 (the file's, given by the
// person).
func (c *UserChecker) SetDateLayout(layout string) { c.layout = layout }

// SetCheckOnly says the values checked are not sent (a validation): they
// are checked as ever, and a date in an ISO form is left as written
// instead of rewritten in the API's form.
func (c *UserChecker) SetCheckOnly(on bool) { c.checkOnly = on }

// Settings returns the settings the checker applies.
func (c *UserChecker) Settings() Settings { return c.s }

// Check validates one row and rewrites its values in the form to send (see
// CheckValue). given[i] tells whether the file gives field i at all (a
// column, a default or a constant). For a new user (create) every required
// field needs a value; for an update a blank value changes nothing, and
// ClearToken clears a field unless it is required.
func (c *UserChecker) Check(values []string, given []bool, create bool) Problems {
	return c.CheckLayout(values, NewLayout(given), create)
}

// Layout is which fields a file gives, worked out once for all its rows.
type Layout struct {
	given   []int // fields the file gives
	missing []int // fields it does not give
	state   bool  // it gives F012 or F013
	country bool  // it gives F011
}

// NewLayout describes the fields given[i] says a file gives.
func NewLayout(given []bool) *Layout {
	l := &Layout{}
	for i := range Fields {
		if i < len(given) && given[i] {
			l.given = append(l.given, i)
		} else {
			l.missing = append(l.missing, i)
		}
	}
	l.state = given[idxState] || given[idxRegion]
	l.country = given[idxCountry]
	return l
}

// CheckLayout is Check for a file whose layout is known.
func (c *UserChecker) CheckLayout(values []string, l *Layout, create bool) Problems {
	var ps Problems
	var geo geography
	countryKnown := true
	if create {
		for _, i := range l.missing {
			if c.required[i] {
				ps = append(ps, problem(Fields[i].Code, "", ErrRequired, Error, "%s is required for a new user", Fields[i].Name))
			}
		}
	}
	for _, i := range l.given {
		f := &Fields[i]
		v := values[i]
		if v == "" {
			if create && c.required[i] {
				ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required for a new user", f.Name))
			}
			continue
		}
		if v[0] == ' ' || v[len(v)-1] == ' ' || v[0] == '\t' || v[len(v)-1] == '\t' {
			v = strings.TrimSpace(v)
			values[i] = v
			if v == "" {
				if create && c.required[i] {
					ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required for a new user", f.Name))
				}
				continue
			}
		}
		// The common cases, without a call: clean plain text, and the
		// country and state as the tables spell them (looked up once for
		// both their own rule and the rule between them).
		switch f.Kind {
		case KindText:
			if len(v) <= f.MaxLen && !f.watch.any(v) {
				continue
			}
		case KindDate:
			if c.checkOnly && c.layout == "" && isISODate(v) {
				continue
			}
		case KindCountry:
			if e, ok := countryIndex.exact[v]; ok {
				geo.code = e.Code
				continue
			}
		case KindState:
			if _, ok := usStateIndex.exact[v]; ok {
				geo.usState = true
				if statesAndProvinces {
					_, geo.province = provinceIndex.exact[v]
				}
				continue
			}
			if _, ok := provinceIndex.exact[v]; ok {
				geo.province = true
				continue
			}
		}
		if v == ClearToken {
			switch {
			case c.required[i]:
				ps = append(ps, problem(f.Code, v, ErrRequired, Error, "%s is required and cannot be cleared", f.Name))
			case create:
				values[i] = ""
			}
			continue
		}
		norm, vps := checkField(f, v, &c.s, c.layout)
		if vps != nil {
			ps = append(ps, vps...)
		}
		values[i] = norm
		switch f.Kind {
		case KindCountry:
			e, ok := LookupCountry(norm)
			geo.code, countryKnown = e.Code, ok
		case KindState:
			_, geo.usState = LookupUSState(norm)
			_, geo.province = LookupProvince(norm)
		}
	}
	if l.state && countryKnown && (values[idxState] != "" || values[idxRegion] != "") {
		country := ""
		if l.country {
			country = values[idxCountry]
		}
		if country != ClearToken {
			ps = append(ps, geo.check(country, clearless(values[idxState]), clearless(values[idxRegion]))...)
		}
	}
	return ps
}

func clearless(v string) string {
	if v == ClearToken {
		return ""
	}
	return v
}
