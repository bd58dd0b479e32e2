package validate

// countryAliases are common names of entries of the Country table that the
// table does not spell that way, folded, by the entry's code. A value
// written so is sent in the table's form, with a warning saying so. These
// are not the document's: it has one spelling per country.
var countryAliases = map[string]string{
	"usa": "US", "u.s.": "US", "u.s.a.": "US", "u.s": "US", "u.s.a": "US", "us of a": "US",
	"united states of america": "US", "the united states": "US", "the united states of america": "US",
	"uk": "GB", "u.k.": "GB", "u.k": "GB", "great britain": "GB", "britain": "GB",
	"united kingdom of great britain and northern ireland": "GB", "the united kingdom": "GB",
	"the netherlands": "NL", "holland": "NL",
	"republic of korea": "KR", "korea, republic of": "KR", "korea": "KR",
	"russian federation": "RU", "czechia": "CZ", "viet nam": "VN",
	"uae": "AE", "u.a.e.": "AE",
	"côte d'ivoire": "CI", "cote d'ivoire": "CI",
	"deutschland": "DE", "españa": "ES", "espana": "ES",
}

// countryNearMisses are names that are not a country but are close to one
// that is not meant: the suggestion is the one a person means.
var countryNearMisses = map[string]string{
	"america": "United States",
}

// countryAlias finds the entry a common name stands for.
func countryAlias(v string) (Entry, bool) {
	code, ok := countryAliases[fold(v)]
	if !ok {
		return Entry{}, false
	}
	return countryIndex.byCode[fold(code)], true
}
