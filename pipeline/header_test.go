package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// workbook writes a workbook whose sheets hold the given rows.
func workbook(t *testing.T, sheets map[string][][]any, order ...string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		for r, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			f.SetSheetRow(name, cell, &row)
		}
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

var people = [][]any{{"First Name", "Last Name", "Email ID"}, {"Ann", "Lee", "ann@example.com"}}

func TestSuggestHeader(t *testing.T) {
	// The data is on the second sheet; the first holds notes.
	path := workbook(t, map[string][][]any{"Read me": {{"Fill in the People sheet"}}, "People": people}, "Read me", "People")
	if got := SuggestHeader(path, ReadOptions{}, nil); !reflect.DeepEqual(got, []remedy.Hint{{Option: remedy.Sheet, Value: "People"}}) {
		t.Errorf("second sheet: %v", got)
	}
	// An empty first sheet is refused with the sheet that has data.
	path = workbook(t, map[string][][]any{"Sheet1": nil, "People": people}, "Sheet1", "People")
	_, err := Open(path, ReadOptions{})
	if h := HintOf(err); h == nil || *h != (remedy.Hint{Option: remedy.Sheet, Value: "People"}) || !strings.Contains(err.Error(), `sheet "Sheet1" is empty`) {
		t.Errorf("empty first sheet: %v, hint %v", err, h)
	}
	// A title above the header, in a workbook and in a CSV file.
	title := [][]any{{"Cohort 2026: new hires"}, people[0], people[1]}
	path = workbook(t, map[string][][]any{"People": title}, "People")
	if got := SuggestHeader(path, ReadOptions{}, nil); !reflect.DeepEqual(got, []remedy.Hint{{Option: remedy.HeaderRow, Value: "2"}}) {
		t.Errorf("title row, XLSX: %v", got)
	}
	rows, acc := readPath(t, path, ReadOptions{HeaderRow: 2})
	if len(rows) != 1 || rows[0].Line != 3 || rows[0].Cells[0] != "Ann" || acc != (Lines{Read: 3, Header: 1, Above: 1, Rows: 1}) {
		t.Errorf("--header-row 2, XLSX: %+v %+v", rows, acc)
	}
	csvPath := writeTemp(t, "title.csv", []byte("Cohort 2026: new hires,,\n\nFirst Name,Last Name,Email ID\nAnn,Lee,ann@example.com\n"))
	if got := SuggestHeader(csvPath, ReadOptions{}, nil); !reflect.DeepEqual(got, []remedy.Hint{{Option: remedy.HeaderRow, Value: "3"}}) {
		t.Errorf("title row, CSV: %v", got)
	}
	// Nothing looks like a header: no hint.
	if got := SuggestHeader(writeTemp(t, "x.csv", []byte("a,b\n1,2\n")), ReadOptions{}, nil); len(got) != 0 {
		t.Errorf("no header anywhere: %v", got)
	}
}

// A workbook cut short says so in words, never in the zip package's.
func TestDamagedWorkbook(t *testing.T) {
	path := workbook(t, map[string][][]any{"People": people}, "People")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{len(b) / 2, len(b) - 30, 100} {
		cut := writeTemp(t, "truncated.xlsx", b[:n])
		_, err := Open(cut, ReadOptions{})
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "the workbook is damaged or incomplete") || strings.Contains(err.Error(), "zip:") {
			t.Errorf("cut at %d of %d bytes: %v", n, len(b), err)
		}
	}
}

