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
