package export

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// checkOptionError fails unless err is a *validate.OptionError of option
// whose rule is rule and whose text says want.
func checkOptionError(t *testing.T, err error, option string, rule error, want string) {
	t.Helper()
	var oe *validate.OptionError
	switch {
	case !errors.As(err, &oe):
		t.Fatalf("error %v, want a *validate.OptionError of %s", err, option)
	case oe.Option != option:
		t.Errorf("option %q, want %q (%v)", oe.Option, option, err)
	case rule != nil && !errors.Is(err, rule):
		t.Errorf("rule %v, want %v (%v)", oe.Rule, rule, err)
	case !strings.Contains(err.Error(), want):
		t.Errorf("%q does not say %q", err, want)
	}
}

func TestUserFilterQuery(t *testing.T) {
	for _, tc := range []struct {
		name       string
		filter     UserFilter
		want       string // the query string
		wantOption string // else the option refused
		wantRule   error
		wantText   string
	}{
		{name: "nothing: the API's active users", want: ""},
		{name: "statuses", filter: UserFilter{Statuses: []string{"Active", " inactive", "active"}}, want: "userstatus=active%2Cinactive"},
		{name: "field by name", filter: UserFilter{Where: []string{"First Name=Jo*"}}, want: "F001=Jo%2A"},
		{name: "field by alias, value trimmed", filter: UserFilter{Where: []string{" dept = Sales "}}, want: "F021=Sales"},
		{name: "exact and ends with", filter: UserFilter{Where: []string{`F004="00123"`, "F003=*son"}}, want: "F003=%2Ason&F004=%2200123%22"},
		{name: "date range", filter: UserFilter{Where: []string{"F005=(From:2024-01-01T00:00:00To:2024-12-31T23:59:59)"}},
			want: "F005=%28From%3A2024-01-01T00%3A00%3A00To%3A2024-12-31T23%3A59%3A59%29"},
		{name: "the same field twice: the last", filter: UserFilter{Where: []string{"F001=A*", "First Name=B*"}}, want: "F001=B%2A"},
		{name: "status not of the API", filter: UserFilter{Statuses: []string{"retired"}},
			wantOption: OptionStatus, wantRule: validate.ErrInvalid, wantText: `status "retired": give active, inactive or deleted`},
		{name: "no =", filter: UserFilter{Where: []string{"F001"}},
			wantOption: validate.OptionSearch, wantRule: validate.ErrInvalid, wantText: "write FIELD=VALUE"},
		{name: "no field", filter: UserFilter{Where: []string{"=x"}},
			wantOption: validate.OptionSearch, wantRule: validate.ErrInvalid, wantText: "write FIELD=VALUE"},
		{name: "not a profile field", filter: UserFilter{Where: []string{"Groups=Sales"}},
			wantOption: validate.OptionSearch, wantRule: validate.ErrUnknownField, wantText: "Groups is not a profile field"},
		{name: "the password", filter: UserFilter{Where: []string{"F016=x"}},
			wantOption: validate.OptionSearch, wantRule: validate.ErrUnknownField, wantText: "password"},
		{name: "a date not as a range", filter: UserFilter{Where: []string{"F005=2024"}},
			wantOption: validate.OptionSearch, wantRule: validate.ErrDate, wantText: "(From:2024-01-01T00:00:00To:2024-12-31T23:59:59)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := tc.filter.query()
			if tc.wantOption != "" {
				checkOptionError(t, err, tc.wantOption, tc.wantRule, tc.wantText)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			v, err := q.Values()
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Encode(); got != tc.want {
				t.Errorf("query %s, want %s", got, tc.want)
			}
		})
	}
}

