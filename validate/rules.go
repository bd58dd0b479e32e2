package validate

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

func problem(code, value string, rule error, sev Severity, format string, args ...any) *Problem {
	return &Problem{Field: code, Value: value, Rule: rule, Severity: sev, Detail: fmt.Sprintf(format, args...)}
}

// CheckValue checks one value of a user profile field against the
// document's rules for it and returns the form to send: the language name
// for a language code, the document's spelling of a time zone, country,
// state or province, a date as yyyy-MM-ddTHH:mm:ss. An empty value has no
// problem here; CheckProfile decides whether it may be empty.
func CheckValue(code, value string, s Settings) (string, Problems) {
	return checkValue(code, value, s, "")
}

// checkValue is CheckValue with a date layout for F005 (--date-format).
func checkValue(code, value string, s Settings, layout string) (string, Problems) {
	f := FieldByCode(code)
	if f == nil {
		return value, Problems{problem(code, value, ErrUnknownField, Error, "is not a user profile field code (F001–F034)")}
	}
	if value == "" {
		return value, nil
	}
	var ps Problems
	if f.Kind == KindReadOnly {
		return value, Problems{problem(code, value, ErrReadOnly, Error, "%s is read only; leave it out", f.Name)}
	}
	n := len(value)
	if n > f.MaxLen || f.Kind == KindPassword {
		n = utf8.RuneCountInString(value)
	}
	switch {
	case f.Kind == KindPassword:
		if s.PasswordMinLength > 0 && n < s.PasswordMinLength {
			ps = append(ps, &Problem{Field: code, Rule: ErrTooShort, Detail: fmt.Sprintf("password is %d characters; the organization requires at least %d", n, s.PasswordMinLength)})
		}
		if s.PasswordMaxLength > 0 && n > s.PasswordMaxLength {
			ps = append(ps, &Problem{Field: code, Rule: ErrTooLong, Detail: fmt.Sprintf("password is %d characters; the organization allows at most %d", n, s.PasswordMaxLength)})
		}
	case f.MaxLen > 0 && n > f.MaxLen:
		ps = append(ps, problem(code, value, ErrTooLong, Error, "is %d characters; %s allows at most %d", n, f.Name, f.MaxLen))
	}
	if set := charsetOf(f.Restrict); set != nil && set.any(value) {
		bad := charsIn(value, f.Restrict)
		shown := value
		if f.Kind == KindPassword {
			shown = ""
		}
		ps = append(ps, problem(code, shown, ErrRestricted, Error, "contains %s, which %s does not allow (restricted: %s)", quoteChars(bad), f.Name, spaced(f.Restrict)))
	}
	if f.Functional && !s.ILMSConnect && functionalChars.any(value) {
		if bad := charsIn(value, FunctionalChars); bad != "" {
			ps = append(ps, problem(code, value, ErrFunctional, Warning, "contains %s, which iLMS restricts by functionality in %s unless the organization uses iLMS Connect", quoteChars(bad), f.Name))
		}
	}
	if s.LDAP && f.LDAPFirst != "" {
		if r, _ := utf8.DecodeRuneInString(value); strings.ContainsRune(f.LDAPFirst, r) {
			ps = append(ps, problem(code, value, ErrLDAPFirst, Error, "starts with %q, which %s may not start with when the organization uses LDAP", string(r), f.Name))
		}
	}
	out := value
	switch f.Kind {
	case KindEmail:
		if err := checkEmail(value); err != nil {
			ps = append(ps, problem(code, value, ErrEmail, Error, "is not an email address: %v", err))
		}
	case KindDate:
		t, err := ParseDate(value, layout)
		if err != nil {
			ps = append(ps, dateProblem(code, value, err))
		} else {
			out = FormatDate(t)
		}
	case KindLanguage:
		l, err := LookupLanguage(value)
		switch {
		case err == ErrNotInTable:
			p := problem(code, value, ErrNotInTable, Error, "is not an iLMS language")
			p.Suggestion = Suggest(value, languageNames())
			ps = append(ps, p)
		case err != nil:
			ps = append(ps, problem(code, value, ErrAmbiguous, Error, "%s", strings.TrimPrefix(err.Error(), ErrAmbiguous.Error()+": ")))
		case !s.LanguageEnabled(l.Name):
			ps = append(ps, problem(code, value, ErrNotEnabled, Error, "%s is not enabled for the organization (enabled: %s)", l.Name, strings.Join(s.Languages, ", ")))
		default:
			out = l.Name
		}
	case KindCountry:
		if e, ok := LookupCountry(value); ok {
			out = canonical(value, e)
		} else {
			p := problem(code, value, ErrNotInTable, Error, "is not a country name or code of the Country table")
			p.Suggestion = Suggest(value, countryIndex.names)
			ps = append(ps, p)
		}
	case KindState:
		if e, ok := LookupUSState(value); ok {
			out = canonical(value, e)
		} else if e, ok := LookupProvince(value); ok {
			out = canonical(value, e)
		} else {
			p := problem(code, value, ErrNotInTable, Error, "is not a US state or Canadian province name or code")
			p.Suggestion = Suggest(value, append(append([]string(nil), usStateIndex.names...), provinceIndex.names...))
			ps = append(ps, p)
		}
	case KindTimeZone:
		tz, err := LookupTimeZone(value)
		switch {
		case err == ErrNotInTable:
			p := problem(code, value, ErrNotInTable, Error, "is not a time zone full name of the Time Zone table")
			p.Suggestion = Suggest(value, timeZoneNames)
			ps = append(ps, p)
		case err != nil:
			ps = append(ps, problem(code, value, ErrAmbiguous, Error, "%s", strings.TrimPrefix(err.Error(), ErrAmbiguous.Error()+": ")))
		default:
			out = tz.FullName
		}
	}
	return out, ps
}

