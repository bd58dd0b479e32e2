package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

func TestResolveHeaders(t *testing.T) {
	for _, tc := range []struct {
		kind   Kind
		header string
		want   string // field ID, "" for none
	}{
		{Users, "F001", "F001"},
		{Users, "f001", "F001"},
		{Users, "First Name", "F001"},
		{Users, "first_name", "F001"},
		{Users, "FirstName", "F001"},
		{Users, "first-name", "F001"},
		{Users, " Given Name ", "F001"},
		{Users, "Surname", "F003"},
		{Users, "E-mail", "F015"},
		{Users, "Email ID", "F015"},
		{Users, "e.mail", "F015"},
		{Users, "Employee Number", "F004"},
		{Users, "Manager Email", "F034"},
		{Users, "Zip Code/Postal Code", "F014"},
		{Users, "State/Province/Region (Non US or Candadian)", "F013"},
		{Users, "Time Zone", "F023"},
		{Users, "Dept", "F021"},
		{Users, "UserStatus", Status},
		{Users, "ID", UserID},
		{Users, "Groups", Groups},
		{Users, "Courses", Courses},
		{Users, "Favourite Colour", ""},
		{Enrollments, "Course ID", Course},
		{Enrollments, "course", Course},
		{Enrollments, "Course Name", CourseName},
		{Enrollments, "Session ID", Session},
		{Enrollments, "Email", "F015"},
		{Enrollments, "Action", Action},
		{Enrollments, "Score", ""},
		{Transcripts, "Completion Date", "CompletionDate"},
		{Transcripts, "completed_on", "CompletionDate"},
		{Transcripts, "Status", Status},
		{Transcripts, "Score", Score},
		{Transcripts, "Requirement Type", RequirementType},
	} {
		got := ""
		if i := Resolve(tc.kind, tc.header); i >= 0 {
			got = FieldsOf(tc.kind)[i].ID
		}
		if got != tc.want {
			t.Errorf("%s header %q → %q, want %q", tc.kind, tc.header, got, tc.want)
		}
	}
	// Every profile field is named by its code and by the document's name.
	for _, f := range FieldsOf(Users)[:31] {
		if Resolve(Users, f.ID) < 0 || Resolve(Users, f.Name) < 0 {
			t.Errorf("%s / %s does not resolve", f.ID, f.Name)
		}
	}
}

func headerErr(t *testing.T, err error) *HeaderError {
	t.Helper()
	var he *HeaderError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want a HeaderError", err)
	}
	return he
}

// flags words an option as the command line's flag of the same name.
func flags(h remedy.Hint) string { return strings.TrimSpace("--" + string(h.Option) + " " + h.Value) }

func TestHeaderErrors(t *testing.T) {
	_, err := New(Users, []string{"First Name", "Lst Name", "Emial", "Favourite Colour"}, nil, false)
	he := headerErr(t, err)
	if len(he.Problems) != 3 {
		t.Fatalf("problems %v", he.Problems)
	}
	if p := he.Problems[0]; p.Column != "Lst Name" || p.Index != 1 || !strings.Contains(p.Suggestion, "Last Name") {
		t.Errorf("typo: %+v", p)
	}
	if p := he.Problems[1]; !strings.Contains(p.Suggestion, "Email") {
		t.Errorf("typo: %+v", p)
	}
	if msg := remedy.Render(err, flags); !strings.Contains(msg, `column 2 "Lst Name"`) || !strings.Contains(msg, "--ignore-unknown") {
		t.Errorf("message %q", msg)
	}
	_, err = New(Users, []string{"Email", "E-mail"}, nil, false)
	he = headerErr(t, err)
	if len(he.Problems) != 1 || !strings.Contains(he.Problems[0].Detail, `column 1 "Email"`) || he.Problems[0].Column != "E-mail" {
		t.Errorf("two columns for one field: %+v", he.Problems)
	}
	_, err = New(Users, []string{"First Name", ""}, nil, false)
	if he = headerErr(t, err); !strings.Contains(he.Problems[0].Detail, "no header") {
		t.Errorf("blank header: %+v", he.Problems)
	}
	m, err := New(Users, []string{"First Name", "Favourite Colour", "", "Registration Date"}, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Notes) != 3 || m.ColumnOf("F032") != -1 {
		t.Errorf("ignored columns: notes %q", m.Notes)
	}
}

