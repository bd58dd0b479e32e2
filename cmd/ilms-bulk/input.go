package main

import (
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// inputOptions are the options of every command that reads a file.
type inputOptions struct{ pipeline.Reading }

func (o *inputOptions) addFlags(f *pflag.FlagSet, withKind bool) {
	if withKind {
		f.StringVar(&o.Kind, "kind", "", "users, enrollments or transcripts (default: inferred from the headers)")
	}
	f.StringVar(&o.Mapping, "mapping", "", "mapping file: column renames, value maps, defaults, constants (see templates/mapping.example.json)")
	f.StringVar(&o.Settings, "settings", "", "organization settings file: required fields, password lengths, LDAP, iLMS Connect, languages (see templates/settings.example.json)")
	f.StringVar(&o.Sheet, "sheet", "", "XLSX: the sheet to read (default: the first)")
	f.StringVar(&o.Encoding, "encoding", "", "CSV: windows-1252 for files saved by Excel on Windows (default: UTF-8, or UTF-16 with a BOM)")
	f.StringVar(&o.Delimiter, "delimiter", "", `CSV: the delimiter, such as ";" or "\t" (default: sniffed among , ; tab |)`)
	f.StringVar(&o.DateFormat, "date-format", "", "how dates are written, such as dd/MM/yyyy or MM/dd/yyyy (default: ISO dates, Excel dates, and day/month forms that read one way only)")
	f.IntVar(&o.HeaderRow, "header-row", 0, "the row that holds the header, when rows such as a title are above it (default: the first row with a value)")
	f.BoolVar(&o.IgnoreUnknown, "ignore-unknown", false, "leave out columns that map to no field instead of refusing the file")
}

// options checks the reading options and reads their files; every
// failure means nothing has been sent (exit 2).
func (o *inputOptions) options(kind *mapping.Kind) (pipeline.InputOptions, pipeline.CheckOptions, error) {
	in, check, err := o.Reading.Options(kind)
	check.Control = flagOf
	return in, check, err
}

// flagOf names a remedy's option as the flag that sets it.
func flagOf(h pipeline.Hint) string {
	if h.Value == "" {
		return "--" + string(h.Option)
	}
	return "--" + string(h.Option) + " " + shellQuote(h.Value)
}

// renderHint says a remedy the way a command-line user applies it.
func renderHint(h pipeline.Hint) string { return h.Say(flagOf(h)) }

// withHints adds to a message the remedies its error names.
func withHints(msg string, err error) string {
	for _, h := range pipeline.HintsOf(err) {
		msg += "\n  " + renderHint(h)
	}
	return msg
}
