package validate

import (
	"errors"
	"strings"
	"testing"
)

// Common names of a country are sent in the table's form, with a warning
// that says so; "America" is not a country, and its suggestion is the one
// a person means, not American Samoa.
func TestCountryAliases(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"USA", "United States"}, {"U.S.", "United States"}, {"United States of America", "United States"},
		{"usa", "United States"}, {"UK", "United Kingdom"}, {"Great Britain", "United Kingdom"},
		{"Holland", "Netherlands"},
	} {
		got, ps := CheckValue("F011", tc.in, DefaultSettings())
		if got != tc.want || len(ps) != 1 || ps[0].Severity != Warning || !errors.Is(ps[0], ErrAlias) || !strings.Contains(ps[0].Error(), `"`+tc.want+`"`) {
			t.Errorf("%q: sent %q, problems %v", tc.in, got, ps)
		}
	}
	// The table's own names and codes are no alias.
	for _, in := range []string{"US", "United States", "GB", "united kingdom"} {
		if _, ps := CheckValue("F011", in, DefaultSettings()); len(ps) != 0 {
			t.Errorf("%q: %v", in, ps)
		}
	}
	_, ps := CheckValue("F011", "America", DefaultSettings())
	if len(ps) != 1 || ps[0].Severity != Error || ps[0].Suggestion != "United States" {
		t.Errorf("America: %v (suggestion %q)", ps, ps[0].Suggestion)
	}
	// Every alias names an entry of the table.
	for alias, code := range countryAliases {
		if e, ok := countryAlias(alias); !ok || e.Code != code || e.Name == "" {
			t.Errorf("alias %q → %q: no such entry", alias, code)
		}
		if _, ok := LookupCountry(alias); ok {
			t.Errorf("alias %q is already in the table", alias)
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("Ann"); got != `"Ann"` {
		t.Errorf("short: %s", got)
	}
	long := strings.Repeat("L", 20<<20)
	got := Quote(long)
	if want := `"` + strings.Repeat("L", MaxQuoted) + `…" (20,971,520 characters)`; got != want {
		t.Errorf("long: %.120s", got)
	}
	if got := Quote(strings.Repeat("é", 100)); !strings.HasPrefix(got, `"`+strings.Repeat("é", MaxQuoted)+`…"`) {
		t.Errorf("runes: %s", got)
	}
}

func TestCheckDateLayout(t *testing.T) {
	for _, ok := range []string{"dd/MM/yyyy", "MM/dd/yyyy", "yyyy-MM-dd", "d.M.yyyy", "02/01/2006", "dd MMM yyyy"} {
		if err := CheckDateLayout(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"banana", "dd/mm/yyyy", "yyyy", "MM/yyyy", ""} {
		if err := CheckDateLayout(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := CheckDateLayout("dd/mm/yyyy"); !strings.Contains(err.Error(), "mm the minutes") {
		t.Errorf("dd/mm/yyyy: %v", err)
	}
}
