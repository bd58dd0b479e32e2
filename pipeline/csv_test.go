package pipeline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/internal/synth"
)

// writeTemp writes a file into the test's folder and returns its path.
func writeTemp(t testing.TB, name string, body []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readPath reads every row of a file, and how its lines were used.
func readPath(t testing.TB, path string, opts ReadOptions) ([]Row, Lines) {
	t.Helper()
	src, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var rows []Row
	for {
		r, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows, src.Lines()
}

// generated returns a generated users file of n rows as lines.
func generated(t testing.TB, n int) [][]byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := synth.GenerateUsers(w, n, 0, 7); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return bytes.SplitAfter(buf.Bytes(), []byte("\n"))
}

// A quote at the start of line 5000 of a 10,000-row file used to take in
// every line after it: "4999 rows, 1 invalid", rows 5001–10000 in no
// output. Now line 5000 is one unreadable row with its own cells, and
// every later row is read.
func TestStrayQuoteLosesNoRow(t *testing.T) {
	lines := generated(t, 10000)
	want, err := csv.NewReader(bytes.NewReader(lines[4999])).Read()
	if err != nil {
		t.Fatal(err)
	}
	want[0] = `"` + want[0]
	lines[4999] = append([]byte{'"'}, lines[4999]...)
	path := writeTemp(t, "g.csv", bytes.Join(lines, nil))
	rows, acc := readPath(t, path, ReadOptions{})
	if len(rows) != 10000 {
		t.Fatalf("%d rows, want 10000", len(rows))
	}
	for i, r := range rows {
		if r.Line != i+2 || r.Phys != i+2 || r.Span != 1 {
			t.Fatalf("row %d: line %d phys %d span %d", i, r.Line, r.Phys, r.Span)
		}
		if (r.Err != nil) != (r.Line == 5000) {
			t.Errorf("row %d: err %v", r.Line, r.Err)
		}
	}
	bad := rows[4998]
	if !errors.Is(bad.Err, ErrQuote) || !strings.Contains(bad.Err.Error(), `row 5000, column 1 "First Name": a quote opened here`) {
		t.Errorf("row 5000: %v", bad.Err)
	}
	if !reflect.DeepEqual(bad.Cells, want) {
		t.Errorf("row 5000 cells %q, want the line's own %q", bad.Cells, want)
	}
	if acc != (Lines{Read: 10001, Header: 1, Rows: 10000}) {
		t.Errorf("lines %+v", acc)
	}
}

// A quote in the middle of a cell names the column by its header and
// position, and the row keeps its cells.
func TestQuoteInCell(t *testing.T) {
	path := writeTemp(t, "q.csv", []byte("First Name,Last Name,Email\nAnn,O\"Neil,ann@example.com\nBo,Ray,bo@example.com\n\"Cy\"x,Lu,cy@example.com\n"))
	rows, acc := readPath(t, path, ReadOptions{})
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if got := rows[0].Err; !errors.Is(got, ErrQuote) || !strings.HasPrefix(got.Error(), `row 2, column 2 "Last Name": has a quote in the middle of the cell ("O\"Neil")`) {
		t.Errorf("row 2: %v", got)
	}
	if !reflect.DeepEqual(rows[0].Cells, []string{"Ann", `O"Neil`, "ann@example.com"}) {
		t.Errorf("row 2 cells %q", rows[0].Cells)
	}
	if rows[1].Err != nil {
		t.Errorf("row 3: %v", rows[1].Err)
	}
	if got := rows[2].Err; !errors.Is(got, ErrQuote) || !strings.Contains(got.Error(), `row 4, column 1 "First Name"`) {
		t.Errorf("row 4: %v", got)
	}
	if acc != (Lines{Read: 4, Header: 1, Rows: 3}) {
		t.Errorf("lines %+v", acc)
	}
}

func TestLinesAccounted(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		opts ReadOptions
		rows []int // spreadsheet rows
		want Lines
	}{
		{"plain", "A,B\n1,2\n3,4\n", ReadOptions{}, []int{2, 3}, Lines{Read: 3, Header: 1, Rows: 2}},
		{"no final newline", "A,B\n1,2\n3,4", ReadOptions{}, []int{2, 3}, Lines{Read: 3, Header: 1, Rows: 2}},
		{"crlf", "A,B\r\n1,2\r\n", ReadOptions{}, []int{2}, Lines{Read: 2, Header: 1, Rows: 1}},
		{"blank lines", "\nA,B\n\n1,2\n,\n\n3,4\n\n", ReadOptions{}, []int{4, 7}, Lines{Read: 8, Header: 1, Rows: 2, Blank: 5}},
		{"quoted newline", "A,B\n\"x\ny\",2\n3,\"p\n\nq\"\n5,6\n", ReadOptions{}, []int{2, 3, 4}, Lines{Read: 7, Header: 1, Rows: 6}},
		{"newline in header", "\"A\nA\",B\n1,2\n", ReadOptions{}, []int{2}, Lines{Read: 3, Header: 2, Rows: 1}},
		{"title above the header", "Cohort 2026,\nA,B\n1,2\n", ReadOptions{HeaderRow: 2}, []int{3}, Lines{Read: 3, Header: 1, Above: 1, Rows: 1}},
		{"quote runs to a later quote", "A,B\n\"x,1\n2,3\n4,\"5\"6\n7,8\n", ReadOptions{}, []int{2, 3, 4, 5}, Lines{Read: 5, Header: 1, Rows: 4}},
		{"two stray quotes", "A,B\n\"x,1\n2,3\n\"y,4\n5,6\n", ReadOptions{}, []int{2, 3, 4, 5}, Lines{Read: 5, Header: 1, Rows: 4}},
		{"stray quote after blank lines", "A,B\n\n\n\"x,1\n2,3\n", ReadOptions{}, []int{4, 5}, Lines{Read: 5, Header: 1, Rows: 2, Blank: 2}},
		{"only a header", "A,B", ReadOptions{}, nil, Lines{Read: 1, Header: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, acc := readPath(t, writeTemp(t, "f.csv", []byte(tc.body)), tc.opts)
			var got []int
			for _, r := range rows {
				got = append(got, r.Line)
			}
			if !reflect.DeepEqual(got, tc.rows) {
				t.Errorf("rows %v, want %v", got, tc.rows)
			}
			if acc != tc.want {
				t.Errorf("lines %+v, want %+v", acc, tc.want)
			}
		})
	}
}

