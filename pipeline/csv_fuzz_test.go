package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// FuzzCSVReader reads arbitrary bytes as a CSV file. The property: nothing
// is lost or counted twice. Either the file is refused, or every physical
// line falls in exactly one place — the header, above it, one row (a
// quoted newline joins lines into one row) or blank — a row that parses
// has exactly the cells encoding/csv gives for its own lines, and a
// validation hands on exactly one result per row.
//
//	go test ./pipeline -run '^$' -fuzz FuzzCSVReader -fuzztime 10m
func FuzzCSVReader(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(readDir, "*.csv"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"First Name,Last Name,Email ID\nAnn,O\"Neil,ann@example.com\nBo,Ray,bo@example.com\n",
		"First Name,Last Name,Email ID\n\"Ann,Lee,ann@example.com\nBo,Ray,bo@example.com\nCy,\"Lu\",cy@example.com\n",
		"First Name;Last Name\n\"a\nb\";c\n\n;\n\"\"\"x\";y",
		"First Name\tLast Name\r\n\"x\r\ny\"\tz\r\n\"w\tv\r\n",
		"First Name,Last Name\n\"a\"b,c\n\"d,\"e\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
			t.Skip("UTF-16: its lines are counted in the decoded text")
		}
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := Open(path, ReadOptions{})
		var fe *FileError
		if errors.As(err, &fe) {
			return // refused as a whole
		}
		if err != nil {
			t.Fatalf("open: not a FileError: %v", err)
		}
		cs := src.(*csvSource)
		var rows []Row
		for {
			r, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if errors.As(err, &fe) {
				src.Close()
				return // refused part way: nothing has been acted on by a validation either (it stops)
			}
			if err != nil {
				t.Fatalf("next: %v", err)
			}
			r.Cells = append([]string(nil), r.Cells...)
			rows = append(rows, r)
		}
		acc := src.Lines()
		src.Close()

		text := bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
		lines := bytes.SplitAfter(text, []byte("\n"))
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		if acc.Read != len(lines) {
			t.Fatalf("read %d lines, the file has %d", acc.Read, len(lines))
		}
		if acc.Header+acc.Above+acc.Rows+acc.Blank != acc.Read {
			t.Fatalf("lines do not add up: %+v", acc)
		}
		// Every line is in at most one row, rows come in order, and the
		// lines in no row, after the header, are blank.
		owner := make([]int, len(lines)+1) // by physical line: 1 + row index, or 0
		spans := 0
		for i, r := range rows {
			if r.Span < 1 || r.Phys < 1 || r.Phys+r.Span-1 > len(lines) {
				t.Fatalf("row %d: phys %d span %d of %d lines", i, r.Phys, r.Span, len(lines))
			}
			if i > 0 && r.Phys < rows[i-1].Phys+rows[i-1].Span {
				t.Fatalf("row %d (line %d) overlaps the row before (line %d, %d lines)", i, r.Phys, rows[i-1].Phys, rows[i-1].Span)
			}
			for l := r.Phys; l < r.Phys+r.Span; l++ {
				owner[l] = i + 1
			}
			spans += r.Span
			if r.Err == nil {
				// A row read as it stands has the cells its lines hold.
				cr := csv.NewReader(bytes.NewReader(bytes.Join(lines[r.Phys-1:r.Phys-1+r.Span], nil)))
				cr.Comma, cr.FieldsPerRecord = cs.delim, -1
				want, err := cr.Read()
				if err != nil || !reflect.DeepEqual(want, r.Cells) {
					t.Fatalf("row at line %d: cells %q; its lines read %q (%v)", r.Phys, r.Cells, want, err)
				}
			}
		}
		if spans != acc.Rows {
			t.Fatalf("rows take %d lines, the count says %d", spans, acc.Rows)
		}
		for l := cs.headerEnd + 1; l <= len(lines); l++ {
			if owner[l] == 0 && !blankLine(lines[l-1], cs.delim) {
				t.Fatalf("line %d (%q) is in no row and is not blank", l, lines[l-1])
			}
		}

		// A validation gives each row exactly one result, in order.
		src, err = Open(path, ReadOptions{})
		if err != nil {
			t.Fatalf("second open: %v", err)
		}
		defer src.Close()
		m, err := mapping.New(mapping.Users, src.Header(), nil, true)
		if err != nil {
			return // a header that maps to nothing is refused
		}
		c := NewChecker(m, CheckOptions{Settings: validate.DefaultSettings()})
		var got []int
		tally, err := Validate(context.Background(), src, c, func(ch *Checked) error {
			got = append(got, ch.Row.Line)
			return nil
		})
		if err != nil {
			t.Fatalf("validate: %v", err)
		}
		var want []int
		for _, r := range rows {
			want = append(want, r.Line)
		}
		if !reflect.DeepEqual(got, want) || tally.Rows != len(rows) || tally.Valid+tally.Invalid != tally.Rows {
			t.Fatalf("validation results for rows %v, tally %+v; the file has rows %v", got, tally, want)
		}
	})
}

// blankLine reports whether a line holds no value: only delimiters and
// empty quoted cells.
func blankLine(line []byte, delim rune) bool {
	return strings.Trim(string(line), "\r\n\""+string(delim)) == ""
}
