package report

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"testing"
)

// TestResultCSVReadsBack: what ResultCSV writes, encoding/csv reads as the
// same fields, neutralized.
func TestResultCSVReadsBack(t *testing.T) {
	var buf bytes.Buffer
	w := NewResultCSV(&buf)
	rows := []Result{
		{Row: 2, Key: "ana@example.com", Outcome: "created", ID: "600001", Actions: "create; groups: Sales"},
		{Row: 3, Key: `a,"b"`, Outcome: "invalid", Message: "line one\nline two"},
		{Row: 4, Key: "=HYPERLINK(\"x\")", Outcome: "failed", Message: " leading space"},
		{Row: 5, Key: "@home", Outcome: "failed", Message: "-5 is not a score"},
	}
	for _, r := range rows {
		w.Write(r)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		ResultColumns,
		{"2", "ana@example.com", "created", "600001", "create; groups: Sales", ""},
		{"3", `a,"b"`, "invalid", "", "", "line one\nline two"},
		{"4", "'=HYPERLINK(\"x\")", "failed", "", "", " leading space"},
		{"5", "'@home", "failed", "", "", "'-5 is not a score"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%q\nwant\n%q", got, want)
	}
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"plain": "plain", "": "", "'quoted": "'quoted", "a=b": "a=b",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorCSVKeepsEverything(t *testing.T) {
	var buf bytes.Buffer
	e, _ := NewErrorCSV(&buf, []string{"First Name", "Password", "Email"}, 1)
	e.Write([]string{"Ana", "s3cret-pass", "ana@example.com", "stray"}, 3, "ragged")
	e.Close()
	got, _ := csv.NewReader(&buf).ReadAll()
	if len(got) != 2 || got[1][1] != "" || got[1][3] != "ragged; the row's cells beyond the last column were: stray" {
		t.Errorf("errors sheet %q", got)
	}
	if bytes.Contains(buf.Bytes(), []byte("s3cret")) {
		t.Error("the password was written")
	}
}

// TestLinesQuoteAsEncodingCSV: the sheets' own CSV lines are byte for byte
// what encoding/csv's Writer writes, for the fields that need quotes and
// those that nearly do.
func TestLinesQuoteAsEncodingCSV(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, "two\nlines", "cr\rhere", "crlf\r\nend", " lead", "\tlead", "\vlead",
		"\flead", "\u00a0nbsp", "\u0085nel", "\u2003em", "trail ", `\.`, `\.x`, `x\.`, "'quoted", "é", "\xff\xfe", "日本", ";semi"}
	var ours bytes.Buffer
	l := lines{w: &ours}
	var std bytes.Buffer
	cw := csv.NewWriter(&std)
	for i := range fields {
		rec := append([]string{fields[i]}, fields[:i]...)
		l.record(rec)
		cw.Write(rec)
	}
	cw.Flush()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if ours.String() != std.String() {
		t.Errorf("lines wrote\n%q\nencoding/csv\n%q", ours.String(), std.String())
	}
}

func FuzzLinesQuoteAsEncodingCSV(f *testing.F) {
	for _, s := range []string{"", "a,b", "\"", " x", "\u00a0", `\.`, "\r\n"} {
		f.Add(s, "next")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var ours, std bytes.Buffer
		l := lines{w: &ours}
		l.record([]string{a, b})
		l.Close()
		cw := csv.NewWriter(&std)
		cw.Write([]string{a, b})
		cw.Flush()
		if ours.String() != std.String() {
			t.Errorf("%q %q: lines %q, encoding/csv %q", a, b, ours.String(), std.String())
		}
	})
}