func TestMapWithSpec(t *testing.T) {
	spec := &Spec{
		Columns:   map[string]string{"Work Email": "F015", "emp #": "Employee ID"},
		Ignore:    []string{"Notes"},
		Values:    map[string]map[string]string{"Country": {"USA": "US"}, "Status": {"Y": "active"}},
		Defaults:  map[string]string{"User Language": "English"},
		Constants: map[string]string{"Region": "North America"},
	}
	m, err := New(Users, []string{"First Name", "WORK EMAIL", "Emp #", "Country", "Status", "Notes", "User Language"}, spec, false)
	if err != nil {
		t.Fatal(err)
	}
	rec := m.NewRecord()
	m.Map([]string{"Ana", "ana@example.com", "007", " usa ", "y", "ignored", ""}, rec)
	get := func(id string) (string, bool) { i := m.Index(id); return rec.Values[i], rec.Given[i] }
	for id, want := range map[string]string{"F001": "Ana", "F015": "ana@example.com", "F004": "007", "F011": "US", Status: "active", "F006": "English", "F019": "North America"} {
		if v, given := get(id); v != want || !given {
			t.Errorf("%s = %q (given %v), want %q", id, v, given, want)
		}
	}
	if _, given := get("F003"); given {
		t.Error("a field with no column, default or constant is given")
	}
	if m.Column("F015") != "WORK EMAIL" || m.Column("F019") != "Region" {
		t.Errorf("column names %q %q", m.Column("F015"), m.Column("F019"))
	}
	m.Map([]string{"Bo", "", "", "Canada", "", "", "French"}, rec)
	if v, _ := get("F006"); v != "French" {
		t.Errorf("a default replaced a value: %q", v)
	}
	if v, given := get("F015"); v != "" || !given {
		t.Errorf("a blank cell in a given column: %q %v", v, given)
	}

	for name, bad := range map[string]*Spec{
		"rename to nothing":   {Columns: map[string]string{"Work Email": "Mail Box"}},
		"values of nothing":   {Values: map[string]map[string]string{"Shoe Size": {"a": "b"}}},
		"constant and column": {Constants: map[string]string{"First Name": "X"}},
	} {
		if _, err := New(Users, []string{"First Name", "Work Email"}, bad, false); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestUnneutralize(t *testing.T) {
	m, _ := New(Users, []string{"Job Title", "Phone"}, nil, false)
	rec := m.NewRecord()
	m.Map([]string{"'=SUM(A1)", "'-5"}, rec)
	if rec.Values[m.Index("F007")] != "=SUM(A1)" || rec.Values[m.Index("F017")] != "-5" {
		t.Errorf("%q", rec.Values)
	}
	m.Map([]string{"'quoted'", "O'Neil"}, rec)
	if rec.Values[m.Index("F007")] != "'quoted'" {
		t.Error("an apostrophe before a letter is the user's own")
	}
}

func TestInfer(t *testing.T) {
	for _, tc := range []struct {
		header []string
		want   Kind
	}{
		{[]string{"First Name", "Last Name", "Email", "Region"}, Users},
		{[]string{"ID", "UserStatus", "F001", "F003"}, Users},
		{[]string{"Email", "Course ID"}, Enrollments},
		{[]string{"Employee ID", "Curriculum", "Action"}, Enrollments},
		{[]string{"Email", "Course ID", "Status", "Score"}, Transcripts},
		{[]string{"User ID", "Course", "Completion Date"}, Transcripts},
	} {
		if got := Infer(tc.header, nil); got != tc.want {
			t.Errorf("Infer(%q) = %s, want %s", tc.header, got, tc.want)
		}
	}
	if got := Infer([]string{"Email"}, &Spec{Kind: "transcripts"}); got != Transcripts {
		t.Errorf("the mapping file's kind: %s", got)
	}
}

func TestLoadSpec(t *testing.T) {
	s, err := LoadSpec("../templates/mapping.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Users, []string{"First Name", "Last Name", "Work Email", "Emp #", "Cost Centre", "Division", "Country", "Status", "Notes"}, s, false); err != nil {
		t.Errorf("the example mapping file does not fit its example header: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"colums": {}}`), 0o644)
	if _, err := LoadSpec(bad); err == nil || !strings.Contains(err.Error(), "colums") {
		t.Errorf("a misspelt key: %v", err)
	}
}