// A workbook's first visible sheet is read when none is named, never a
// hidden one; the sheets not read that hold values, and the hidden ones,
// are named in a note with the option to read another.
func TestTheFirstVisibleSheetIsRead(t *testing.T) {
	old := [][]any{{"First Name", "Last Name", "Email ID"}, {"Old", "Row", "old@example.com"}}
	path := workbook(t, map[string][][]any{"Archive": old, "People": people, "Notes": {{"Checked by HR"}}, "Empty": nil}, "Archive", "People", "Notes", "Empty")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f.SetActiveSheet(1)
	if err := f.SetSheetVisible("Archive", false); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	src, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	row, err := src.Next()
	if err != nil || row.Cells[0] != "Ann" {
		t.Fatalf("read %q, %v: want the People sheet's Ann", row.Cells, err)
	}
	want := `this read sheet "People"; the workbook has other sheets with values ("Notes"), not read; hidden sheet "Archive" not read: to read another, use the sheet option set to Notes`
	if got := SheetNote(src, nil); got != want {
		t.Errorf("note %q\nwant %q", got, want)
	}
	named, err := Open(path, ReadOptions{Sheet: "Archive"})
	if err != nil {
		t.Fatal(err)
	}
	defer named.Close()
	if row, err := named.Next(); err != nil || row.Cells[0] != "Old" {
		t.Errorf("the hidden sheet, named: %q %v", row.Cells, err)
	}
	one := workbook(t, map[string][][]any{"People": people}, "People")
	src1, _ := Open(one, ReadOptions{})
	defer src1.Close()
	if got := SheetNote(src1, nil); got != "" {
		t.Errorf("a workbook of one sheet: note %q", got)
	}
}

// A whole number whose cell format pads it with zeros (Excel's zip code,
// zip+4 and social security formats) is read as Excel shows it, with its
// leading zeros, and as text: nothing was lost to warn of. Other numbers
// are read as they are stored.
func TestZeroPaddedNumbersReadAsShown(t *testing.T) {
	for code, want := range map[string]string{
		"00000": "00000", `00000\-0000`: "00000-0000", "000-00-0000": "000-00-0000", `000"-"00`: "000-00",
		"0": "", "#,##0": "", "0.00": "", "00000;[Red]00000": "00000", "General": "", `"ID "0000`: "ID 0000", `"1"00`: "",
	} {
		if got := zeroPattern(code); got != want {
			t.Errorf("zeroPattern(%q) = %q, want %q", code, got, want)
		}
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Employee ID", "Zip Code/Postal Code", "Phone", "Job Title"})
	f.SetSheetRow("Sheet1", "A2", &[]any{123, 1056, 12345678, 7})
	f.SetSheetRow("Sheet1", "A3", &[]any{124, 123456, 1, 8})
	zip, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("00000")})
	ssn, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("000-00-0000")})
	f.SetCellStyle("Sheet1", "B2", "B3", zip)
	f.SetCellStyle("Sheet1", "C2", "C3", ssn)
	src := openBook(t, f)
	for _, want := range []struct {
		cells []string
		kinds []CellKind
	}{
		{[]string{"123", "01056", "012-34-5678", "7"}, []CellKind{CellNumber, CellText, CellText, CellNumber}},
		{[]string{"124", "123456", "000-00-0001", "8"}, []CellKind{CellNumber, CellNumber, CellText, CellNumber}}, // more digits than the format has: as stored
	} {
		row, err := src.Next()
		if err != nil || !slices.Equal(row.Cells, want.cells) || !slices.Equal(row.Kinds, want.kinds) {
			t.Errorf("row %q %v, %v; want %q %v", row.Cells, row.Kinds, err, want.cells, want.kinds)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// openBook saves a workbook made with excelize and opens it as a source,
// closed when the test ends.
func openBook(t *testing.T, f *excelize.File) Source {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	src, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// A formula cell with no value saved (a workbook written by a program
// that does not compute formulas) is not read as blank: its row cannot
// be read, and says why and what to do. One with its value saved reads
// as the value.
func TestFormulaWithoutItsValueIsNotBlank(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"First Name", "Last Name", "Email ID"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Ann", "Lee", "ann@example.com"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"Bo", "Ray"})
	f.SetCellFormula("Sheet1", "C3", `LOWER(A3)&"@example.com"`)
	src := openBook(t, f)
	if row, err := src.Next(); err != nil || row.Err != nil || row.Cells[2] != "ann@example.com" {
		t.Fatalf("row 2: %q %v %v", row.Cells, row.Err, err)
	}
	row, err := src.Next()
	if err != nil || !errors.Is(row.Err, ErrNoValue) || !strings.Contains(row.Err.Error(), `row 3, column C: the cell holds a formula (=LOWER(A3)&"@example.com") and no value saved`) {
		t.Errorf("row 3: %q %v %v", row.Cells, row.Err, err)
	}
}
