package main

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
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
	HeaderRow     int
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
	f.IntVar(&o.HeaderRow, "header-row", 0, "the row that holds the header, when rows such as a title are above it (default: the first row with a value)")
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
		if err := validate.CheckDateLayout(o.DateFormat); err != nil {
			return nil, usagef("--date-format: %v", err)
		}
	}
	if o.HeaderRow < 0 {
		return nil, usagef("--header-row is a row number, 1 for the first row; not %d", o.HeaderRow)
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
	ropts := pipeline.ReadOptions{Sheet: o.Sheet, Encoding: o.Encoding, Delimiter: delim, HeaderRow: o.HeaderRow}
	src, err := pipeline.Open(path, ropts)
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
	if err == nil && m.Mapped() == 0 {
		err = fmt.Errorf("no column of the header row (%s) names a field", quoteCells(src.Header(), 5))
	}
	if err != nil {
		src.Close()
		err = fmt.Errorf("%s: %w", path, err)
		if hints := pipeline.SuggestHeader(path, ropts, spec); len(hints) > 0 {
			return nil, &inputError{&hintedError{err, hints}}
		}
		return nil, &inputError{err}
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

// quoteCells quotes the first n cells of a row, for a message.
func quoteCells(cells []string, n int) string {
	var out []string
	for _, c := range cells[:min(n, len(cells))] {
		out = append(out, validate.Quote(c))
	}
	if len(cells) > n {
		out = append(out, "…")
	}
	return strings.Join(out, ", ")
}

// hintedError is an error with remedies found for it.
type hintedError struct {
	err   error
	hints []pipeline.Hint
}

func (e *hintedError) Error() string { return e.err.Error() }
func (e *hintedError) Unwrap() error { return e.err }

// renderHint says a remedy the way a command-line user applies it: as a
// flag.
func renderHint(h pipeline.Hint) string {
	flag := "--" + string(h.Option) + " " + shellQuote(h.Value)
	switch h.Option {
	case pipeline.OptHeaderRow:
		return fmt.Sprintf("row %s looks like the header; use %s", h.Value, flag)
	case pipeline.OptSheet:
		return fmt.Sprintf("sheet %q has a header row; use %s", h.Value, flag)
	case pipeline.OptEncoding:
		return "read it with " + flag
	}
	return "use " + flag
}

// withHints adds to a message the remedies its error names.
func withHints(msg string, err error) string {
	var he *hintedError
	var hints []pipeline.Hint
	if errors.As(err, &he) {
		hints = he.hints
	} else if h := pipeline.HintOf(err); h != nil {
		hints = []pipeline.Hint{*h}
	}
	for _, h := range hints {
		msg += "\n  " + renderHint(h)
	}
	return msg
}
