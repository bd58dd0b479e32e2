package validate

import "github.com/ilms-bulk/ilms-bulk/internal/byteset"

// The restricted sets are all ASCII.
var (
	restrictedText  = byteset.New(RestrictedText)
	restrictedName  = byteset.New(RestrictedName)
	functionalChars = byteset.New(FunctionalChars)
)

func charsetOf(set string) *byteset.Set {
	switch set {
	case RestrictedText:
		return restrictedText
	case RestrictedName:
		return restrictedName
	case "":
		return nil
	}
	return byteset.New(set)
}
