package validate

// charset is a set of ASCII characters, tested without allocating: the
// restricted sets are all ASCII. It is indexed by any byte, so that the
// test needs no range check, and holds 1 for a member, so that eight
// bytes are tested with one branch.
type charset [256]byte

func newCharset(chars string) *charset {
	var c charset
	for i := 0; i < len(chars); i++ {
		c[chars[i]] = 1
	}
	return &c
}

// any reports whether s holds a character of the set.
func (c *charset) any(s string) bool {
	for len(s) >= 8 {
		if c[s[0]]|c[s[1]]|c[s[2]]|c[s[3]]|c[s[4]]|c[s[5]]|c[s[6]]|c[s[7]] != 0 {
			return true
		}
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		if c[s[i]] != 0 {
			return true
		}
	}
	return false
}

var (
	restrictedText  = newCharset(RestrictedText)
	restrictedName  = newCharset(RestrictedName)
	functionalChars = newCharset(FunctionalChars)
)

func charsetOf(set string) *charset {
	switch set {
	case RestrictedText:
		return restrictedText
	case RestrictedName:
		return restrictedName
	case "":
		return nil
	}
	return newCharset(set)
}
