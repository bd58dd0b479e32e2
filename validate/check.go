package validate

import (
	"strings"
	"unicode/utf8"

	"github.com/ilms-bulk/ilms-bulk/internal/byteset"
)

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
	given   []givenField // fields the file gives
	missing []int        // fields it does not give
	state   bool         // it gives F012 or F013
	country bool         // it gives F011
}

// givenField is a field a file gives, with what its common case needs side by
// side: a row's loop over them reads one small record a field, not the
// field's whole definition.
type givenField struct {
	f      *Field
	watch  *byteset.Set
	i      int32
	maxLen int32
	kind   Kind
}

// NewLayout describes the fields given[i] says a file gives.
func NewLayout(given []bool) *Layout {
	l := &Layout{}
	for i := range Fields {
		if i < len(given) && given[i] {
			f := &Fields[i]
			l.given = append(l.given, givenField{f: f, watch: f.watch, i: int32(i), maxLen: int32(f.MaxLen), kind: f.Kind})
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
	for k := range l.given {
		sl := &l.given[k]
		// Clean plain text, the common case, in a loop kept small: the
		// rest is field's.
		if v := values[sl.i]; sl.kind == KindText && v != "" && len(v) <= int(sl.maxLen) && v[0] > ' ' && v[len(v)-1] > ' ' && !sl.watch.Any(v) {
			continue
		}
		ps = c.field(sl, values, create, &geo, &countryKnown, ps)
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

// field checks the value of one field a file gives, and rewrites it in
// the form to send; geo and countryKnown gather what the rule between the
// country and the state needs.
func (c *UserChecker) field(sl *givenField, values []string, create bool, geo *geography, countryKnown *bool, ps Problems) Problems {
	i, f := int(sl.i), sl.f
	v := values[i]
	if v != "" && (v[0] == ' ' || v[len(v)-1] == ' ' || v[0] == '\t' || v[len(v)-1] == '\t') {
		v = strings.TrimSpace(v)
		values[i] = v
	}
	if v == "" {
		if create && c.required[i] {
			ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required for a new user", f.Name))
		}
		return ps
	}
	// The common cases, without a call: clean plain text, and the table
	// fields as the tables spell them (the country and state looked up
	// once for both their own rule and the rule between them).
	switch sl.kind {
	case KindText:
		if len(v) <= int(sl.maxLen) && !sl.watch.Any(v) {
			return ps
		}
	case KindDate:
		if c.checkOnly && c.layout == "" && isISODate(v) {
			return ps
		}
	case KindCountry:
		if e, ok := countryIndex.exact[v]; ok {
			geo.code = e.Code
			return ps
		}
	case KindTimeZone: // the table's own full name
		if _, ok := timeZoneExact[v]; ok && c.passesCommon(f, v) {
			return ps
		}
	case KindLanguage: // the table's own name, enabled
		if _, ok := languageByExactName[v]; ok && c.passesCommon(f, v) && c.s.LanguageEnabled(v) {
			return ps
		}
	case KindState:
		if _, ok := usStateIndex.exact[v]; ok {
			geo.usState = true
			if statesAndProvinces {
				_, geo.province = provinceIndex.exact[v]
			}
			return ps
		}
		if _, ok := provinceIndex.exact[v]; ok {
			geo.province = true
			return ps
		}
	}
	if v == ClearToken {
		switch {
		case c.required[i]:
			ps = append(ps, problem(f.Code, v, ErrRequired, Error, "%s is required and cannot be cleared", f.Name))
		case create:
			values[i] = ""
		}
		return ps
	}
	norm, vps := checkField(f, v, &c.s, c.layout)
	if vps != nil {
		ps = append(ps, vps...)
	}
	values[i] = norm
	switch sl.kind {
	case KindCountry:
		e, ok := LookupCountry(norm)
		geo.code, *countryKnown = e.Code, ok
	case KindState:
		_, geo.usState = LookupUSState(norm)
		_, geo.province = LookupProvince(norm)
	}
	return ps
}

// passesCommon reports whether v, not blank, passes the checks checkField
// makes of a field of any kind: its length, its restricted characters,
// the functional ones where they draw a warning, the first characters
// LDAP refuses.
func (c *UserChecker) passesCommon(f *Field, v string) bool {
	switch {
	case f.MaxLen > 0 && len(v) > f.MaxLen, f.restrict != nil && f.restrict.Any(v):
		return false
	case f.Functional && !c.s.ILMSConnect && functionalChars.Any(v):
		return false
	case c.s.LDAP && f.LDAPFirst != "":
		r, _ := utf8.DecodeRuneInString(v)
		return !strings.ContainsRune(f.LDAPFirst, r)
	}
	return true
}

func clearless(v string) string {
	if v == ClearToken {
		return ""
	}
	return v
}
