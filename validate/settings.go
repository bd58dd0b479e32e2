package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/internal/files"
)

// Settings are the organization's iLMS settings the document defers to:
// which fields are required beyond the five always required, password
// lengths, LDAP, iLMS Connect, and the languages enabled under Settings >
// Languages. The zero value is not useful; start from DefaultSettings.
type Settings struct {
	// RequiredFields are field codes required in addition to F001, F003,
	// F019, F020 and F021.
	RequiredFields []string `json:"required_fields"`
	// PasswordMinLength and PasswordMaxLength bound F016 and new passwords.
	PasswordMinLength int `json:"password_min_length"`
	PasswordMaxLength int `json:"password_max_length"`
	// LDAP turns on the first-character rule of F015 and F034.
	LDAP bool `json:"ldap"`
	// ILMSConnect silences the & and # warnings.
	ILMSConnect bool `json:"ilms_connect"`
	// Languages are the language names enabled for the organization; empty
	// means all 22.
	Languages []string `json:"languages"`
}

// DefaultSettings are iLMS's out-of-the-box settings: only the five fields
// the document always requires, passwords of 6 to 20 characters, no LDAP, no
// iLMS Connect, every language.
func DefaultSettings() Settings {
	return Settings{PasswordMinLength: 6, PasswordMaxLength: 20}
}

// LoadSettings reads a settings file (JSON, the keys of Settings); missing
// keys keep their defaults. Unknown keys are an error, so a misspelt
// setting is not silently ignored.
func LoadSettings(path string) (Settings, error) {
	s := DefaultSettings()
	if err := files.ReadJSON(path, &s); err != nil {
		return s, fmt.Errorf("settings file: %w", err)
	}
	return s, s.Check()
}

// Check reports settings that cannot be right.
func (s Settings) Check() error {
	for _, code := range s.RequiredFields {
		f := FieldByCode(strings.ToUpper(code))
		if f == nil {
			return fmt.Errorf("settings: required_fields: %q is not a field code (F001–F034)", code)
		}
		if f.Kind == KindReadOnly || f.Kind == KindPassword {
			return fmt.Errorf("settings: required_fields: %s (%s) cannot be required", f.Code, f.Name)
		}
	}
	if s.PasswordMinLength < 0 || s.PasswordMaxLength < 0 || (s.PasswordMaxLength > 0 && s.PasswordMinLength > s.PasswordMaxLength) {
		return fmt.Errorf("settings: password lengths %d–%d are not a range", s.PasswordMinLength, s.PasswordMaxLength)
	}
	for _, name := range s.Languages {
		if _, ok := languageByName[fold(name)]; !ok {
			return fmt.Errorf("settings: languages: %q is not one of the 22 iLMS languages%s", name, hint(Suggest(name, languageNames())))
		}
	}
	return nil
}

// IsRequired reports whether field code must have a value.
func (s Settings) IsRequired(code string) bool {
	if f := FieldByCode(code); f != nil && f.Required {
		return true
	}
	return slices.ContainsFunc(s.RequiredFields, func(c string) bool { return strings.EqualFold(c, code) })
}

// LanguageEnabled reports whether a language (by its table name) is enabled.
func (s Settings) LanguageEnabled(name string) bool {
	if len(s.Languages) == 0 {
		return true
	}
	return slices.ContainsFunc(s.Languages, func(l string) bool { return strings.EqualFold(l, name) })
}
