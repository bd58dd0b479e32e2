// Package files opens the files a user names, and says why one cannot be
// opened in the same words for every command: a folder, a missing file, a
// file that may not be read.
package files

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// ErrFolder is the problem of a folder given where a file is wanted.
var ErrFolder = errors.New("is a folder, not a file")

// Error is a file that cannot be opened.
type Error struct {
	Path string
	Err  error // ErrFolder, fs.ErrNotExist, fs.ErrPermission or another
}

func (e *Error) Error() string {
	switch {
	case errors.Is(e.Err, ErrFolder):
		return fmt.Sprintf("%s is a folder, not a file: give the path of a file in it", e.Path)
	case errors.Is(e.Err, fs.ErrNotExist):
		return fmt.Sprintf("%s does not exist: check the path and the current folder", e.Path)
	case errors.Is(e.Err, fs.ErrPermission):
		return fmt.Sprintf("%s may not be read by you: check its permissions", e.Path)
	}
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return fmt.Sprintf("%s cannot be opened: %v", e.Path, pe.Err)
	}
	return fmt.Sprintf("%s cannot be opened: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Input marks the error as input that cannot be read: nothing was sent.
func (e *Error) Input() bool { return true }

// Check reports, as an *Error, why path is not a file that can be read.
func Check(path string) error {
	f, err := Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// Open opens a file for reading; a folder, a missing file or one that may
// not be read is an *Error.
func Open(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{Path: path, Err: err}
	}
	if st.IsDir() {
		f.Close()
		return nil, &Error{Path: path, Err: ErrFolder}
	}
	return f, nil
}

// ReadFile reads a whole (small) file: a mapping, settings or plan file.
func ReadFile(path string) ([]byte, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	return b, nil
}

// ReadJSON decodes a JSON file into v. A key v does not have is refused,
// so that a misspelt key is not silently ignored; every problem names the
// line and column and is worded for a person.
func ReadJSON(path string, v any) error {
	b, err := ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			return fmt.Errorf("%s: there is more after the JSON value that ends at line %d; a file holds one value", path, lineOf(b, dec.InputOffset()))
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%s is empty: it should hold a JSON object", path)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s ends before its JSON is complete: a closing } or ] or \" is missing", path)
	case errors.As(err, &syn):
		line, col := position(b, syn.Offset)
		return fmt.Errorf("%s, line %d, column %d: not valid JSON: %s", path, line, col, syntaxProblem(syn.Error()))
	case errors.As(err, &typ):
		line, _ := position(b, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "the file"
		}
		return fmt.Errorf("%s, line %d: %s must be %s, not a JSON %s", path, line, field, article(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return fmt.Errorf("%s, line %d: there is no key %s; check its spelling", path, lineOf(b, dec.InputOffset()), key)
	}
	return fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "json: "))
}

// syntaxProblem words a JSON syntax error for a person.
func syntaxProblem(msg string) string {
	var ch string
	if i := strings.Index(msg, "invalid character "); i >= 0 {
		rest := msg[i+len("invalid character "):]
		if j := strings.Index(rest[1:], "' "); rest != "" && j >= 0 {
			ch, msg = rest[:j+2], rest[j+3:]
		}
	}
	if ch == "" {
		return strings.TrimPrefix(msg, "json: ")
	}
	switch {
	case strings.HasPrefix(msg, "looking for beginning of object key"):
		return "found " + ch + " where a key in double quotes should be (a comma too many before it?)"
	case strings.HasPrefix(msg, "after object key:value pair"):
		return "found " + ch + " where a comma or } should be (a comma missing?)"
	case strings.HasPrefix(msg, "after object key"):
		return "found " + ch + " where a colon should be"
	case strings.HasPrefix(msg, "after array element"):
		return "found " + ch + " where a comma or ] should be (a comma missing?)"
	case strings.HasPrefix(msg, "looking for beginning of value"):
		return "found " + ch + " where a value should be (text goes in double quotes)"
	case strings.HasPrefix(msg, "in string literal"):
		return "a string holds " + ch + " (a control character); write it escaped"
	}
	return "unexpected " + ch
}

func article(kind string) string {
	switch kind {
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "a list"
	case "int", "int64", "int32", "uint", "uint64", "float64", "float32":
		return "a number"
	case "bool":
		return "true or false"
	}
	return "a " + kind
}

// position returns the 1-based line and column of byte offset off.
func position(b []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(b)))
	before := b[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

func lineOf(b []byte, off int64) int { l, _ := position(b, off); return l }
