package pipeline

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures in testdata/")

const readDir = "../testdata/read"

// readAll opens a file of testdata/read and reads every row.
func readAll(t *testing.T, name string, opts ReadOptions) ([]string, []Row) {
	t.Helper()
	path := filepath.Join(readDir, name)
	src, err := Open(path, opts)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	header := src.Header()
	src.Close()
	rows, _ := readPath(t, path, opts)
	return header, rows
}

func TestCSVEncodings(t *testing.T) {
	want := [][]string{
		{"Zoë", "Müller", "zoe.muller@example.com", "00123", "2024-03-04"},
		{"José", "Núñez", "jose.nunez@example.com", "00124", "2024-03-05"},
	}
	for _, tc := range []struct {
		file string
		opts ReadOptions
	}{
		{"bom-utf8.csv", ReadOptions{}},
		{"utf16le.csv", ReadOptions{}},
		{"utf16be.csv", ReadOptions{}},
		{"windows-1252.csv", ReadOptions{Encoding: "windows-1252"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			header, rows := readAll(t, tc.file, tc.opts)
			if !reflect.DeepEqual(header, []string{"First Name", "Last Name", "Email", "Employee ID", "Hire Date"}) {
				t.Errorf("header %q (a BOM must not stick to the first name)", header)
			}
			if len(rows) != 2 {
				t.Fatalf("%d rows", len(rows))
			}
			for i, r := range rows {
				if r.Err != nil || !reflect.DeepEqual(r.Cells, want[i]) || r.Line != i+2 {
					t.Errorf("row %d: line %d %q err %v", i, r.Line, r.Cells, r.Err)
				}
			}
		})
	}
	// Windows-1252 read as UTF-8 is refused row by row, naming the byte
	// and, as a typed hint, the encoding that reads it.
	_, rows := readAll(t, "not-utf8.csv", ReadOptions{})
	if len(rows) != 1 || !errors.Is(rows[0].Err, ErrEncoding) || !strings.Contains(rows[0].Err.Error(), "byte 0xE9") {
		t.Errorf("not UTF-8: %+v", rows)
	}
	if h := HintOf(rows[0].Err); h == nil || *h != (remedy.Hint{Option: remedy.Encoding, Value: "windows-1252"}) {
		t.Errorf("hint %+v, want encoding windows-1252", h)
	}
	// The hint works: read that way, the row is valid.
	if _, rows := readAll(t, "not-utf8.csv", ReadOptions{Encoding: "windows-1252"}); len(rows) != 1 || rows[0].Err != nil || rows[0].Cells[1] != "café" {
		t.Errorf("not UTF-8 read as windows-1252: %+v", rows)
	}
}

func TestCSVDelimitersQuotesAndLines(t *testing.T) {
	header, rows := readAll(t, "semicolon.csv", ReadOptions{})
	if len(header) != 5 || header[4] != "Address 1" {
		t.Fatalf("semicolons not sniffed: %q", header)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows (blank line skipped?)", len(rows))
	}
	if rows[0].Cells[3] != "Sales; Inside" || rows[0].Cells[4] != "12 Main St\nSuite 4" || rows[0].Line != 2 {
		t.Errorf("quoted delimiter and newline: %q line %d", rows[0].Cells, rows[0].Line)
	}
	// Spreadsheet rows: the quoted newline keeps row 2 one row; the blank
	// line is row 3; Bob is row 4.
	if rows[1].Cells[3] != `He said "hi"` || rows[1].Line != 4 {
		t.Errorf("row after a quoted newline and a blank line: %q line %d", rows[1].Cells, rows[1].Line)
	}
	for _, tc := range []struct {
		file string
		opts ReadOptions
	}{{"tab.csv", ReadOptions{}}, {"pipe.csv", ReadOptions{}}, {"semicolon.csv", ReadOptions{Delimiter: ';'}}} {
		header, rows := readAll(t, tc.file, tc.opts)
		if len(header) < 3 || header[2] != "Email" || rows[0].Cells[0] != "Ana" {
			t.Errorf("%s: header %q rows %v", tc.file, header, rows)
		}
	}
	// A wrong delimiter given by hand makes one wide column.
	header, _ = readAll(t, "tab.csv", ReadOptions{Delimiter: ','})
	if len(header) != 1 {
		t.Errorf("forced comma on a tab file: %q", header)
	}
}

