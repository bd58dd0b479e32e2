package byteset

import (
	"strings"
	"testing"
)

// restrictedText is validate.RestrictedText, the characters refused in
// most user fields.
const restrictedText = `<>"%;+`

// Any finds a member wherever it is, at every length around the eight
// bytes it tests at once, and finds none in a string without one.
func TestAny(t *testing.T) {
	set := New(restrictedText)
	var outside byte = 'a'
	for b := range 256 {
		if set[b] == 0 && b != 0 {
			outside = byte(b)
			break
		}
	}
	for n := range 20 {
		clean := strings.Repeat(string(outside), n)
		if set.Any(clean) {
			t.Fatalf("found a member in %q", clean)
		}
		for i := range n {
			for _, m := range []byte(restrictedText) {
				s := clean[:i] + string(m) + clean[i+1:]
				if !set.Any(s) {
					t.Fatalf("%q: missed %q at %d", s, m, i)
				}
			}
		}
	}
}

var sinkAny bool

// BenchmarkAny tests the cells of a typical users row.
func BenchmarkAny(b *testing.B) {
	vals := []string{"Björn", "M.", "G1-000001", "Financial Analyst", "8061 Park Blvd", "Suite 424", "Mumbai", "Maharashtra", "400523", "(889) 555-3408", "North America", "Corporate", "Finance", "Acme Corp", "Wei Martinez"}
	set := New(restrictedText + "&#")
	for b.Loop() {
		for _, v := range vals {
			sinkAny = set.Any(v) || sinkAny
		}
	}
}

// FuzzAny: Any answers as a test of every byte does, for any string and
// any set.
func FuzzAny(f *testing.F) {
	f.Add("Financial Analyst", restrictedText)
	f.Add("a;b", restrictedText)
	f.Add("12345678+", "+")
	f.Add("", ",")
	f.Fuzz(func(t *testing.T, s, chars string) {
		set := New(chars)
		want := false
		for i := 0; i < len(s); i++ {
			want = want || strings.IndexByte(chars, s[i]) >= 0
		}
		if got := set.Any(s); got != want {
			t.Fatalf("Any(%q) with %q = %v, want %v", s, chars, got, want)
		}
	})
}
