package report

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// The problems of a FormatError.
var (
	ErrFormat        = errors.New("format not offered")
	ErrExtension     = errors.New("file name of no format offered")
	ErrContradiction = errors.New("file name of another format")
	ErrStdout        = errors.New("workbook to standard output")
)

// FormatError is an output whose format cannot be settled. Nothing was
// written.
type FormatError struct {
	What    string   // what is written, such as "the users export"
	Output  string   // the file; "" or "-" for standard output
	Format  string   // the format asked for; "" for none
	Formats []string // the formats offered, the default first
	Problem error    // ErrFormat, ErrExtension, ErrContradiction or ErrStdout
}

func (e *FormatError) Error() string { return e.Text("the format", "the file") }
func (e *FormatError) Unwrap() error { return e.Problem }

// Usage marks the error as the caller's to fix: nothing was written.
func (e *FormatError) Usage() bool { return true }

// Text words the error with the format and the output file named as a
// front door names them, such as --format and -o.
func (e *FormatError) Text(format, output string) string {
	exts := make([]string, len(e.Formats))
	for i, f := range e.Formats {
		exts[i] = "." + f
	}
	only := len(e.Formats) == 1
	switch {
	case e.Problem == ErrFormat && only:
		return fmt.Sprintf("%s %q: %s is %s only", format, e.Format, e.What, strings.ToUpper(e.Formats[0]))
	case e.Problem == ErrFormat:
		return fmt.Sprintf("%s %q: give %s", format, e.Format, strings.Join(e.Formats, " or "))
	case e.Problem == ErrExtension && only:
		return fmt.Sprintf("%s %s: %s is %s only; give a file name ending in %s", output, e.Output, e.What, strings.ToUpper(e.Formats[0]), exts[0])
	case e.Problem == ErrExtension:
		return fmt.Sprintf("%s %s: the format follows the file name; give a name ending in %s, or say %s %s", output, e.Output,
			strings.Join(exts, " or "), format, strings.Join(e.Formats, " or "+format+" "))
	case e.Problem == ErrContradiction:
		kind := map[string]string{"csv": "a CSV", "xlsx": "an XLSX"}[strings.ToLower(filepath.Ext(e.Output))[1:]]
		return fmt.Sprintf("%s %s is the name of %s file, but %s is %s; give one or the other", output, e.Output, kind, format, e.Format)
	}
	return fmt.Sprintf("%s cannot go to standard output; give %s FILE.%s", strings.ToUpper(e.Format), output, e.Format)
}

// toStdout reports whether an output file name means standard output.
func toStdout(output string) bool { return output == "" || output == "-" }

// OutputFormat settles the format of what (named in errors) written to
// output: format when given, which must be one of formats; else output's
// extension, which must then name one of them; standard output takes the
// first, and no workbook. A file named u.pdf never receives CSV, nor one
// named u.xlsx CSV. The error is a *FormatError.
func OutputFormat(what, output, format string, formats []string) (string, error) {
	ext := strings.ToLower(filepath.Ext(output))
	format = strings.ToLower(strings.TrimSpace(format))
	fail := func(problem error) (string, error) {
		return "", &FormatError{What: what, Output: output, Format: format, Formats: formats, Problem: problem}
	}
	switch {
	case format != "" && !slices.Contains(formats, format):
		return fail(ErrFormat)
	case format == "" && toStdout(output):
		format = formats[0]
	case format == "" && ext != "" && slices.Contains(formats, ext[1:]):
		format = ext[1:]
	case format == "":
		return fail(ErrExtension)
	case (ext == ".csv" || ext == ".xlsx") && ext != "."+format:
		return fail(ErrContradiction)
	}
	if format == "xlsx" && toStdout(output) {
		return fail(ErrStdout)
	}
	return format, nil
}

// WriteFormat writes what to output as OutputFormat settles its format
// among formats, refusing before anything is written when it cannot, and
// then through WriteOutput: to stdout for "-", else to the file, whole or
// not at all.
func WriteFormat(what, output, format string, formats []string, stdout io.Writer, write func(w io.Writer, format string) error) error {
	format, err := OutputFormat(what, output, format, formats)
	if err != nil {
		return err
	}
	_, err = WriteOutput(output, stdout, func(w io.Writer) (int, error) { return 0, write(w, format) })
	return err
}