// A record longer than the tape keeps cannot be cut back; the file is
// refused, naming the row, rather than read in part. A long record that
// parses is read as usual, and keeping starts again after it.
func TestLongBrokenRecord(t *testing.T) {
	defer func(n int) { maxKept = n }(maxKept)
	maxKept = 1 << 10
	long := strings.Repeat("x", 300<<10)
	rows, _ := readPath(t, writeTemp(t, "ok.csv", []byte("A,B\n\"a\n"+long+"\",1\n\"y,2\n3,4\n")), ReadOptions{})
	if len(rows) != 3 || rows[0].Err != nil || rows[1].Err == nil || rows[2].Err != nil || rows[2].Line != 4 {
		t.Errorf("long good record, then a stray quote: %+v", rows)
	}
	src, err := Open(writeTemp(t, "bad.csv", []byte("A,B\n\"a,1\n"+long+"\n")), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, err = src.Next()
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "row 2 (line 2)") {
		t.Errorf("a broken record longer than is kept: %v", err)
	}
}

func TestWindows1252(t *testing.T) {
	// A UTF-8 BOM before Windows-1252 text: the advice to read it as
	// Windows-1252 must work.
	body := append([]byte("\xEF\xBB\xBFFirst Name,Last Name\n"), []byte("Zo\xEB,M\xFCller\nAna,Silva\n")...)
	path := writeTemp(t, "bom1252.csv", body)
	rows, _ := readPath(t, path, ReadOptions{})
	if h := HintOf(rows[0].Err); h == nil || h.Value != "windows-1252" {
		t.Fatalf("UTF-8 read: %v, hint %+v", rows[0].Err, h)
	}
	src, err := Open(path, ReadOptions{Encoding: "windows-1252"})
	if err != nil {
		t.Fatal(err)
	}
	if h := src.Header(); h[0] != "First Name" {
		t.Errorf("header %q: the BOM must not become text", h)
	}
	src.Close()
	rows, _ = readPath(t, path, ReadOptions{Encoding: "windows-1252"})
	if len(rows) != 2 || rows[0].Err != nil || rows[0].Cells[0] != "Zoë" || rows[0].Cells[1] != "Müller" {
		t.Errorf("read as windows-1252: %+v", rows)
	}
	// A file of UTF-8 text with one stray byte: the fix is that byte, not
	// another encoding, and reading it as Windows-1252 would garble the
	// UTF-8 text, which is refused rather than sent.
	mixed := writeTemp(t, "mixed.csv", []byte("First Name,Last Name\nJosé,Núñez\nZo\xEB,Ray\n"))
	rows, _ = readPath(t, mixed, ReadOptions{})
	if rows[0].Err != nil || rows[1].Err == nil || HintOf(rows[1].Err) != nil || !strings.Contains(rows[1].Err.Error(), "byte 0xEB") {
		t.Errorf("mixed, as UTF-8: %v / %v", rows[0].Err, rows[1].Err)
	}
	rows, _ = readPath(t, mixed, ReadOptions{Encoding: "windows-1252"})
	if !errors.Is(rows[0].Err, ErrEncoding) || !strings.Contains(rows[0].Err.Error(), `holds UTF-8 text ("José")`) || rows[1].Err != nil {
		t.Errorf("mixed, as windows-1252: %v / %v", rows[0].Err, rows[1].Err)
	}
}

// A file whose lines end with a carriage return alone (old Mac line
// endings) is one line to a CSV reader: its header would run into the
// rows. It is refused with what to do, not read as a header of dozens of
// unknown columns; a CRLF file, and a header cell with a CRLF inside its
// quotes, are read.
func TestLoneCarriageReturnsAreRefused(t *testing.T) {
	cr := writeTemp(t, "cr.csv", []byte("First Name,Email ID\rAnn,ann@example.com\rBo,bo@example.com\r"))
	if _, err := Open(cr, ReadOptions{}); err == nil || !strings.Contains(err.Error(), "carriage return alone") {
		t.Errorf("lone CRs: %v", err)
	}
	for name, body := range map[string]string{
		"crlf.csv":   "First Name,Email ID\r\nAnn,ann@example.com\r\n",
		"quoted.csv": "\"First\r\nName\",Email ID\r\nAnn,ann@example.com\r\n",
	} {
		src, err := Open(writeTemp(t, name, []byte(body)), ReadOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		row, err := src.Next()
		if err != nil || row.Cells[0] != "Ann" {
			t.Errorf("%s: row %q %v", name, row.Cells, err)
		}
		src.Close()
	}
}