// canonical returns the table's spelling of what the user wrote: the code
// when they wrote the code, the name otherwise.
func canonical(v string, e Entry) string {
	if fold(v) == fold(e.Code) && fold(e.Code) != fold(e.Name) {
		return e.Code
	}
	return e.Name
}

func dateProblem(code, value string, err error) *Problem {
	rule := ErrDate
	if e, ok := err.(*DateError); ok && e.Ambiguous {
		rule = ErrAmbiguousDate
	}
	return problem(code, value, rule, Error, "%v", err)
}

// CheckProfile checks the fields of a create (current == nil) or an update
// (current holds the user's profile now) and returns the values to send.
// On create every required field must have a value; on update a required
// field may be left out but not emptied. Cross-field rules: F012 must be a
// US state when the country is the United States and a Canadian province
// when it is Canada; F013 is meant for other countries.
func CheckProfile(values map[string]string, current map[string]string, s Settings) (map[string]string, Problems) {
	out := make(map[string]string, len(values))
	var ps Problems
	for _, f := range Fields {
		v, given := values[f.Code]
		if !given {
			if current == nil && s.IsRequired(f.Code) {
				ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required", f.Name))
			}
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" && s.IsRequired(f.Code) {
			if current == nil {
				ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required", f.Name))
			} else {
				ps = append(ps, problem(f.Code, "", ErrRequired, Error, "%s is required and cannot be cleared", f.Name))
			}
			continue
		}
		norm, vps := CheckValue(f.Code, v, s)
		ps = append(ps, vps...)
		out[f.Code] = norm
	}
	for code, v := range values {
		if FieldByCode(code) == nil {
			ps = append(ps, problem(code, v, ErrUnknownField, Error, "is not a user profile field code (F001–F034)"))
		}
	}
	country := strings.TrimSpace(values["F011"])
	if _, given := values["F011"]; !given {
		country = strings.TrimSpace(current["F011"])
	}
	ps = append(ps, checkStateCountry(country, strings.TrimSpace(values["F012"]), strings.TrimSpace(values["F013"]))...)
	return out, ps
}

