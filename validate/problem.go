package validate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// The rules a value can break. A Problem wraps one of them, so callers
// count and test with errors.Is, never with message text.
var (
	ErrRequired      = errors.New("required")
	ErrTooLong       = errors.New("too long")
	ErrTooShort      = errors.New("too short")
	ErrRestricted    = errors.New("restricted character")
	ErrFunctional    = errors.New("character restricted by functionality")
	ErrLDAPFirst     = errors.New("LDAP first character")
	ErrReadOnly      = errors.New("read only")
	ErrEmail         = errors.New("not an email address")
	ErrDate          = errors.New("not a date")
	ErrAmbiguousDate = errors.New("ambiguous date")
	ErrNotInTable    = errors.New("not in the table")
	ErrAmbiguous     = errors.New("ambiguous code")
	ErrNotEnabled    = errors.New("language not enabled")
	ErrStateCountry  = errors.New("state does not fit the country")
	ErrInvalid       = errors.New("invalid value")
	ErrConflict      = errors.New("conflicting values")
	ErrDuplicate     = errors.New("duplicate")
	ErrUnknownField  = errors.New("unknown field")
	ErrAlias         = errors.New("common name of a table entry")
)

// Severity tells an error (the row cannot be sent) from a warning (it can,
// but the user should look).
type Severity int

// Severities.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one broken rule: which field, what value, which rule, why, and
// a suggestion when a close valid value exists.
type Problem struct {
	Field      string // field code or name ("F011", "Status")
	Value      string
	Rule       error // one of the Err sentinels
	Detail     string
	Suggestion string
	Severity   Severity
	// Said, when the detail names options, is the detail as a Text that
	// words them for a front door (the date format of an ambiguous
	// date); Detail is it in the neutral words.
	Said remedy.Text
}

func (p *Problem) Error() string { return p.Text(p.Field) }

// Text writes the problem with the field named as label: `label: "value"
// detail; did you mean "suggestion"?`, the options it names in the neutral
// words.
func (p *Problem) Text(label string) string { return p.In(label, nil) }

// Explain is the problem's detail with the options it names in w's words.
func (p *Problem) Explain(w remedy.Words) string {
	if p.Said.IsZero() || w == nil {
		return p.Detail
	}
	return p.Said.In(w)
}

// In writes the problem as Text does, the options it names in w's words.
func (p *Problem) In(label string, w remedy.Words) string {
	var b strings.Builder
	if label != "" {
		b.WriteString(label)
		b.WriteString(": ")
	}
	if p.Value != "" {
		b.WriteString(Quote(p.Value))
		b.WriteByte(' ')
	}
	b.WriteString(p.Explain(w))
	if p.Suggestion != "" {
		fmt.Fprintf(&b, "; did you mean %q?", p.Suggestion)
	}
	return b.String()
}

func (p *Problem) Unwrap() error { return p.Rule }

// MaxQuoted is how much of a value a message quotes.
const MaxQuoted = 80

// Quote quotes a value for a message, as %q does, but at most its first
// MaxQuoted characters: a 20 MB cell is named, not echoed, as
// "LLLL…" (20,971,520 characters).
func Quote(v string) string {
	n := 0
	for i := range v {
		if n == MaxQuoted {
			q := strconv.Quote(v[:i])
			return q[:len(q)-1] + `…" (` + thousands(utf8.RuneCountInString(v)) + " characters)"
		}
		n++
	}
	return strconv.Quote(v)
}

// Clip shortens a value to its first MaxQuoted characters and "…", for a
// sheet's key column: it names the row, it does not copy it.
func Clip(v string) string {
	if len(v) <= MaxQuoted {
		return v // no more characters than bytes
	}
	n := 0
	for i := range v {
		if n == MaxQuoted {
			return v[:i] + "…"
		}
		n++
	}
	return v
}

// Thousands writes n with commas between groups of three digits.
func Thousands(n int) string { return thousands(n) }

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Problems is the list of problems of one value or row.
type Problems []*Problem

// HasErrors reports whether any problem is an error, not a warning.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// HasWarnings reports whether any problem is a warning.
func (ps Problems) HasWarnings() bool {
	for _, p := range ps {
		if p.Severity == Warning {
			return true
		}
	}
	return false
}

// Errors returns the problems of error severity.
func (ps Problems) Errors() Problems { return ps.filter(Error) }

// Warnings returns the problems of warning severity.
func (ps Problems) Warnings() Problems { return ps.filter(Warning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// String joins the problems into one line, for an error column.
func (ps Problems) String() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

func hint(s string) string {
	if s == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", s)
}
