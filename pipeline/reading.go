package pipeline

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Reading is how a person asks for a file to be read and checked, in
// words, as the command line's flags and a web page's form give them:
// Options checks them and reads the mapping and settings files they name.
type Reading struct {
	Kind          string // users, enrollments or transcripts; "" inferred
	Mapping       string // a mapping file
	Settings      string // an organization settings file
	Sheet         string
	Encoding      string
	Delimiter     string // one character, or \t or tab
	DateFormat    string // dd/MM/yyyy and the like
	HeaderRow     int
	IgnoreUnknown bool
}

// AddFlags names the options of reading; a kind, when asked for, too.
func (r *Reading) AddFlags(f *pflag.FlagSet, withKind bool) {
	if withKind {
		f.StringVar(&r.Kind, "kind", "", "users, enrollments or transcripts (default: inferred from the headers)")
	}
	f.StringVar(&r.Mapping, "mapping", "", "mapping file: column renames, value maps, defaults, constants (see templates/mapping.example.json)")
	f.StringVar(&r.Settings, "settings", "", "organization settings file: required fields, password lengths, LDAP, iLMS Connect, languages (see templates/settings.example.json)")
	f.StringVar(&r.Sheet, "sheet", "", "XLSX: the sheet to read (default: the first not hidden)")
	f.StringVar(&r.Encoding, "encoding", "", "CSV: windows-1252 for files saved by Excel on Windows (default: UTF-8, or UTF-16 with a BOM)")
	f.StringVar(&r.Delimiter, "delimiter", "", `CSV: the delimiter, such as ";" or "\t" (default: sniffed among , ; tab |)`)
	f.StringVar(&r.DateFormat, "date-format", "", "how dates are written, such as dd/MM/yyyy or MM/dd/yyyy (default: ISO dates, Excel dates, and day/month forms that read one way only)")
	f.IntVar(&r.HeaderRow, "header-row", 0, "the row that holds the header, when rows such as a title are above it (default: the first row with a value)")
	f.BoolVar(&r.IgnoreUnknown, "ignore-unknown", false, "leave out columns that map to no field instead of refusing the file")
}

// Options checks the reading and says how to open and check the file; a
// kind, when given, overrides the reading's.
func (r Reading) Options(kind *mapping.Kind) (InputOptions, CheckOptions, error) {
	in := InputOptions{Kind: kind, IgnoreUnknown: r.IgnoreUnknown,
		Read: ReadOptions{Sheet: r.Sheet, Encoding: r.Encoding, HeaderRow: r.HeaderRow}}
	check := CheckOptions{Settings: validate.DefaultSettings(), DateLayout: r.DateFormat}
	bad := func(option, value, detail string) error {
		return &validate.OptionError{Option: option, Value: value, Rule: validate.ErrInvalid, Detail: detail}
	}
	if r.Delimiter != "" {
		d := strings.NewReplacer(`\t`, "\t", "tab", "\t").Replace(r.Delimiter)
		c, n := utf8.DecodeRuneInString(d)
		if n != len(d) {
			return in, check, bad(validate.OptionDelimiter, r.Delimiter, `the delimiter is one character, such as ";" or "\t"`)
		}
		in.Read.Delimiter = c
	}
	if r.DateFormat != "" {
		if err := validate.CheckDateLayout(r.DateFormat); err != nil {
			return in, check, bad(validate.OptionDateFormat, "", err.Error())
		}
	}
	if r.HeaderRow < 0 {
		return in, check, bad(validate.OptionHeaderRow, fmt.Sprint(r.HeaderRow), "the header's row number, 1 for the first row")
	}
	if kind == nil && r.Kind != "" {
		k, err := mapping.ParseKind(r.Kind)
		if err != nil {
			return in, check, bad(validate.OptionKind, r.Kind, "give users, enrollments or transcripts")
		}
		in.Kind = &k
	}
	var err error
	if r.Settings != "" {
		if check.Settings, err = validate.LoadSettings(r.Settings); err != nil {
			return in, check, &optionFile{err}
		}
	}
	if r.Mapping != "" {
		if in.Spec, err = mapping.LoadSpec(r.Mapping); err != nil {
			return in, check, &optionFile{err}
		}
	}
	return in, check, nil
}

// optionFile is a mapping or settings file that cannot be read; its error
// names the file.
type optionFile struct{ err error }

func (e *optionFile) Error() string { return e.err.Error() }
func (e *optionFile) Unwrap() error { return e.err }

// Input marks the error as input that cannot be read: nothing was sent.
func (e *optionFile) Input() bool { return true }
