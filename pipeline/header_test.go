package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
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
