package validate

import (
	"errors"
	"strings"
	"testing"
	"unsafe"
)

func TestTableSizes(t *testing.T) {
	for name, tc := range map[string]struct{ got, want int }{
		"time zones":         {len(TimeZones), 91},
		"countries":          {len(Countries), 234},
		"US states":          {len(USStates), 59},
		"Canadian provinces": {len(CanadianProvinces), 13},
		"languages":          {len(Languages), 22},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d entries, the document has %d", name, tc.got, tc.want)
		}
	}
}

// TestTablesKeepTheDocumentsOddities spot-checks entries that a "fixed"
// copy would get wrong.
func TestTablesKeepTheDocumentsOddities(t *testing.T) {
	entry := func(table []Entry, name string) string {
		for _, e := range table {
			if e.Name == name {
				return e.Code
			}
		}
		return "<missing>"
	}
	for _, tc := range []struct{ table, name, got, want string }{
		{"provinces", "Quebec", entry(CanadianProvinces, "Quebec"), "PQ"},
		{"provinces", "New Foundland", entry(CanadianProvinces, "New Foundland"), "NF"},
		{"countries", "Ethiopia", entry(Countries, "Ethiopia"), "EI"},
		{"countries", "Norfolk Island", entry(Countries, "Norfolk Island"), "NFK"},
		{"countries", "Burma (Myanmar)", entry(Countries, "Burma (Myanmar)"), "MM"},
		{"countries", "Netherlands Antilles", entry(Countries, "Netherlands Antilles"), "AN"},
		{"states", "District Of Columbia", entry(USStates, "District Of Columbia"), "DC"},
		{"states", "Federated States Of Micronesia", entry(USStates, "Federated States Of Micronesia"), "FM"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %s is %q, the document says %q", tc.table, tc.name, tc.got, tc.want)
		}
	}
	langs := map[string]Language{}
	for _, l := range Languages {
		langs[l.Name] = l
	}
	for name, want := range map[string]Language{
		"Latin American Spanish": {"Latin American Spanish", "es-US", "iso-8859-1"},
		"Traditional Chinese":    {"Traditional Chinese", "TH-TW", "Big5"},
		"German":                 {"German", "ge", "iso-8859-1"},
		"Dutch":                  {"Dutch", "LN", "iso-8859-1"},
		"Thai":                   {"Thai", "TH", "windows-874"},
		"English (UK)":           {"English (UK)", "en", "utf-8"},
	} {
		if langs[name] != want {
			t.Errorf("language %s = %+v, want %+v", name, langs[name], want)
		}
	}
	zones := map[string]TimeZone{}
	for _, z := range TimeZones {
		zones[z.FullName] = z
	}
	for _, name := range []string{
		"(GMT-04.30) Caracas", "(GMT-08.00) Tijuana, Baja California)", "(GMT00.00) Casablanca",
		"(GMT-02.00) Mid-Atlantic", "(GMT+05.45) Kathmandu", "(GMT+13.00) Nuku alofa", "(GMT+03.00) Tehran",
	} {
		if _, ok := zones[name]; !ok {
			t.Errorf("time zone %q missing", name)
		}
	}
	if z := zones["(GMT-02.00) Mid-Atlantic"]; z.ShortName != "GMT-02.00" {
		t.Errorf("Mid-Atlantic short name %q", z.ShortName)
	}
}

func TestLookups(t *testing.T) {
	for in, want := range map[string]string{"united states": "US", "US": "US", "us": "US", "  Ethiopia ": "EI", "ei": "EI", "côte": ""} {
		e, ok := LookupCountry(in)
		if got := map[bool]string{true: e.Code, false: ""}[ok]; got != want {
			t.Errorf("LookupCountry(%q) = %q, want %q", in, got, want)
		}
	}
	if e, ok := LookupProvince("quebec"); !ok || e.Code != "PQ" {
		t.Errorf("quebec: %+v %v", e, ok)
	}
	if _, ok := LookupProvince("QC"); ok {
		t.Error("QC is not in the document's table (Quebec is PQ)")
	}
	if e, ok := LookupUSState("tx"); !ok || e.Name != "Texas" {
		t.Errorf("tx: %+v", e)
	}
	for in, want := range map[string]string{
		"(GMT-06:00) Central Time (US & Canada)":          "(GMT-06.00) Central Time (US & Canada)",
		"(gmt-06.00) central time (us & canada)":          "(GMT-06.00) Central Time (US & Canada)",
		"(GMT+05:30) Chennai, Kolkata, Mumbai, New Delhi": "(GMT+05.30) Chennai, Kolkata, Mumbai, New Delhi",
		"AKST": "(GMT-09.00) Alaska",
	} {
		z, err := LookupTimeZone(in)
		if err != nil || z.FullName != want {
			t.Errorf("LookupTimeZone(%q) = %q, %v; want %q", in, z.FullName, err, want)
		}
	}
	if _, err := LookupTimeZone("CST"); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("CST names many zones: err = %v", err)
	}
	if _, err := LookupTimeZone("Pacific Time"); !errors.Is(err, ErrNotInTable) {
		t.Errorf("Pacific Time: err = %v", err)
	}
	for in, want := range map[string]string{"latin american spanish": "Latin American Spanish", "es-us": "Latin American Spanish", "fr-CA": "French Canadian", "GE": "German"} {
		l, err := LookupLanguage(in)
		if err != nil || l.Name != want {
			t.Errorf("LookupLanguage(%q) = %q, %v; want %q", in, l.Name, err, want)
		}
	}
	for _, code := range []string{"PT", "en"} {
		if _, err := LookupLanguage(code); !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s belongs to two languages: err = %v", code, err)
		}
	}
}

func TestSuggestions(t *testing.T) {
	for _, tc := range []struct {
		in   string
		from []string
		want string
	}{
		{"Untied States", countryIndex.names, "United States"},
		{"Germny", countryIndex.names, "Germany"},
		{"Pacific Time", timeZoneNames, "(GMT-08.00) Pacific Time (US & Canada)"},
		{"Kathmandu", timeZoneNames, "(GMT+05.45) Kathmandu"},
		{"Englsh", languageNames(), "English"},
		{"Qubec", provinceIndex.names, "Quebec"},
		{"Xyzzy", countryIndex.names, ""},
		{"", countryIndex.names, ""},
	} {
		if got := Suggest(tc.in, tc.from); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The suggestions' cache keeps a copy of each value it is asked about,
// never the value itself: a cell read from a CSV file shares its memory
// with a block of the file's text, which a cache kept for the life of the
// process would keep alive.
func TestSuggestKeepsACopyOfTheValue(t *testing.T) {
	c := NewCandidates([]string{"Germany", "France"})
	block := strings.Repeat("x", 16<<10) + "Germny"
	v := block[len(block)-len("Germny"):]
	if got := c.Suggest(v); got != "Germany" {
		t.Fatalf("Suggest(%q) = %q", v, got)
	}
	for k := range c.cache {
		if k == v && unsafe.StringData(k) == unsafe.StringData(v) {
			t.Fatal("the cache keeps the caller's string, and with it the block it is cut from")
		}
	}
	if len(c.cache) != 1 {
		t.Fatalf("the cache holds %d values, want 1", len(c.cache))
	}
}
