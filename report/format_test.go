package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestOutputFormat(t *testing.T) {
	t.Parallel()
	both, xlsx := []string{"csv", "xlsx"}, []string{"xlsx"}
	for _, tc := range []struct {
		output, format string
		formats        []string
		want           string
		problem        error
		text           string // the error as the command line words it
	}{
		{output: "-", formats: both, want: "csv"},
		{output: "", formats: both, want: "csv"},
		{output: "u.XLSX", formats: both, want: "xlsx"},
		{output: "u.csv", format: " CSV ", formats: both, want: "csv"},
		{output: "u.txt", format: "csv", formats: both, want: "csv"},
		{output: "c.xlsx", formats: xlsx, want: "xlsx"},
		{output: "u.csv", format: "pdf", formats: both, problem: ErrFormat, text: `--format "pdf": give csv or xlsx`},
		{output: "c.xlsx", format: "csv", formats: xlsx, problem: ErrFormat, text: `--format "csv": the report is XLSX only`},
		{output: "u.pdf", formats: both, problem: ErrExtension,
			text: "-o u.pdf: the format follows the file name; give a name ending in .csv or .xlsx, or say --format csv or --format xlsx"},
		{output: "c.html", formats: xlsx, problem: ErrExtension, text: "-o c.html: the report is XLSX only; give a file name ending in .xlsx"},
		{output: "u.xlsx", format: "csv", formats: both, problem: ErrContradiction,
			text: "-o u.xlsx is the name of an XLSX file, but --format is csv; give one or the other"},
		{output: "-", format: "xlsx", formats: both, problem: ErrStdout, text: "XLSX cannot go to standard output; give -o FILE.xlsx"},
	} {
		got, err := OutputFormat("the report", tc.output, tc.format, tc.formats)
		if tc.problem == nil {
			if err != nil || got != tc.want {
				t.Errorf("OutputFormat(%q, %q, %q) = %q, %v; want %q", tc.output, tc.format, tc.formats, got, err, tc.want)
			}
			continue
		}
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, tc.problem) || !fe.Usage() {
			t.Errorf("OutputFormat(%q, %q, %q): %v, want %v", tc.output, tc.format, tc.formats, err, tc.problem)
			continue
		}
		if s := fe.Text("--format", "-o"); s != tc.text {
			t.Errorf("Text = %q\n  want %q", s, tc.text)
		}
		if strings.Contains(err.Error(), "--") || strings.Contains(err.Error(), "-o ") {
			t.Errorf("Error() %q names a flag", err)
		}
	}
}

type countTo int

func (n countTo) rows(w RowWriter) error {
	if err := w.Write([]string{"n", "id"}); err != nil {
		return err
	}
	for i := range int(n) {
		if err := w.Write([]string{strings.Repeat("x", i), "00123"}); err != nil {
			return err
		}
	}
	return nil
}

// TestWriteRows writes the same rows as CSV and XLSX and reads both
// back the same, an ID with leading zeros as text.
func TestWriteRows(t *testing.T) {
	t.Parallel()
	var c, x bytes.Buffer
	if err := WriteRows(&c, "csv", "Users", countTo(3).rows); err != nil {
		t.Fatal(err)
	}
	if err := WriteRows(&x, "xlsx", "Users", countTo(3).rows); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fromXLSX, err := f.GetRows("Users")
	if err != nil {
		t.Fatal(err)
	}
	if len(fromCSV) != 4 || len(fromXLSX) != 4 {
		t.Fatalf("%d CSV rows, %d XLSX rows; want 4", len(fromCSV), len(fromXLSX))
	}
	for i := range fromCSV {
		if strings.Join(fromCSV[i], "|") != strings.Join(fromXLSX[i], "|") {
			t.Errorf("row %d: CSV %q, XLSX %q", i+1, fromCSV[i], fromXLSX[i])
		}
	}
	if fromXLSX[1][1] != "00123" {
		t.Errorf("the ID reads %q from the workbook", fromXLSX[1][1])
	}
	stop := errors.New("stop")
	if err := WriteRows(&x, "xlsx", "Users", func(RowWriter) error { return stop }); err != stop {
		t.Errorf("the rows' error: %v", err)
	}
}

// TestWriteFormat: the format is settled before anything is written (a
// refused one leaves no file), then the data goes to the file or to
// standard output in it.
func TestWriteFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	both := []string{"csv", XLSX}
	write := func(w io.Writer, format string) error { _, err := io.WriteString(w, format); return err }
	pdf := filepath.Join(dir, "u.pdf")
	var fe *FormatError
	if err := WriteFormat("the rows", pdf, "", both, nil, write); !errors.As(err, &fe) || fe.Problem != ErrExtension {
		t.Errorf("u.pdf: %v, want ErrExtension", err)
	}
	if _, err := os.Stat(pdf); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("u.pdf was made (%v)", err)
	}
	path := filepath.Join(dir, "u.xlsx")
	if err := WriteFormat("the rows", path, "", both, nil, write); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "xlsx" {
		t.Errorf("u.xlsx holds %q (%v), want what write wrote as xlsx", b, err)
	}
	var out bytes.Buffer
	if err := WriteFormat("the rows", "-", "", both, &out, write); err != nil || out.String() != "csv" {
		t.Errorf("standard output %q (%v), want csv", out.String(), err)
	}
}

func TestSheetName(t *testing.T) {
	t.Parallel()
	for kind, want := range map[string]string{"users": "Users", "transcripts": "Transcripts", "": ""} {
		if got := SheetName(kind); got != want {
			t.Errorf("SheetName(%q) = %q, want %q", kind, got, want)
		}
	}
}
