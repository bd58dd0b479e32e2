// Package validate holds every rule of the iLMS API document in one place:
// the user profile fields with their required, length and character rules,
// the reference tables (time zones, countries, US states, Canadian
// provinces, languages), the transcript and enrollment rules, and
// suggestions for near misses. It never calls the network; the sandbox
// answers its 400s with these same rules.
package validate

import "github.com/ilms-bulk/ilms-bulk/internal/byteset"

// Kind says how a field's value is checked beyond length and characters.
type Kind int

// Field kinds.
const (
	KindText     Kind = iota
	KindDate          // F005 Hire Date
	KindEmail         // F015, F034
	KindPassword      // F016: length from the org settings, never written back out
	KindReadOnly      // F031, F032: refused on input
	KindLanguage      // F006: a language name (or code) enabled for the org
	KindCountry       // F011: a country name or code
	KindState         // F012: a US state or Canadian province, name or code
	KindTimeZone      // F023: a time zone full name
)

// The character sets the document restricts. Most text fields refuse
// RestrictedText; language and the hierarchy fields refuse RestrictedName.
const (
	RestrictedText = `<>"%;+`
	RestrictedName = `%\+;"<>:?`
	// FunctionalChars are "restricted by functionality and not error if
	// using iLMS connect": a warning, not an error.
	FunctionalChars = `&#`
)

// The LDAP first-character sets, as the document prints them (a backslash
// before the dollar sign included). F015's ends in ` './_`, F034's in
// ` '!:/_`.
const (
	LDAPFirstEmail      = "`~!@#\\$%&*()=}{ './_"
	LDAPFirstSupervisor = "`~!@#\\$%&*()=}{ '!:/_"
)

// Field is a user profile field as the document defines it.
type Field struct {
	Code     string // F001 …
	Name     string // the document's name: "First Name"
	Kind     Kind
	MaxLen   int    // in characters; 0 where the settings decide (F016) or none is given
	Restrict string // characters refused anywhere in the value
	// Functional reports whether & and # draw a warning.
	Functional bool
	// LDAPFirst are the characters a value may not start with when the org
	// uses LDAP.
	LDAPFirst string
	// Required is true for the fields always required (F001, F003, F019,
	// F020, F021); others are required when the org settings say so.
	Required bool

	restrict *byteset.Set // Restrict as a set
	watch    *byteset.Set // every character that could draw a problem
}

// Fields lists F001–F034 in the document's order (there is no F028–F030).
var Fields = []Field{
	{Code: "F001", Name: "First Name", MaxLen: 200, Restrict: RestrictedText, Functional: true, Required: true},
	{Code: "F002", Name: "Middle Name", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F003", Name: "Last Name", MaxLen: 200, Restrict: RestrictedText, Functional: true, Required: true},
	{Code: "F004", Name: "Employee ID", MaxLen: 100, Restrict: RestrictedText, Functional: true},
	{Code: "F005", Name: "Hire Date", Kind: KindDate},
	{Code: "F006", Name: "User Language", Kind: KindLanguage, MaxLen: 100, Restrict: RestrictedName},
	{Code: "F007", Name: "Job Title", MaxLen: 50, Restrict: RestrictedText},
	{Code: "F008", Name: "Address 1", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F009", Name: "Address 2", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F010", Name: "City", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F011", Name: "Country", Kind: KindCountry, MaxLen: 100, Restrict: RestrictedText},
	{Code: "F012", Name: "State (US or Canada)", Kind: KindState, MaxLen: 100, Restrict: RestrictedText},
	{Code: "F013", Name: "State/Province/Region (Non US or Candadian)", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F014", Name: "Zip Code/Postal Code", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F015", Name: "Email ID", Kind: KindEmail, MaxLen: 200, Restrict: RestrictedText, LDAPFirst: LDAPFirstEmail},
	{Code: "F016", Name: "Password", Kind: KindPassword, Restrict: RestrictedText},
	{Code: "F017", Name: "Phone", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F018", Name: "Fax", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F019", Name: "Region", MaxLen: 100, Restrict: RestrictedName, Functional: true, Required: true},
	{Code: "F020", Name: "Division", MaxLen: 100, Restrict: RestrictedName, Functional: true, Required: true},
	{Code: "F021", Name: "Department", MaxLen: 100, Restrict: RestrictedName, Functional: true, Required: true},
	{Code: "F022", Name: "Company/Employer", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F023", Name: "Time Zone", Kind: KindTimeZone, MaxLen: 100},
	{Code: "F024", Name: "Custom Field 1", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F025", Name: "Custom Field 2", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F026", Name: "Custom Field 3", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F027", Name: "Custom Field 4", MaxLen: 100, Restrict: RestrictedText},
	{Code: "F031", Name: "Registration Type", Kind: KindReadOnly},
	{Code: "F032", Name: "Registration Date", Kind: KindReadOnly},
	{Code: "F033", Name: "Supervisor Name", MaxLen: 500, Restrict: RestrictedText},
	{Code: "F034", Name: "Supervisor Email", Kind: KindEmail, MaxLen: 500, Restrict: RestrictedText, LDAPFirst: LDAPFirstSupervisor},
}

var fieldByCode = func() map[string]*Field {
	m := make(map[string]*Field, len(Fields))
	for i := range Fields {
		f := &Fields[i]
		f.restrict = charsetOf(f.Restrict)
		f.watch = byteset.New(f.Restrict + FunctionalChars + f.LDAPFirst)
		m[f.Code] = f
	}
	return m
}()

// FieldByCode returns the field with the code, or nil.
func FieldByCode(code string) *Field { return fieldByCode[code] }

// HierarchyName is the rule for the name of a region, division or
// department (Create/Update Region, Division, Department).
var HierarchyName = Field{Code: "name", Name: "name", MaxLen: 100, Restrict: RestrictedName, Functional: true, Required: true}
