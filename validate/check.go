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
}

// NewUserChecker returns a checker for an organization's settings.
func NewUserChecker(s Settings) *UserChecker {
	c := &UserChecker{s: s, required: make([]bool, len(Fields))}
	for i, f := range Fields {
		c.required[i] = s.IsRequired(f.Code)
	}
	return c
}

// SetDateLayout sets the --date-format for F005.
func (c *UserChecker) SetDateLayout(layout string) { c.layout = layout }

// Settings returns the settings the checker applies.
func (c *UserChecker) Settings() Settings { return c.s }

// Check validates one row and rewrites its values in the form to send (see
// CheckValue). given[i] tells whether the file gives field i at all (a
// column, a default or a constant). For a new user (create) every required
// field needs a value; for an update a blank value changes nothing, and
// ClearToken clears a field unless it is required.
func (c *UserChecker) Check(values []string, given []bool, create bool) Problems {
	var ps Problems
	for i := range Fields {
		f := &Fields[i]
		v := values[i]
		if !given[i] {
			if create && c.required[i] {
				ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required for a new user", f.Name))
			}
			continue
		}
		if v != "" && (v[0] == ' ' || v[len(v)-1] == ' ' || v[0] == '\t') {
			v = strings.TrimSpace(v)
			values[i] = v
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
		if v == "" {
			if create && c.required[i] {
				ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required for a new user", f.Name))
			}
			continue
		}
		norm, vps := checkValue(f.Code, v, c.s, c.layout)
		if vps != nil {
			ps = append(ps, vps...)
		}
		values[i] = norm
	}
	if given[idxState] && values[idxState] != "" || given[idxRegion] && values[idxRegion] != "" {
		country := ""
		if given[idxCountry] {
			country = values[idxCountry]
		}
		if country != ClearToken {
			ps = append(ps, checkStateCountry(country, clearless(values[idxState]), clearless(values[idxRegion]))...)
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
