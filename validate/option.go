package validate

import "fmt"

// OptionError is a choice of a whole run, not a cell, that cannot be
// taken: which option, the value given, the rule it breaks, why in words
// that name the values accepted, and a suggestion when one is close. The
// library names options in its own words (OptionMatch, OptionSearch); the
// command line renders them as its flags, a web page as its controls.
type OptionError struct {
	Option     string
	Value      string
	Rule       error // one of the Err sentinels
	Detail     string
	Suggestion string
	Number     bool // Value is a number, written as it is
}

// The options the library checks, by the names OptionError carries.
const (
	OptionMode   = "mode"   // which rows may create or update users
	OptionMatch  = "match"  // the field users are matched on
	OptionSearch = "search" // a profile field a user search names
	// How a file is read.
	OptionKind       = "kind"
	OptionDelimiter  = "delimiter"
	OptionDateFormat = "date-format"
	OptionHeaderRow  = "header-row"
)

func (e *OptionError) Error() string { return e.Text(e.Option) }

// Usage marks the error as the caller's mistake: nothing was sent.
func (e *OptionError) Usage() bool { return true }

// Text writes the error with the option named as label: `label "value":
// detail; did you mean suggestion?` (a Number bare).
func (e *OptionError) Text(label string) string {
	s := label
	if e.Number {
		s += " " + e.Value
	} else if e.Value != "" {
		s += fmt.Sprintf(" %q", e.Value)
	}
	s += ": " + e.Detail
	if e.Suggestion != "" {
		s += fmt.Sprintf("; did you mean %s?", e.Suggestion)
	}
	return s
}

func (e *OptionError) Unwrap() error { return e.Rule }
