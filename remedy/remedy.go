// Package remedy owns the words for what a person can set to fix what a
// message reports — "read it as Windows-1252", "the header is on row 2",
// "the plan is older than the max-age allows" — as typed hints, so each
// front door says them its own way: the command line as a flag
// (--encoding windows-1252), a web page as the control it shows. The
// library's messages carry a Hint wherever they would name an option; none
// names a flag.
package remedy

import (
	"errors"
	"fmt"
	"strings"
)

// Option names an option of a run a hint suggests. Its text is the
// option's name in the library's own words; the command line's flag of
// the same name sets it.
type Option string

// The options a hint can name.
const (
	// How a file is read.
	Encoding      Option = "encoding"
	Sheet         Option = "sheet"
	HeaderRow     Option = "header-row"
	Delimiter     Option = "delimiter"
	DateFormat    Option = "date-format"
	IgnoreUnknown Option = "ignore-unknown"
	// What an import may do.
	Mode              Option = "mode"
	IdentityChange    Option = "allow-identity-change"
	CreateHierarchy   Option = "create-hierarchy"
	EnrollMissing     Option = "enroll-missing"
	DeactivateMissing Option = "deactivate-missing"
	Scope             Option = "scope"
	Rate              Option = "rate"
	// The safety limits.
	MaxCreates       Option = "max-creates"
	MaxUpdates       Option = "max-updates"
	MaxDeactivations Option = "max-deactivations"
	MaxCleared       Option = "max-cleared"
	// Which run it is.
	DryRun     Option = "dry-run"
	PlanOut    Option = "plan-out"
	Resume     Option = "resume"
	OnlyFailed Option = "only-failed"
	MaxAge     Option = "max-age"
	Replan     Option = "replan"
	// What an export compares with.
	Compare Option = "compare"
)

// All are the options a hint can name, for a front door to check it has a
// control for each.
var All = []Option{Encoding, Sheet, HeaderRow, Delimiter, DateFormat, IgnoreUnknown,
	Mode, IdentityChange, CreateHierarchy, EnrollMissing, DeactivateMissing, Scope, Rate,
	MaxCreates, MaxUpdates, MaxDeactivations, MaxCleared,
	DryRun, PlanOut, Resume, OnlyFailed, MaxAge, Replan, Compare}

// Hint is a remedy, or the option a message is about: Option set to
// Value ("" when the option is a switch, or its value is not the point).
type Hint struct {
	Option Option
	Value  string
}

// Of is the hint naming option o set to value (none, or one).
func Of(o Option, value ...string) Hint {
	h := Hint{Option: o}
	if len(value) > 0 {
		h.Value = value[0]
	}
	return h
}

// Control names the option and value as a person who has not set them
// would read them, with no front door's words: "the header-row option set
// to 2". It is the Words a message uses when its front door gives none.
func (h Hint) Control() string {
	if h.Value == "" {
		return fmt.Sprintf("the %s option", h.Option)
	}
	return fmt.Sprintf("the %s option set to %s", h.Option, h.Value)
}

// String is Control: a hint formatted into a message with %s or %v reads
// in the neutral words.
func (h Hint) String() string { return h.Control() }

// Say words the hint as a remedy for a person, with control how they
// apply it: a flag ("--header-row 2") or a web page's control.
func (h Hint) Say(control string) string {
	switch h.Option {
	case HeaderRow:
		return fmt.Sprintf("row %s looks like the header; use %s", h.Value, control)
	case Sheet:
		return fmt.Sprintf("sheet %q has a header row; use %s", h.Value, control)
	case Encoding:
		return "read it with " + control
	}
	return "use " + control
}

// Words names an option the way a front door sets it. Nil is Hint.Control.
type Words func(Hint) string

// Of names h in w's words.
func (w Words) Of(h Hint) string {
	if w == nil {
		return h.Control()
	}
	return w(h)
}

// Say words h as a remedy in w's words.
func (w Words) Say(h Hint) string { return h.Say(w.Of(h)) }

// Text is a message that names options: a format whose Hint arguments a
// front door words as its own when it shows the message.
type Text struct {
	format string
	args   []any
}

// Sprintf makes a Text; the Hints among args are the options it names.
func Sprintf(format string, args ...any) Text { return Text{format, args} }

// In writes the text with its options in w's words.
func (t Text) In(w Words) string {
	args := t.args
	if w != nil {
		args = make([]any, len(t.args))
		for i, a := range t.args {
			if h, ok := a.(Hint); ok {
				a = w(h)
			}
			args[i] = a
		}
	}
	return fmt.Sprintf(t.format, args...)
}

// String writes the text in the neutral words.
func (t Text) String() string { return t.In(nil) }

// IsZero reports whether t is no text at all.
func (t Text) IsZero() bool { return t.format == "" && t.args == nil }

// Worded is an error that can write its message with the options it names
// in a front door's words; Error is In(nil).
type Worded interface {
	error
	In(w Words) string
}

// Error is an error whose message names options.
type Error struct{ Text Text }

// Errorf returns an Error; the Hints among args are the options it names.
func Errorf(format string, args ...any) *Error { return &Error{Sprintf(format, args...)} }

func (e *Error) Error() string { return e.Text.String() }

// In writes the error's message with its options in w's words.
func (e *Error) In(w Words) string { return e.Text.In(w) }

// Render writes err's message with the options that the Worded errors in
// its tree name in w's words, wherever they are (a Worded wrapped with
// more words keeps them).
func Render(err error, w Words) string {
	msg := err.Error()
	if w == nil {
		return msg
	}
	for _, e := range worded(err, nil) {
		msg = strings.Replace(msg, e.Error(), e.In(w), 1)
	}
	return msg
}

// worded collects the outermost Worded errors in err's tree.
func worded(err error, into []Worded) []Worded {
	switch u := err.(type) {
	case nil:
		return into
	case Worded:
		return append(into, u)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			into = worded(e, into)
		}
		return into
	}
	return worded(errors.Unwrap(err), into)
}
