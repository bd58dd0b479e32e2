package validate

// charset is a set of ASCII characters, tested a byte at a time without
// allocating: the restricted sets are all ASCII. It is indexed by any byte
// so that the test needs no range check.
type charset [256]bool

func newCharset(chars string) *charset {
	var c charset
	for i := 0; i < len(chars); i++ {
		c[chars[i]] = true
	}
	return &c
}

// any reports whether s holds a character of the set.
func (c *charset) any(s string) bool {
	for i := 0; i < len(s); i++ {
		if c[s[i]] {
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
