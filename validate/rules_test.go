package validate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCheckValue(t *testing.T) {
	ldap := DefaultSettings()
	ldap.LDAP = true
	connect := DefaultSettings()
	connect.ILMSConnect = true
	englishOnly := DefaultSettings()
	englishOnly.Languages = []string{"English"}
	def := DefaultSettings()
	for _, tc := range []struct {
		name     string
		code     string
		value    string
		s        Settings
		want     string // the value to send, when no error
		rule     error  // nil: no problem at all
		severity Severity
		suggest  string
	}{
		{"first name", "F001", "John", def, "John", nil, 0, ""},
		{"first name too long", "F001", strings.Repeat("a", 201), def, "", ErrTooLong, Error, ""},
		{"first name at the limit", "F001", strings.Repeat("é", 200), def, strings.Repeat("é", 200), nil, 0, ""},
		{"first name restricted", "F001", "Jo<hn", def, "", ErrRestricted, Error, ""},
		{"first name percent", "F001", "50%", def, "", ErrRestricted, Error, ""},
		{"first name ampersand warns", "F001", "Jo&hn", def, "Jo&hn", ErrFunctional, Warning, ""},
		{"ampersand with iLMS Connect", "F001", "Jo&hn", connect, "Jo&hn", nil, 0, ""},
		{"middle name ampersand is fine", "F002", "A&B", def, "A&B", nil, 0, ""},
		{"middle name too long", "F002", strings.Repeat("m", 101), def, "", ErrTooLong, Error, ""},
		{"employee id hash warns", "F004", "#12", def, "#12", ErrFunctional, Warning, ""},
		{"employee id semicolon", "F004", "E;1", def, "", ErrRestricted, Error, ""},
		{"hire date ISO", "F005", "2024-03-04", def, "2024-03-04T00:00:00", nil, 0, ""},
		{"hire date API form", "F005", "2024-03-04T09:30:00", def, "2024-03-04T09:30:00", nil, 0, ""},
		{"hire date ambiguous", "F005", "03/04/2024", def, "", ErrAmbiguousDate, Error, ""},
		{"hire date one reading", "F005", "25/04/2024", def, "2024-04-25T00:00:00", nil, 0, ""},
		{"hire date Excel serial", "F005", "45355", def, "2024-03-04T00:00:00", nil, 0, ""},
		{"hire date impossible", "F005", "2024-02-30", def, "", ErrDate, Error, ""},
		{"language by name any case", "F006", "english", def, "English", nil, 0, ""},
		{"language by code", "F006", "es-US", def, "Latin American Spanish", nil, 0, ""},
		{"language shared code", "F006", "PT", def, "", ErrAmbiguous, Error, ""},
		{"language unknown", "F006", "Englsh", def, "", ErrNotInTable, Error, "English"},
		{"language not enabled", "F006", "French", englishOnly, "", ErrNotEnabled, Error, ""},
		{"language restricted colon", "F006", "Eng:lish", def, "", ErrRestricted, Error, ""},
		{"job title 50 max", "F007", strings.Repeat("j", 51), def, "", ErrTooLong, Error, ""},
		{"address plus", "F008", "1+2 Main St", def, "", ErrRestricted, Error, ""},
		{"country code any case", "F011", "us", def, "US", nil, 0, ""},
		{"country name any case", "F011", "united states", def, "United States", nil, 0, ""},
		{"country Ethiopia EI", "F011", "EI", def, "EI", nil, 0, ""},
		{"country typo", "F011", "Untied States", def, "", ErrNotInTable, Error, "United States"},
		{"US state code", "F012", "tx", def, "TX", nil, 0, ""},
		{"province Quebec PQ", "F012", "PQ", def, "PQ", nil, 0, ""},
		{"province QC is not in the table", "F012", "QC", def, "", ErrNotInTable, Error, ""},
		{"state unknown", "F012", "Narnia", def, "", ErrNotInTable, Error, ""},
		{"zip", "F014", "00501", def, "00501", nil, 0, ""},
		{"email", "F015", "john.doe@email.com", def, "john.doe@email.com", nil, 0, ""},
		{"email no dot", "F015", "john@email", def, "", ErrEmail, Error, ""},
		{"email space", "F015", "john doe@email.com", def, "", ErrEmail, Error, ""},
		{"email too long", "F015", strings.Repeat("a", 190) + "@example.com", def, "", ErrTooLong, Error, ""},
		{"email LDAP dot first", "F015", ".john@email.com", ldap, "", ErrLDAPFirst, Error, ""},
		{"email LDAP underscore first", "F015", "_john@email.com", ldap, "", ErrLDAPFirst, Error, ""},
		{"email underscore without LDAP", "F015", "_john@email.com", def, "_john@email.com", nil, 0, ""},
		{"email LDAP colon is F034's, not F015's", "F015", "john:x@email.com", ldap, "", ErrEmail, Error, ""},
		{"password too short", "F016", "abc", def, "", ErrTooShort, Error, ""},
		{"password too long", "F016", strings.Repeat("p", 21), def, "", ErrTooLong, Error, ""},
		{"password restricted", "F016", "pa<ss1234", def, "", ErrRestricted, Error, ""},
		{"phone plus", "F017", "+1 555 0100", def, "", ErrRestricted, Error, ""},
		{"fax", "F018", "(210) 555-0100", def, "(210) 555-0100", nil, 0, ""},
		{"region colon", "F019", "Sales: East", def, "", ErrRestricted, Error, ""},
		{"region backslash", "F019", `A\B`, def, "", ErrRestricted, Error, ""},
		{"division question mark", "F020", "Ops?", def, "", ErrRestricted, Error, ""},
		{"department R&D warns", "F021", "R&D", def, "R&D", ErrFunctional, Warning, ""},
		{"department too long", "F021", strings.Repeat("d", 101), def, "", ErrTooLong, Error, ""},
		{"company ampersand fine", "F022", "Smith & Sons", def, "Smith & Sons", nil, 0, ""},
		{"time zone colon form", "F023", "(GMT-06:00) Central Time (US & Canada)", def, "(GMT-06.00) Central Time (US & Canada)", nil, 0, ""},
		{"time zone dot form", "F023", "(GMT-06.00) Central Time (US & Canada)", def, "(GMT-06.00) Central Time (US & Canada)", nil, 0, ""},
		{"time zone loose", "F023", "Pacific Time", def, "", ErrNotInTable, Error, "(GMT-08.00) Pacific Time (US & Canada)"},
		{"time zone short name shared", "F023", "CST", def, "", ErrAmbiguous, Error, ""},
		{"custom field restricted", "F026", "a;b", def, "", ErrRestricted, Error, ""},
		{"registration type read only", "F031", "API", def, "", ErrReadOnly, Error, ""},
		{"registration date read only", "F032", "2024-01-01", def, "", ErrReadOnly, Error, ""},
		{"supervisor name 500", "F033", strings.Repeat("s", 501), def, "", ErrTooLong, Error, ""},
		{"supervisor email LDAP colon first", "F034", ":boss@email.com", ldap, "", ErrLDAPFirst, Error, ""},
		{"supervisor email LDAP dot is F015's only", "F034", ".boss@email.com", ldap, "", ErrEmail, Error, ""},
		{"unknown code", "F099", "x", def, "", ErrUnknownField, Error, ""},
		{"empty is fine here", "F001", "", def, "", nil, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ps := CheckValue(tc.code, tc.value, tc.s)
			if tc.rule == nil {
				if len(ps) > 0 {
					t.Fatalf("problems %v, want none", ps)
				}
				if got != tc.want {
					t.Errorf("sends %q, want %q", got, tc.want)
				}
				return
			}
			var hit *Problem
			for _, p := range ps {
				if errors.Is(p, tc.rule) {
					hit = p
				}
			}
			if hit == nil {
				t.Fatalf("problems %v, want one for %v", ps, tc.rule)
			}
			if hit.Severity != tc.severity {
				t.Errorf("severity %v, want %v", hit.Severity, tc.severity)
			}
			if hit.Suggestion != tc.suggest {
				t.Errorf("suggestion %q, want %q", hit.Suggestion, tc.suggest)
			}
			if tc.code == "F016" && strings.Contains(hit.Error(), tc.value) {
				t.Errorf("a password problem shows the password: %s", hit.Error())
			}
			if tc.severity == Warning && got != tc.want {
				t.Errorf("a warning changed the value to %q", got)
			}
		})
	}
}