func TestCSVRowErrors(t *testing.T) {
	lines := func(rows []Row) (ok, bad []int, sentinels []error) {
		for _, r := range rows {
			if r.Err != nil {
				bad = append(bad, r.Line)
				var re *RowError
				if errors.As(r.Err, &re) {
					sentinels = append(sentinels, re.Err)
				}
			} else {
				ok = append(ok, r.Line)
			}
		}
		return
	}
	_, rows := readAll(t, "ragged.csv", ReadOptions{})
	ok, bad, why := lines(rows)
	// 4,5 is short; 6,7,8,9 has an extra value; 10,11,12,, has only blank
	// extras, which lose nothing.
	if !reflect.DeepEqual(ok, []int{2, 5, 6}) || !reflect.DeepEqual(bad, []int{3, 4}) || why[0] != ErrRagged {
		t.Errorf("ragged: ok %v bad %v (%v)", ok, bad, why)
	}
	if !strings.Contains(rows[1].Err.Error(), "has 2 cells but the header has 3") {
		t.Errorf("ragged message: %v", rows[1].Err)
	}
	_, rows = readAll(t, "bare-quote.csv", ReadOptions{})
	ok, bad, why = lines(rows)
	if !reflect.DeepEqual(ok, []int{2, 4}) || !reflect.DeepEqual(bad, []int{3}) || why[0] != ErrQuote {
		t.Errorf("bare quote: ok %v bad %v", ok, bad)
	}
	// A quote that never closes spoils its own row only: the rows after
	// it are read as usual, and the broken row keeps its cells.
	_, rows = readAll(t, "unbalanced-quote.csv", ReadOptions{})
	ok, bad, _ = lines(rows)
	if !reflect.DeepEqual(ok, []int{2, 4, 5}) || !reflect.DeepEqual(bad, []int{3}) || !strings.Contains(rows[1].Err.Error(), `row 3, column 1 "A": a quote opened here never closes`) {
		t.Errorf("unbalanced quote: ok %v bad %v %v", ok, bad, rows)
	}
	if !reflect.DeepEqual(rows[1].Cells, []string{`"open`, "3"}) {
		t.Errorf("unbalanced quote: cells %q, want the line's own", rows[1].Cells)
	}
	_, rows = readAll(t, "nul.csv", ReadOptions{})
	ok, bad, why = lines(rows)
	if !reflect.DeepEqual(ok, []int{2, 4}) || !reflect.DeepEqual(bad, []int{3}) || why[0] != ErrNUL || !strings.Contains(rows[1].Err.Error(), `column 2 "B"`) {
		t.Errorf("NUL: ok %v bad %v %v", ok, bad, rows[1].Err)
	}
	_, rows = readAll(t, "blank-lines.csv", ReadOptions{})
	ok, _, _ = lines(rows)
	if !reflect.DeepEqual(ok, []int{3, 6}) {
		t.Errorf("blank lines: rows %v, want spreadsheet rows 3 and 6", ok)
	}
}

func TestUnreadableFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		opts ReadOptions
		want string
	}{
		{"empty.csv", ReadOptions{}, "no header row"},
		{"missing.csv", ReadOptions{}, "missing.csv does not exist"},
		{".", ReadOptions{}, "is a folder, not a file"},
		{"bom-utf8.csv", ReadOptions{Encoding: "ebcdic"}, "not supported"},
		{"bom-utf8.csv", ReadOptions{Sheet: "People"}, "XLSX workbooks only"},
		{"cohort.xlsx", ReadOptions{Sheet: "Nope"}, `no sheet named "Nope"; the workbook has "People", "Lookups"`},
		{"not-a-workbook.xlsx", ReadOptions{}, "not an XLSX workbook"},
	} {
		_, err := Open(filepath.Join(readDir, tc.file), tc.opts)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want a FileError with %q", tc.file, err, tc.want)
		}
	}
}

