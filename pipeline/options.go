package pipeline

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// The checks of a run's options that need no organization: a caller runs
// them before its first request, so that a mistake on the command line (or
// in a web form) sends nothing. Each error is a *validate.OptionError.

// ParseMode reads upsert, create-only or update-only.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "upsert":
		return Upsert, nil
	case "create-only", "create":
		return CreateOnly, nil
	case "update-only", "update":
		return UpdateOnly, nil
	}
	return 0, &validate.OptionError{Option: validate.OptionMode, Value: s, Rule: validate.ErrInvalid,
		Detail: "give upsert (create the new users, update the known), create-only or update-only"}
}

// Set reads a mode, as a flag's value does.
func (m *Mode) Set(s string) error {
	v, err := ParseMode(s)
	if err != nil {
		return errors.New(err.(*validate.OptionError).Detail)
	}
	*m = v
	return nil
}

// String says the mode as ParseMode reads it.
func (m *Mode) String() string {
	return [...]string{"upsert", "create-only", "update-only"}[*m]
}

// Type names what a mode flag takes.
func (m *Mode) Type() string { return "mode" }

// matchFields are the fields users may be matched on.
var matchFields = []string{"F004", "F015"}

// MatchField returns the field the users of a file are matched on: match
// when given (F004 or F015, or the field's name), else F004 when the file
// has an Employee ID column, else F015. The file must have that column,
// or an ID column that names each user.
func MatchField(m *mapping.Mapper, match string) (string, error) {
	code := ""
	if strings.TrimSpace(match) == "" {
		code = "F015"
		if m.Has("F004") {
			code = "F004"
		}
	} else if i := mapping.Resolve(mapping.Users, match); i >= 0 {
		code = mapping.FieldsOf(mapping.Users)[i].ID
	}
	accepted := fmt.Sprintf("give %s (%s) or %s (%s)", matchFields[0], validate.FieldByCode(matchFields[0]).Name, matchFields[1], validate.FieldByCode(matchFields[1]).Name)
	switch {
	case code != matchFields[0] && code != matchFields[1]:
		return "", &validate.OptionError{Option: validate.OptionMatch, Value: match, Rule: validate.ErrInvalid,
			Detail: "users are matched on their employee ID or their email; " + accepted}
	case !m.Has(code) && !m.Has(mapping.UserID):
		return "", &validate.OptionError{Option: validate.OptionMatch, Value: code, Rule: validate.ErrRequired,
			Detail: fmt.Sprintf("the file has no %s column to match users on; add one, or %s", validate.FieldByCode(code).Name, accepted)}
	}
	return code, nil
}
