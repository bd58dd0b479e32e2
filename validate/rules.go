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
	f := FieldByCode(code)
	if f == nil {
		return value, Problems{problem(code, value, ErrUnknownField, Error, "is not a user profile field code (F001–F034)")}
	}
	return checkField(f, value, &s, "")
}

// checkField is CheckValue for a known field, with a date layout for F005
// (--date-format).
func checkField(f *Field, value string, s *Settings, layout string) (string, Problems) {
	code := f.Code
	if value == "" {
		return value, nil
	}
	// Most values of plain text fields are clean: one pass over the bytes
	// for every character that could matter, and done.
	if f.Kind == KindText && len(value) <= f.MaxLen && !f.watch.Any(value) {
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
		ps = append(ps, problem(code, value, ErrTooLong, Error, "is %s characters; %s allows at most %d", thousands(n), f.Name, f.MaxLen))
	}
	if set := f.restrict; set != nil && set.Any(value) {
		bad := charsIn(value, f.Restrict)
		shown := value
		if f.Kind == KindPassword {
			shown = ""
		}
		ps = append(ps, problem(code, shown, ErrRestricted, Error, "contains %s, which %s does not allow (restricted: %s)", quoteChars(bad), f.Name, spaced(f.Restrict)))
	}
	if f.Functional && !s.ILMSConnect && functionalChars.Any(value) {
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
		if layout == "" {
			if iso, ok := fastISODate(value); ok {
				out = iso
				break
			}
		}
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
			p.Suggestion = languageCandidates.Suggest(value)
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
		} else if e, ok := countryAlias(value); ok {
			out = e.Name
			ps = append(ps, problem(code, value, ErrAlias, Warning, "is a common name of %q, which is how the Country table writes it and how it is sent", e.Name))
		} else {
			p := problem(code, value, ErrNotInTable, Error, "is not a country name or code of the Country table")
			if s, ok := countryNearMisses[fold(value)]; ok {
				p.Suggestion = s
			} else {
				p.Suggestion = countryIndex.cands.Suggest(value)
			}
			ps = append(ps, p)
		}
	case KindState:
		if e, ok := LookupUSState(value); ok {
			out = canonical(value, e)
		} else if e, ok := LookupProvince(value); ok {
			out = canonical(value, e)
		} else {
			p := problem(code, value, ErrNotInTable, Error, "is not a US state or Canadian province name or code")
			p.Suggestion = stateCandidates.Suggest(value)
			ps = append(ps, p)
		}
	case KindTimeZone:
		tz, err := LookupTimeZone(value)
		switch {
		case err == ErrNotInTable:
			p := problem(code, value, ErrNotInTable, Error, "is not a time zone full name of the Time Zone table")
			p.Suggestion = timeZoneCandidates.Suggest(value)
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
	if v == e.Code || v == e.Name {
		return v
	}
	if fold(v) == fold(e.Code) && fold(e.Code) != fold(e.Name) {
		return e.Code
	}
	return e.Name
}

func dateProblem(code, value string, err error) *Problem {
	rule := ErrDate
	e, ok := err.(*DateError)
	if ok && e.Ambiguous {
		rule = ErrAmbiguousDate
	}
	p := problem(code, value, rule, Error, "%v", err)
	if ok {
		p.Said = e.Said
	}
	return p
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
	var geo geography
	if country != "" {
		e, known := LookupCountry(country)
		if !known {
			return nil // the country itself is wrong; that is reported on F011
		}
		geo.code = e.Code
	}
	if state != "" {
		_, geo.usState = LookupUSState(state)
		_, geo.province = LookupProvince(state)
	}
	return geo.check(country, state, region)
}

// geography is what the lookups of one row found: the country's code, and
// which table the state belongs to.
type geography struct {
	code              string
	usState, province bool
}

func (g geography) check(country, state, region string) Problems {
	var ps Problems
	if state != "" {
		switch g.code {
		case "US":
			if !g.usState {
				p := problem("F012", state, ErrStateCountry, Error, "is not a US state, and the country is %s", country)
				p.Suggestion = usStateIndex.cands.Suggest(state)
				ps = append(ps, p)
			}
		case "CA":
			if !g.province {
				p := problem("F012", state, ErrStateCountry, Error, "is not a Canadian province, and the country is %s", country)
				p.Suggestion = provinceIndex.cands.Suggest(state)
				ps = append(ps, p)
			}
		case "":
		default:
			if g.usState || g.province {
				ps = append(ps, problem("F012", state, ErrStateCountry, Warning, "State (US or Canada) is for the United States and Canada, and the country is %s; use State/Province/Region (F013)", country))
			}
		}
	}
	if region != "" && (g.code == "US" || g.code == "CA") {
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
		ps = append(ps, problem("name", name, ErrTooLong, Error, "is %s characters; at most %d", thousands(n), HierarchyName.MaxLen))
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

// checkEmail is a fast structural check in one pass: one @, a non-empty
// local part of RFC 5322 atext and single dots, a domain of dot-separated
// labels of letters, digits and hyphens ending in a label of at least two
// letters. Non-ASCII letters are allowed on both sides.
func checkEmail(v string) error {
	at := strings.IndexByte(v, '@')
	switch {
	case at < 0:
		return fmt.Errorf("no @")
	case at == 0:
		return fmt.Errorf("nothing before the @")
	case at == len(v)-1:
		return fmt.Errorf("nothing after the @")
	}
	prev := byte('.')
	for i := 0; i < at; i++ {
		c := v[i]
		if c == '.' {
			if prev == '.' {
				return fmt.Errorf("the part before the @ has a misplaced dot")
			}
		} else if c < 128 && !atext[c] {
			return fmt.Errorf("the part before the @ has %q", string(c))
		}
		prev = c
	}
	if prev == '.' {
		return fmt.Errorf("the part before the @ has a misplaced dot")
	}
	domain := v[at+1:]
	labelStart, dots := 0, 0
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) {
			c := domain[i]
			if c != '.' {
				if !hostChar[c] {
					if c == '@' {
						return fmt.Errorf("more than one @")
					}
					return fmt.Errorf("the domain %s has %q", Quote(domain), string(c))
				}
				continue
			}
			dots++
		}
		label := domain[labelStart:i]
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("the domain %s is malformed", Quote(domain))
		}
		if i == len(domain) && len(label) < 2 {
			return fmt.Errorf("the domain %s ends in a one-letter label", Quote(domain))
		}
		labelStart = i + 1
	}
	if dots == 0 {
		return fmt.Errorf("the domain %s has no dot", Quote(domain))
	}
	return nil
}

// hostChar are the bytes a domain label may hold: letters, digits,
// hyphens, and any byte of a non-ASCII letter.
var hostChar = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
	}
	return
}()