// checkStateCountry applies the rules between F011, F012 and F013.
func checkStateCountry(country, state, region string) Problems {
	if _, known := LookupCountry(country); country != "" && !known {
		return nil // the country itself is wrong; that is reported on F011
	}
	var ps Problems
	if state != "" {
		_, isUS := LookupUSState(state)
		_, isCA := LookupProvince(state)
		switch {
		case IsUS(country) && !isUS:
			p := problem("F012", state, ErrStateCountry, Error, "is not a US state, and the country is %s", country)
			p.Suggestion = Suggest(state, usStateIndex.names)
			ps = append(ps, p)
		case IsCanada(country) && !isCA:
			p := problem("F012", state, ErrStateCountry, Error, "is not a Canadian province, and the country is %s", country)
			p.Suggestion = Suggest(state, provinceIndex.names)
			ps = append(ps, p)
		case country != "" && !IsUS(country) && !IsCanada(country) && (isUS || isCA):
			ps = append(ps, problem("F012", state, ErrStateCountry, Warning, "State (US or Canada) is for the United States and Canada, and the country is %s; use State/Province/Region (F013)", country))
		}
	}
	if region != "" && (IsUS(country) || IsCanada(country)) {
		ps = append(ps, problem("F013", region, ErrStateCountry, Warning, "State/Province/Region (F013) is for countries other than the United States and Canada; the country is %s, so use State (F012)", country))
	}
	return ps
}

// CheckHierarchyName checks the name of a region, division or department.
func CheckHierarchyName(name string, s Settings) Problems {
	name = strings.TrimSpace(name)
	if name == "" {
		return Problems{problem("name", "", ErrRequired, Error, "name is required")}
	}
	var ps Problems
	if n := utf8.RuneCountInString(name); n > HierarchyName.MaxLen {
		ps = append(ps, problem("name", name, ErrTooLong, Error, "is %d characters; at most %d", n, HierarchyName.MaxLen))
	}
	if bad := charsIn(name, HierarchyName.Restrict); bad != "" {
		ps = append(ps, problem("name", name, ErrRestricted, Error, "contains %s (restricted: %s)", quoteChars(bad), spaced(HierarchyName.Restrict)))
	}
	if !s.ILMSConnect {
		if bad := charsIn(name, FunctionalChars); bad != "" {
			ps = append(ps, problem("name", name, ErrFunctional, Warning, "contains %s, restricted by functionality unless the organization uses iLMS Connect", quoteChars(bad)))
		}
	}
	return ps
}

// charsIn returns the characters of set found in v, each once, in set order.
func charsIn(v, set string) string {
	var b strings.Builder
	for _, r := range set {
		if strings.ContainsRune(v, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func quoteChars(s string) string {
	parts := make([]string, 0, len(s))
	for _, r := range s {
		parts = append(parts, fmt.Sprintf("%q", string(r)))
	}
	return strings.Join(parts, " ")
}

func spaced(s string) string {
	parts := make([]string, 0, len(s))
	for _, r := range s {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, " ")
}

// atext are the characters an address may have before the @ (RFC 5322),
// besides dots and any non-ASCII letter.
var atext = func() (t [128]bool) {
	for _, r := range "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-" {
		t[r] = true
	}
	return
}()

// checkEmail is a fast structural check: one @, a non-empty local part
// without spaces, a domain of dot-separated labels of letters, digits and
// hyphens, ending in a label of at least two letters.
func checkEmail(v string) error {
	at := strings.LastIndexByte(v, '@')
	if at < 0 {
		return fmt.Errorf("no @")
	}
	local, domain := v[:at], v[at+1:]
	if local == "" {
		return fmt.Errorf("nothing before the @")
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return fmt.Errorf("the part before the @ has a misplaced dot")
	}
	for _, r := range local {
		if r < 128 && !atext[r] && r != '.' {
			return fmt.Errorf("the part before the @ has %q", string(r))
		}
	}
	if domain == "" {
		return fmt.Errorf("nothing after the @")
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return fmt.Errorf("the domain %q has no dot", domain)
	}
	for i, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return fmt.Errorf("the domain %q is malformed", domain)
		}
		for _, r := range l {
			ok := r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127
			if !ok {
				return fmt.Errorf("the domain %q has %q", domain, string(r))
			}
		}
		if i == len(labels)-1 && len(l) < 2 {
			return fmt.Errorf("the domain %q ends in a one-letter label", domain)
		}
	}
	return nil
}