func row(pairs ...string) ([]string, []bool) {
	values := make([]string, len(Fields))
	given := make([]bool, len(Fields))
	for i := 0; i < len(pairs); i += 2 {
		j := FieldIndex(pairs[i])
		values[j], given[j] = pairs[i+1], true
	}
	return values, given
}

func TestUserChecker(t *testing.T) {
	c := NewUserChecker(DefaultSettings())
	full := []string{"F001", "Ana", "F003", "Silva", "F019", "Region 1", "F020", "Division 1", "F021", "Department 1"}
	rules := func(ps Problems) []error {
		var out []error
		for _, p := range ps {
			out = append(out, p.Rule)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		pairs  []string
		create bool
		want   []error
	}{
		{"complete new user", full, true, nil},
		{"new user without region", []string{"F001", "Ana", "F003", "Silva", "F020", "D", "F021", "D"}, true, []error{ErrRequired}},
		{"new user blank last name", []string{"F001", "Ana", "F003", " ", "F019", "R", "F020", "D", "F021", "D"}, true, []error{ErrRequired}},
		{"update without required columns", []string{"F015", "ana@example.com", "F007", "Analyst"}, false, nil},
		{"update blank required cell means no change", []string{"F001", ""}, false, nil},
		{"clear a required field", []string{"F001", ClearToken}, false, []error{ErrRequired}},
		{"clear an optional field", []string{"F007", ClearToken}, false, nil},
		{"US with a province", append(append([]string{}, full...), "F011", "US", "F012", "Ontario"), true, []error{ErrStateCountry}},
		{"Canada with a province code", append(append([]string{}, full...), "F011", "Canada", "F012", "PQ"), true, nil},
		{"Canada with a US state", append(append([]string{}, full...), "F011", "CA", "F012", "Texas"), true, []error{ErrStateCountry}},
		{"US with F013", append(append([]string{}, full...), "F011", "United States", "F013", "Bexar County"), true, []error{ErrStateCountry}},
		{"Germany with F013", append(append([]string{}, full...), "F011", "Germany", "F013", "Bavaria"), true, nil},
		{"unknown country: no cross check", append(append([]string{}, full...), "F011", "Atlantis", "F012", "Texas"), true, []error{ErrNotInTable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			values, given := row(tc.pairs...)
			got := rules(c.Check(values, given, tc.create))
			if len(got) != len(tc.want) {
				t.Fatalf("rules %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("rule %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
	// Germany with a US state is a warning, not an error.
	values, given := row(append(append([]string{}, full...), "F011", "Germany", "F012", "Texas")...)
	ps := c.Check(values, given, true)
	if len(ps) != 1 || ps[0].Severity != Warning {
		t.Errorf("Germany + Texas: %v, want one warning", ps)
	}
	// Required fields from the settings.
	s := DefaultSettings()
	s.RequiredFields = []string{"F015", "F004"}
	c2 := NewUserChecker(s)
	values, given = row(full...)
	if ps := c2.Check(values, given, true); len(ps) != 2 || !errors.Is(ps[0], ErrRequired) {
		t.Errorf("settings-required fields missing: %v", ps)
	}
	// Values are rewritten in the form to send.
	values, given = row(append(append([]string{}, full...), "F011", "united states", "F023", "(GMT-06:00) Central Time (US & Canada)", "F006", "es-us")...)
	if ps := c.Check(values, given, true); len(ps) != 0 {
		t.Fatal(ps)
	}
	if values[FieldIndex("F011")] != "United States" || values[FieldIndex("F023")] != "(GMT-06.00) Central Time (US & Canada)" || values[FieldIndex("F006")] != "Latin American Spanish" {
		t.Errorf("normalised values: %q %q %q", values[FieldIndex("F011")], values[FieldIndex("F023")], values[FieldIndex("F006")])
	}
}

func TestCheckTranscript(t *testing.T) {
	d := func(start, done string) [NumTranscriptDates]string {
		var a [NumTranscriptDates]string
		a[StartDate], a[CompletionDate] = start, done
		return a
	}
	for _, tc := range []struct {
		name string
		in   Transcript
		want []error
	}{
		{"pass with score and dates", Transcript{Status: "Pass", Score: "90", Dates: d("2024-01-02", "2024-01-03")}, nil},
		{"status synonyms", Transcript{Status: "passed"}, nil},
		{"unknown status", Transcript{Status: "completed"}, []error{ErrInvalid}},
		{"score out of range", Transcript{Status: "pass", Score: "101"}, []error{ErrInvalid}},
		{"score not a number", Transcript{Status: "pass", Score: "A+"}, []error{ErrInvalid}},
		{"score with percent", Transcript{Status: "fail", Score: "45%"}, nil},
		{"score with waived", Transcript{Status: "waived", Score: "80"}, []error{ErrConflict}},
		{"score with not started", Transcript{Status: "not started", Score: "0"}, []error{ErrConflict}},
		{"score without status is checked later", Transcript{Score: "80"}, nil},
		{"start date with not started", Transcript{Status: "Not Started", Dates: d("2024-01-02", "")}, []error{ErrConflict}},
		{"completion with waived", Transcript{Status: "waived", Dates: d("", "2024-01-02")}, []error{ErrConflict}},
		{"completion before start", Transcript{Status: "pass", Dates: d("2024-02-02", "2024-01-02")}, []error{ErrConflict}},
		{"requirement type", Transcript{RequirementType: "Optional"}, nil},
		{"bad requirement type", Transcript{RequirementType: "required"}, []error{ErrInvalid}},
		{"ambiguous date", Transcript{Status: "pass", Dates: d("", "03/04/2024")}, []error{ErrAmbiguousDate}},
		{"clear the due date", Transcript{Dates: [NumTranscriptDates]string{DueDate: ClearToken}}, nil},
		{"clear the start date", Transcript{Dates: [NumTranscriptDates]string{StartDate: ClearToken}}, []error{ErrInvalid}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := tc.in
			ps := CheckTranscript(&tr, "")
			var got []error
			for _, p := range ps.Errors() {
				got = append(got, p.Rule)
			}
			if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
				t.Errorf("rules %v, want %v (%v)", got, tc.want, ps)
			}
		})
	}
	tr := Transcript{Status: "PASSED", Score: "85.0", RequirementType: "MANDATORY", Dates: d("2024-01-02", "2024-01-03T10:00:00")}
	if ps := CheckTranscript(&tr, ""); len(ps) != 0 {
		t.Fatal(ps)
	}
	if tr.Status != "pass" || tr.Score != "85" || tr.RequirementType != "mandatory" || tr.Dates[StartDate] != "2024-01-02T00:00:00" {
		t.Errorf("normalised %+v", tr)
	}
	tr = Transcript{Status: "pass", Dates: d("", "04/03/2024")}
	if ps := CheckTranscript(&tr, "dd/MM/yyyy"); len(ps) != 0 || tr.Dates[CompletionDate] != "2024-03-04T00:00:00" {
		t.Errorf("with --date-format: %v %q", ps, tr.Dates[CompletionDate])
	}
}

func TestCheckTarget(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Target
		want []error
	}{
		{"email and course", Target{Email: "a@example.com", Course: "p1gyJg4a"}, nil},
		{"user ID and curriculum", Target{UserID: "517244", Curriculum: "dHg6Kdl8"}, nil},
		{"course and session", Target{EmployeeID: "E1", Course: "pyOgaoli", Session: "4855"}, nil},
		{"no user", Target{Course: "x"}, []error{ErrRequired}},
		{"no target", Target{Email: "a@example.com"}, []error{ErrRequired}},
		{"two targets", Target{Email: "a@example.com", Course: "x", Curriculum: "y"}, []error{ErrConflict}},
		{"session without course", Target{Email: "a@example.com", Curriculum: "y", Session: "12"}, []error{ErrConflict}},
		{"session not a number", Target{Email: "a@example.com", Course: "x", Session: "S12"}, []error{ErrInvalid}},
		{"user ID not a number", Target{UserID: "abc", Course: "x"}, []error{ErrInvalid}},
		{"bad email", Target{Email: "a@", Course: "x"}, []error{ErrEmail}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			var got []error
			for _, p := range CheckTarget(&in) {
				got = append(got, p.Rule)
			}
			if len(got) != len(tc.want) || len(got) > 0 && got[0] != tc.want[0] {
				t.Errorf("rules %v, want %v", got, tc.want)
			}
		})
	}
	for in, want := range map[string]string{"": ActionEnroll, "Enroll": ActionEnroll, "UNENROLL": ActionUnenroll, "un-enroll": ActionUnenroll, "remove": ActionUnenroll} {
		if got, ok := EnrollmentAction(in); !ok || got != want {
			t.Errorf("EnrollmentAction(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := EnrollmentAction("maybe"); ok {
		t.Error("maybe is an action")
	}
}

func TestDuplicates(t *testing.T) {
	d := NewDuplicates()
	if d.Seen('e', "Ana@Example.com", 2) != 0 || d.Seen('i', "ana@example.com", 3) != 0 {
		t.Fatal("first sightings reported as duplicates")
	}
	if got := d.Seen('e', " ana@EXAMPLE.com ", 9); got != 2 {
		t.Errorf("case-insensitive duplicate: first row %d, want 2", got)
	}
	if got := d.Seen('e', "Zoë@example.com", 10); got != 0 {
		t.Error("new key reported")
	}
	if got := d.Seen('e', "ZOË@example.com", 11); got != 10 {
		t.Errorf("non-ASCII case folding: %d, want 10", got)
	}
	if d.Seen('e', "", 12) != 0 || d.Seen('e', "", 13) != 0 {
		t.Error("blank keys are never duplicates")
	}
}

// Every key keeps its first row through the table's growth and through
// a reserved table taken up, whether Touch or growth finds it ready, or
// the table outgrew it meanwhile.
func TestDuplicatesThroughGrowthAndReserve(t *testing.T) {
	for _, touch := range []bool{true, false} {
		d := NewDuplicates()
		const keys = 30000
		for i := range keys {
			switch i {
			case 3000:
				d.Reserve(keys)
				ready := <-d.ready
				d.ready <- ready // ready before the next growth or Touch
				if touch {
					d.Touch([]uint64{KeyHash('e', "k0")})
					if d.ready != nil || len(d.slots) != len(ready) {
						t.Fatal("Touch did not take up the table made ready")
					}
				}
			case 20000:
				d.Reserve(keys / 2) // smaller than the table: nothing to do
				d.Reserve(4 * keys) // made while the table may grow past it
			}
			if got := d.Seen('e', fmt.Sprintf("k%d", i), i+2); got != 0 {
				t.Fatalf("touch %v: k%d, new, is a duplicate of row %d", touch, i, got)
			}
		}
		// The first reserved table, not one grown to: growth doubles from
		// 4096 slots, and the second (larger) table is never taken up, no
		// Touch or growth coming after it.
		if len(d.slots) != keys*5/4 {
			t.Fatalf("touch %v: the table has %d slots, want the %d reserved", touch, len(d.slots), keys*5/4)
		}
		for i := range keys {
			if got := d.Seen('e', fmt.Sprintf("K%d", i), keys+i+2); got != i+2 {
				t.Fatalf("touch %v: K%d is a duplicate of row %d, want %d", touch, i, got, i+2)
			}
		}
	}
}

func TestParseDate(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in, layout string
		want       time.Time
		ambiguous  bool
		bad        bool
	}{
		{in: "2024-03-04", want: day(2024, 3, 4)},
		{in: "2024-03-04T13:14:15", want: time.Date(2024, 3, 4, 13, 14, 15, 0, time.UTC)},
		{in: "2024-03-04T13:14:15.22", want: time.Date(2024, 3, 4, 13, 14, 15, 220_000_000, time.UTC)},
		{in: "2024-03-04T07:14:15-06:00", want: time.Date(2024, 3, 4, 13, 14, 15, 0, time.UTC)},
		{in: "2024/03/04", want: day(2024, 3, 4)},
		{in: "45355", want: day(2024, 3, 4)},
		{in: "13/04/2024", want: day(2024, 4, 13)},
		{in: "04/13/2024", want: day(2024, 4, 13)},
		{in: "05.05.2024", want: day(2024, 5, 5)},
		{in: "03/04/2024", ambiguous: true},
		{in: "03-04-2024", ambiguous: true},
		{in: "31/31/2024", bad: true},
		{in: "12", bad: true},
		{in: "yesterday", bad: true},
		{in: "03/04/2024", layout: "dd/MM/yyyy", want: day(2024, 4, 3)},
		{in: "03/04/2024", layout: "MM/dd/yyyy", want: day(2024, 3, 4)},
		{in: "4 Mar 2024", layout: "d MMM yyyy", want: day(2024, 3, 4)},
		{in: "2024-03-04", layout: "dd/MM/yyyy", want: day(2024, 3, 4)},
		{in: "2024/13/04", layout: "dd/MM/yyyy", bad: true},
		{in: "03/04/2024", layout: "02/01/2006", want: day(2024, 4, 3)},
	} {
		got, err := ParseDate(tc.in, tc.layout)
		var de *DateError
		switch {
		case tc.ambiguous:
			if !errors.As(err, &de) || !de.Ambiguous {
				t.Errorf("ParseDate(%q) = %v, %v; want ambiguous", tc.in, got, err)
			}
		case tc.bad:
			if err == nil {
				t.Errorf("ParseDate(%q, %q) = %v, want an error", tc.in, tc.layout, got)
			}
		case err != nil || !got.Equal(tc.want):
			t.Errorf("ParseDate(%q, %q) = %v, %v; want %v", tc.in, tc.layout, got, err, tc.want)
		}
	}
}

func TestSettings(t *testing.T) {
	s := DefaultSettings()
	if !s.IsRequired("F001") || s.IsRequired("F015") || !s.LanguageEnabled("French") {
		t.Error("defaults")
	}
	for _, bad := range []Settings{
		{RequiredFields: []string{"F099"}},
		{RequiredFields: []string{"F031"}},
		{PasswordMinLength: 10, PasswordMaxLength: 8},
		{Languages: []string{"Klingon"}},
	} {
		if err := bad.Check(); err == nil {
			t.Errorf("%+v passed Check", bad)
		}
	}
	if _, err := LoadSettings("../templates/settings.example.json"); err != nil {
		t.Errorf("the example settings file: %v", err)
	}
}

// TestACheckOnlyJudgesDatesAlike: a validation leaves an ISO date as it is
// written (nothing is sent), and finds exactly the problems an import's
// check finds, for every shape of date.
func TestACheckOnlyJudgesDatesAlike(t *testing.T) {
	t.Parallel()
	hire := slices.IndexFunc(Fields, func(f Field) bool { return f.Code == "F005" })
	given := make([]bool, len(Fields))
	given[hire] = true
	for _, v := range []string{"2024-02-29", "2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "0000-01-01",
		"2024-01-15T08:30:00", "2024-01-15T24:00:00", "2024-01-15T23:60:00", "2024-01-15 08:30:00", "2024-1-15",
		"2024-01-15T08:30", "03/04/2024", "25/12/2023", "2024/01/15", "45000", "yesterday", "2024-01-1x", " 2024-01-15 "} {
		sent, checked := NewUserChecker(DefaultSettings()), NewUserChecker(DefaultSettings())
		checked.SetCheckOnly(true)
		a, b := make([]string, len(Fields)), make([]string, len(Fields))
		a[hire], b[hire] = v, v
		pa, pb := sent.Check(a, given, false), checked.Check(b, given, false)
		if fmt.Sprint(pa) != fmt.Sprint(pb) {
			t.Errorf("%q: an import's check finds %v, a validation %v", v, pa, pb)
		}
		if len(pa) == 0 && b[hire] != strings.TrimSpace(v) && b[hire] != a[hire] {
			t.Errorf("%q: a validation rewrote it as %q", v, b[hire])
		}
	}
}

// CheckLayout's quick paths (clean text, a table's own spelling) find
// what checkField finds: for a field given alone, every value of a corpus
// of table spellings, clean and broken text and addresses, under settings
// that turn on each of checkField's rules, both give the same problems
// and the same value to send.
func TestCheckLayoutAgreesWithCheckField(t *testing.T) {
	var corpus []string
	for _, tz := range TimeZones {
		corpus = append(corpus, tz.FullName, tz.ShortName, strings.ToLower(tz.FullName))
	}
	for _, l := range Languages {
		corpus = append(corpus, l.Name, l.Code, strings.ToUpper(l.Name))
	}
	for _, c := range Countries[:20] {
		corpus = append(corpus, c.Name, c.Code)
	}
	corpus = append(corpus, "Financial Analyst", "Björn", "M.", "a;b", "R&D", "#1", ".dot", "_x", "!bang", "'quote", "x\x01", "\x01x",
		"ann.lee@example.com", ".ann@example.com", "no-at", "2006-01-15", "01/15/2006", strings.Repeat("x", 101), strings.Repeat("é", 60))
	ldap, connect, english := DefaultSettings(), DefaultSettings(), DefaultSettings()
	ldap.LDAP, connect.ILMSConnect, english.Languages = true, true, []string{"English"}
	for _, s := range []Settings{DefaultSettings(), ldap, connect, english} {
		c := NewUserChecker(s)
		c.SetCheckOnly(true)
		for i, f := range Fields {
			if f.Kind == KindState || f.Kind == KindCountry || f.Kind == KindPassword {
				continue // the rule between them, and the password's settings, are tested apart
			}
			given := make([]bool, len(Fields))
			given[i] = true
			l := NewLayout(given)
			for _, v := range corpus {
				values := make([]string, len(Fields))
				values[i] = v
				got := c.CheckLayout(values, l, false)
				wantValue, want := checkField(&Fields[i], v, &s, "")
				if f.Kind == KindDate && isISODate(v) {
					wantValue = v // a check-only run leaves an ISO date as written
				}
				if values[i] != wantValue || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s %q (%+v): CheckLayout %q %v, checkField %q %v", f.Code, v, s, values[i], got, wantValue, want)
				}
			}
		}
	}
}