// TestUserFilterGroups looks groups up in the sandbox: by ID without
// reading them, by name in any case.
func TestUserFilterGroups(t *testing.T) {
	var groupReads atomic.Int64
	c := testClient(t, func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/groups") {
			groupReads.Add(1)
		}
	})
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		groups    []string
		want      string
		wantReads int64
		wantText  string
	}{
		{name: "IDs alone", groups: []string{"2", " 402 "}, want: "groupids=2%2C402", wantReads: 0},
		{name: "names in any case", groups: []string{"manager", "Sales", "345"}, want: "groupids=3%2C2%2C345", wantReads: 1},
		{name: "no such group", groups: []string{"No Such Group"}, wantText: `no group is named or numbered "No Such Group"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			groupReads.Store(0)
			q, err := UserFilter{Groups: tc.groups}.Query(ctx, c, 2)
			if tc.wantText != "" {
				checkOptionError(t, err, OptionGroup, validate.ErrInvalid, tc.wantText)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			v, _ := q.Values()
			if got := v.Encode(); got != tc.want {
				t.Errorf("query %s, want %s", got, tc.want)
			}
			if n := groupReads.Load(); n != tc.wantReads {
				t.Errorf("%d reads of the groups, want %d", n, tc.wantReads)
			}
		})
	}
}

func TestColumns(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fields   []string
		want     []string
		wantRule error
		wantText string
	}{
		{name: "none: every column", want: report.UserColumns()},
		{name: "codes and names in order", fields: []string{"Employee ID", "f001", "Last Name", "UserStatus", "ID"},
			want: []string{"F004", "F001", "F003", report.ColumnUserStatus, report.ColumnID}},
		{name: "the password", fields: []string{"F016"}, wantRule: validate.ErrUnknownField, wantText: "never returns passwords"},
		{name: "twice", fields: []string{"F001", "First Name"}, wantRule: validate.ErrDuplicate, wantText: `"First Name" names F001, which is already a column`},
		{name: "misspelt", fields: []string{"Frist Name"}, wantRule: validate.ErrUnknownField, wantText: "did you mean First Name (F001)?"},
		{name: "not of a user record", fields: []string{"Groups"}, wantRule: validate.ErrUnknownField, wantText: "export enrollments for courses"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := columns(tc.fields)
			if tc.wantText != "" {
				checkOptionError(t, err, OptionFields, tc.wantRule, tc.wantText)
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("columns %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestChecks: every option a job refuses, refused before any request
// (Check needs no client).
func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		check  func() error
		option string
		rule   error
		text   string
	}{
		{"users headers", UsersOptions{Headers: "labels"}.Check, OptionHeaders, validate.ErrInvalid, `headers "labels": give codes or names`},
		{"users fields", UsersOptions{Fields: []string{"F016"}}.Check, OptionFields, validate.ErrUnknownField, "passwords"},
		{"users search", UsersOptions{UserFilter: UserFilter{Where: []string{"F099=x"}}}.Check, validate.OptionSearch, validate.ErrUnknownField, "F001 … F027, F031 … F034"},
		{"enrollments of nothing", EnrollmentsOptions{}.Check, OptionAll, validate.ErrConflict, "or else ask for all"},
		{"enrollments of all and some", EnrollmentsOptions{All: true, CourseFilter: CourseFilter{Courses: []string{"x"}}}.Check, OptionAll, validate.ErrConflict, "all"},
		{"enrollments session syntax", EnrollmentsOptions{CourseFilter: CourseFilter{Sessions: []string{"pyOgaoli"}}}.Check, OptionSession, validate.ErrInvalid, `session "pyOgaoli": write courseID/sessionID`},
		{"summary session syntax", SummaryOptions{CourseFilter: CourseFilter{Sessions: []string{"/4901"}}}.Check, OptionSession, validate.ErrInvalid, "courseID/sessionID"},
		{"transcripts of users and a filter", TranscriptsOptions{Users: []string{"1"}, UserFilter: UserFilter{Statuses: []string{"active"}}}.Check, OptionUser, validate.ErrConflict, "not both"},
		{"transcripts status", TranscriptsOptions{UserFilter: UserFilter{Statuses: []string{"gone"}}}.Check, OptionStatus, validate.ErrInvalid, "active, inactive or deleted"},
		{"compliance of a session", ComplianceOptions{CourseFilter: CourseFilter{Sessions: []string{"pyOgaoli/4901"}}}.Check, OptionSession, validate.ErrInvalid, "name the course"},
		{"as of not a date", func() error { _, err := ParseAsOf("30/09/2026"); return err }, OptionAsOf, validate.ErrDate, `as-of "30/09/2026": give a date of the form yyyy-mm-dd`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkOptionError(t, tc.check(), tc.option, tc.rule, tc.text) })
	}
	for _, ok := range []func() error{
		UsersOptions{Headers: HeaderNames, Fields: []string{"F001"}}.Check,
		EnrollmentsOptions{All: true}.Check,
		EnrollmentsOptions{CourseFilter: CourseFilter{Sessions: []string{"pyOgaoli/4901"}}}.Check,
		TranscriptsOptions{Users: []string{"1"}}.Check,
		SummaryOptions{}.Check,
		ComplianceOptions{}.Check,
	} {
		if err := ok(); err != nil {
			t.Errorf("refused: %v", err)
		}
	}
	if d, err := ParseAsOf("2026-09-30"); err != nil || d.Format("2006-01-02") != "2026-09-30" {
		t.Errorf("ParseAsOf: %v, %v", d, err)
	}
}

// TestTargets resolves courses, curricula and sessions of the seed
// organization by ID and by name.
func TestTargets(t *testing.T) {
	c := testClient(t, nil)
	known, err := CourseFilter{}.load(context.Background(), c, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		filter     CourseFilter
		all        bool
		want       []string // Target.String, with "+" for a curriculum
		wantAll    bool     // every course and curriculum
		wantOption string
		wantText   string
	}{
		{name: "a course by name", filter: CourseFilter{Courses: []string{"Course 99"}}, want: []string{"meOexN1A"}},
		{name: "a course named in any case", filter: CourseFilter{Courses: []string{"course 99"}}, want: []string{"meOexN1A"}},
		{name: "by ID and by name: one", filter: CourseFilter{Courses: []string{"meOexN1A", "Course 99"}}, want: []string{"meOexN1A"}},
		{name: "courses, then curricula, then sessions", filter: CourseFilter{Sessions: []string{"iiOYhg6E/1234"}, Curricula: []string{"h0IHluoD"}, Courses: []string{"pyOgaoli"}},
			want: []string{"pyOgaoli", "+h0IHluoD", "iiOYhg6E/1234"}},
		{name: "named with all: the named", filter: CourseFilter{Curricula: []string{"dHg6Kdl8"}}, all: true, want: []string{"+dHg6Kdl8"}},
		{name: "none named, all", all: true, wantAll: true},
		{name: "none named, not all", want: nil},
		{name: "no such course", filter: CourseFilter{Courses: []string{"Nope"}}, wantOption: OptionCourse, wantText: `no course has the ID or the name "Nope"`},
		{name: "a curriculum is not a course", filter: CourseFilter{Courses: []string{"h0IHluoD"}}, wantOption: OptionCourse, wantText: "no course"},
		{name: "no such curriculum", filter: CourseFilter{Curricula: []string{"pyOgaoli"}}, wantOption: OptionCurriculum, wantText: "no curriculum"},
		{name: "no such session", filter: CourseFilter{Sessions: []string{"pyOgaoli/1"}}, wantOption: OptionSession, wantText: "has no session 1"},
		{name: "a session not a number", filter: CourseFilter{Sessions: []string{"pyOgaoli/first"}}, wantOption: OptionSession, wantText: "not a session ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := tc.filter.targets(known, tc.all)
			if tc.wantOption != "" {
				checkOptionError(t, err, tc.wantOption, validate.ErrInvalid, tc.wantText)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantAll {
				if want := known.Targets(); !slices.Equal(ts, want) || len(ts) < 5 {
					t.Errorf("%d targets, want every course and curriculum (%d)", len(ts), len(want))
				}
				return
			}
			var got []string
			for _, tg := range ts {
				got = append(got, map[bool]string{true: "+"}[tg.Curriculum]+tg.String())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("targets %q, want %q", got, tc.want)
			}
		})
	}
}