// writeCohortXLSX builds testdata/read/cohort.xlsx: text that looks like
// numbers, numbers, dates in built-in and custom formats, a date typed as
// a plain number, an inline string, a boolean, a blank row, and a value in
// a column with no header.
func writeCohortXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "People")
	f.NewSheet("Lookups")
	f.SetSheetRow("Lookups", "A1", &[]any{"Country"})
	ddmm := "dd/mm/yyyy"
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	customDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &ddmm})
	stamp := "yyyy-mm-dd hh:mm"
	dateTime, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &stamp})
	textStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	f.SetSheetRow("People", "A1", &[]any{"First Name", "Last Name", "Employee ID", "Hire Date", "Start", "Active", "Zip"})
	f.SetSheetRow("People", "A2", &[]any{"Ana", "Silva", "00123", time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 4, 9, 30, 0, 0, time.UTC), true, "02134"})
	f.SetCellStyle("People", "C2", "C2", textStyle)
	f.SetCellStyle("People", "D2", "D2", dateStyle)
	f.SetCellStyle("People", "E2", "E2", dateTime)
	f.SetSheetRow("People", "A3", &[]any{"Bob", "Stone", 124, 45355, time.Date(2023, 12, 25, 0, 0, 0, 0, time.UTC), false, 2135})
	f.SetCellStyle("People", "E3", "E3", customDate)
	// Row 4 is blank; row 5 has an inline string and a stray value in H.
	f.SetCellValue("People", "A5", "Cleo")
	f.SetCellValue("People", "B5", "Ng")
	f.SetCellValue("People", "H5", "stray")
	f.SetSheetRow("People", "A6", &[]any{"Dee", "Ray", "00126"})
	return f.SaveAs(path)
}

func TestXLSX(t *testing.T) {
	path := filepath.Join(readDir, "cohort.xlsx")
	if *update {
		if err := writeCohortXLSX(path); err != nil {
			t.Fatal(err)
		}
	}
	header, rows := readAll(t, "cohort.xlsx", ReadOptions{})
	if !reflect.DeepEqual(header, []string{"First Name", "Last Name", "Employee ID", "Hire Date", "Start", "Active", "Zip"}) {
		t.Fatalf("header %q", header)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4 (the blank row skipped)", len(rows))
	}
	want := []struct {
		line  int
		cells []string
		kinds []CellKind
	}{
		{2, []string{"Ana", "Silva", "00123", "2024-03-04", "2024-03-04T09:30:00", "true", "02134"}, []CellKind{CellText, CellText, CellText, CellDate, CellDate, CellBool, CellText}},
		{3, []string{"Bob", "Stone", "124", "45355", "2023-12-25", "false", "2135"}, []CellKind{CellText, CellText, CellNumber, CellNumber, CellDate, CellBool, CellNumber}},
		{5, []string{"Cleo", "Ng", "", "", "", "", ""}, nil},
		{6, []string{"Dee", "Ray", "00126", "", "", "", ""}, nil},
	}
	for i, w := range want {
		r := rows[i]
		if r.Line != w.line || !reflect.DeepEqual(r.Cells, w.cells) {
			t.Errorf("row %d: line %d cells %q; want line %d %q", i, r.Line, r.Cells, w.line, w.cells)
		}
		if w.kinds != nil && !reflect.DeepEqual(r.Kinds, w.kinds) {
			t.Errorf("row %d kinds %v, want %v", i, r.Kinds, w.kinds)
		}
	}
	if rows[2].Err == nil || !strings.Contains(rows[2].Err.Error(), `"stray"`) {
		t.Errorf("a value under no header must be a row error: %v", rows[2].Err)
	}
	header, rows = readAll(t, "cohort.xlsx", ReadOptions{Sheet: "lookups"})
	if header[0] != "Country" || len(rows) != 0 {
		t.Errorf("second sheet by name: %q %v", header, rows)
	}
}

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy": true, "yyyy-mm-dd hh:mm": true, `[$-409]mmmm d, yyyy`: true, "[h]:mm:ss": true,
		"0.00": false, "#,##0": false, `"Day "0`: false, `0" days"`: false, "General": false, "[Red]0.00": false, `\d0`: false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

// A delimiter fastcsv does not take (not ASCII) is read by encoding/csv:
// the same rows, row numbers and cells as with a comma.
func TestCSVNonASCIIDelimiter(t *testing.T) {
	text := "First Name,Last Name,Email ID\nAna,\"Lee \"\"Jr\"\"\",ana@example.com\n\n\"Bo\nB\",Ray,bo@example.com\n"
	dir := t.TempDir()
	comma, section := filepath.Join(dir, "comma.csv"), filepath.Join(dir, "section.csv")
	os.WriteFile(comma, []byte(text), 0o644)
	os.WriteFile(section, []byte(strings.ReplaceAll(text, ",", "§")), 0o644)
	want, _ := readPath(t, comma, ReadOptions{})
	got, _ := readPath(t, section, ReadOptions{Delimiter: '§'})
	if len(want) != 2 || len(got) != len(want) {
		t.Fatalf("with §: %+v\nwith a comma: %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Line != w.Line || g.Span != w.Span || g.Err != w.Err || !reflect.DeepEqual(g.Cells, w.Cells) {
			t.Errorf("row %d with §: %+v\nwith a comma: %+v", i, g, w)
		}
	}
}
