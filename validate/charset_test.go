package validate

import (
	"strings"
	"testing"
)

// any finds a member wherever it is, at every length around the eight
// bytes it tests at once, and finds none in a string without one.
func TestCharsetAny(t *testing.T) {
	set := newCharset(RestrictedText)
	var outside byte = 'a'
	for b := range 256 {
		if set[b] == 0 && b != 0 {
			outside = byte(b)
			break
		}
	}
	for n := range 20 {
		clean := strings.Repeat(string(outside), n)
		if set.any(clean) {
			t.Fatalf("found a member in %q", clean)
		}
		for i := range n {
			for _, m := range []byte(RestrictedText) {
				s := clean[:i] + string(m) + clean[i+1:]
				if !set.any(s) {
					t.Fatalf("%q: missed %q at %d", s, m, i)
				}
			}
		}
	}
}

var sinkAny bool

// BenchmarkCharsetAny tests the cells of a typical users row.
func BenchmarkCharsetAny(b *testing.B) {
	vals := []string{"Björn", "M.", "G1-000001", "Financial Analyst", "8061 Park Blvd", "Suite 424", "Mumbai", "Maharashtra", "400523", "(889) 555-3408", "North America", "Corporate", "Finance", "Acme Corp", "Wei Martinez"}
	set := newCharset(RestrictedText + FunctionalChars)
	for b.Loop() {
		for _, v := range vals {
			sinkAny = set.any(v) || sinkAny
		}
	}
}

var sinkHash uint64

// BenchmarkKeyHash hashes a users row's two keys.
func BenchmarkKeyHash(b *testing.B) {
	for b.Loop() {
		sinkHash += KeyHash('e', "patricia.anderson.3@example.com") + KeyHash('i', "G1-000003")
	}
}
