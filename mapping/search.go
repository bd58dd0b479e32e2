package mapping

import (
	"fmt"
	"regexp"
	"time"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// codeShaped is a value written as a field code, F followed by digits: a
// code the document does not have gets no suggestion of a neighbouring
// one, which would be a guess.
var codeShaped = regexp.MustCompile(`^[Ff]\d+$`)

// SearchField returns the code of the user profile field a search names:
// by code, by the document's name or by an alias (F021, Department, Dept).
// Only the document's profile fields can be searched (Get All Users
// "accepts search on any user profile field"), and never the password,
// which the API does not return. The error is a *validate.OptionError of
// validate.OptionSearch.
func SearchField(name string) (string, error) {
	fail := func(detail, suggestion string) (string, error) {
		return "", &validate.OptionError{Option: validate.OptionSearch, Value: name, Rule: validate.ErrUnknownField, Detail: detail, Suggestion: suggestion}
	}
	i := Resolve(Users, name)
	if i < 0 {
		suggestion := ""
		if !codeShaped.MatchString(name) {
			suggestion = Suggest(Users, name)
		}
		return fail("not a profile field of the API document; give its code ("+profileCodes()+") or the document's name, such as F021 or Department", suggestion)
	}
	code := userFields[i].ID
	switch f := validate.FieldByCode(code); {
	case f == nil:
		return fail(fmt.Sprintf("%s is not a profile field, so users cannot be searched by it; give a code %s or the document's name", userFields[i].Name, profileCodes()), "")
	case f.Kind == validate.KindPassword:
		return fail("the password (F016) cannot be searched: the API never returns it", "")
	}
	return code, nil
}

// dateFields are the profile fields of type Date or DateTime, searched
// only by a range (Get All Users: "For datetime type of fields, use the
// following format: Date range").
var dateFields = map[string]bool{"F005": true, "F032": true}

// dateRange is the document's range: (From:…To:…), (From:…) or (To:…).
var dateRange = regexp.MustCompile(`^\((?:From:([^()]*?))?(?:To:([^()]*))?\)$`)

// SearchTerm checks one term of a user search, FIELD=VALUE in the API's
// syntax, and returns the field's code: the field as SearchField reads
// it, and for a date field a value that is the document's date range.
func SearchTerm(field, value string) (string, error) {
	code, err := SearchField(field)
	if err != nil || !dateFields[code] {
		return code, err
	}
	m := dateRange.FindStringSubmatch(value)
	ok := m != nil && (m[1] != "" || m[2] != "")
	for i := 1; ok && i < len(m); i++ {
		if _, perr := time.Parse("2006-01-02T15:04:05", m[i]); m[i] != "" && perr != nil {
			ok = false
		}
	}
	if !ok {
		return "", &validate.OptionError{Option: validate.OptionSearch, Value: field + "=" + value, Rule: validate.ErrDate,
			Detail: fmt.Sprintf("%s (%s) is a date, searched by a range: (From:2024-01-01T00:00:00To:2024-12-31T23:59:59), or only the From or the To part", validate.FieldByCode(code).Name, code)}
	}
	return code, nil
}

// profileCodes writes the document's profile field codes as ranges:
// "F001 … F027, F031 … F034".
func profileCodes() string {
	var s string
	fs := validate.Fields
	for i := 0; i < len(fs); {
		j := i
		for j+1 < len(fs) && codeNumber(fs[j+1].Code) == codeNumber(fs[j].Code)+1 {
			j++
		}
		if s != "" {
			s += ", "
		}
		s += fs[i].Code
		if j > i {
			s += " … " + fs[j].Code
		}
		i = j + 1
	}
	return s
}

func codeNumber(code string) int {
	n := 0
	fmt.Sscanf(code, "F%d", &n)
	return n
}
