package main

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// inputOptions are the options of every command that reads a file.
type inputOptions struct {
	Kind          string
	Mapping       string
	Settings      string
	Sheet         string
	Encoding      string
	Delimiter     string
	DateFormat    string
	IgnoreUnknown bool
}

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
	f.BoolVar(&o.IgnoreUnknown, "ignore-unknown", false, "leave out columns that map to no field instead of refusing the file")
}

// opened is an input file ready to check.
type opened struct {
	src      pipeline.Source
	mapper   *mapping.Mapper
	settings validate.Settings
	kind     mapping.Kind
}

// open reads the options' files and the input's header; every failure is
// an input error (exit 2): nothing has been sent.
func (o *inputOptions) open(path string, forceKind *mapping.Kind) (*opened, error) {
	var delim rune
	if o.Delimiter != "" {
		d := o.Delimiter
		if d == `\t` || d == "tab" {
			d = "\t"
		}
		r, n := utf8.DecodeRuneInString(d)
		if n != len(d) {
			return nil, usagef("--delimiter must be one character, not %q", o.Delimiter)
		}
		delim = r
	}
	if o.DateFormat != "" {
		if _, err := time.Parse(validate.GoLayout(o.DateFormat), time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC).Format(validate.GoLayout(o.DateFormat))); err != nil {
			return nil, usagef("--date-format %q is not a date layout (use tokens such as dd/MM/yyyy)", o.DateFormat)
		}
	}
	settings := validate.DefaultSettings()
	if o.Settings != "" {
		s, err := validate.LoadSettings(o.Settings)
		if err != nil {
			return nil, &inputError{err}
		}
		settings = s
	}
	var spec *mapping.Spec
	if o.Mapping != "" {
		s, err := mapping.LoadSpec(o.Mapping)
		if err != nil {
			return nil, &inputError{err}
		}
		spec = s
	}
	src, err := pipeline.Open(path, pipeline.ReadOptions{Sheet: o.Sheet, Encoding: o.Encoding, Delimiter: delim})
	if err != nil {
		return nil, &inputError{err}
	}
	kind := mapping.Infer(src.Header(), spec)
	switch {
	case forceKind != nil:
		kind = *forceKind
	case o.Kind != "":
		k, err := mapping.ParseKind(o.Kind)
		if err != nil {
			src.Close()
			return nil, usagef("--kind: %v", err)
		}
		kind = k
	}
	m, err := mapping.New(kind, src.Header(), spec, o.IgnoreUnknown)
	if err != nil {
		src.Close()
		return nil, &inputError{fmt.Errorf("%s: %w", path, err)}
	}
	return &opened{src: src, mapper: m, settings: settings, kind: kind}, nil
}

// runDir makes the run folder: --out, or ./ilms-bulk-runs/<time>-<name>.
func runDir(out, name string) (string, error) {
	if out == "" {
		out = filepath.Join("ilms-bulk-runs", time.Now().Format("20060102-150405")+"-"+name)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", &inputError{fmt.Errorf("run folder: %w", err)}
	}
	return out, nil
}

// audit fills the summary's audit fields.
func audit(s *report.Summary, o *inputOptions, path string, src pipeline.Source) {
	s.Input = report.Input{Path: path, Format: src.Format(), Sheet: o.Sheet}
	l := src.Lines()
	s.Lines, s.LineUse = l.Read, report.LineUse{Header: l.Header, Above: l.Above, Rows: l.Rows, Blank: l.Blank}
	s.Mapping, s.Settings, s.Version = o.Mapping, o.Settings, ilmsbulk.Version
	if u, err := user.Current(); err == nil {
		s.OSUser = u.Username
	}
	s.Host, _ = os.Hostname()
}

func createFile(dir, name string) (*os.File, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, &inputError{err}
	}
	return f, nil
}
