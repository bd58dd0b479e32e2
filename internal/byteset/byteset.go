// Package byteset tests strings for the bytes of a set without
// allocating: the characters validate's rules refuse or warn of, the
// bytes that make a CSV field need quotes.
package byteset

// Set is a set of bytes. It is indexed by any byte, so that a test needs
// no range check, and holds 1 for a member, so that eight bytes are tested
// with one branch.
type Set [256]byte

// New returns the set of the bytes of chars.
func New(chars string) *Set {
	var c Set
	for i := 0; i < len(chars); i++ {
		c[chars[i]] = 1
	}
	return &c
}

// Any reports whether s holds a character of the set. It tests eight
// bytes with one branch, and the bytes left after the last eight as the
// last eight of s (testing some twice is harmless); a string shorter than
// eight bytes is two overlapping fours, or at most three bytes.
func (c *Set) Any(s string) bool {
	n := len(s)
	switch {
	case n >= 8:
		last := s[n-8:]
		for len(s) > 8 {
			if c[s[0]]|c[s[1]]|c[s[2]]|c[s[3]]|c[s[4]]|c[s[5]]|c[s[6]]|c[s[7]] != 0 {
				return true
			}
			s = s[8:]
		}
		return c[last[0]]|c[last[1]]|c[last[2]]|c[last[3]]|c[last[4]]|c[last[5]]|c[last[6]]|c[last[7]] != 0
	case n >= 4:
		t := s[n-4:]
		return c[s[0]]|c[s[1]]|c[s[2]]|c[s[3]]|c[t[0]]|c[t[1]]|c[t[2]]|c[t[3]] != 0
	case n > 0:
		return c[s[0]]|c[s[n/2]]|c[s[n-1]] != 0 // every byte, for n of 1 to 3
	}
	return false
}
