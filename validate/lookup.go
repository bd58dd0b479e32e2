package validate

import (
	"fmt"
	"strings"
	"unicode"
)

// fold is the comparison key of table lookups: lower case, spaces trimmed
// and collapsed.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
}

type entryIndex struct {
	exact  map[string]Entry // the table's own spelling of names and codes
	byName map[string]Entry // folded
	byCode map[string]Entry // folded
	names  []string
	cands  *Candidates
}

func indexEntries(entries []Entry) entryIndex {
	ix := entryIndex{exact: map[string]Entry{}, byName: map[string]Entry{}, byCode: map[string]Entry{}}
	for _, e := range entries {
		ix.exact[e.Code] = e
		ix.exact[e.Name] = e
		ix.byName[fold(e.Name)] = e
		ix.byCode[fold(e.Code)] = e
		ix.names = append(ix.names, e.Name)
	}
	ix.cands = NewCandidates(ix.names)
	return ix
}

func (ix entryIndex) lookup(v string) (Entry, bool) {
	// Most values are written as the table writes them: no folding, no
	// allocation.
	if e, ok := ix.exact[v]; ok {
		return e, true
	}
	k := fold(v)
	if e, ok := ix.byName[k]; ok {
		return e, true
	}
	e, ok := ix.byCode[k]
	return e, ok
}

var (
	countryIndex  = indexEntries(Countries)
	usStateIndex  = indexEntries(USStates)
	provinceIndex = indexEntries(CanadianProvinces)
)

// LookupCountry finds a country by name or code, without regard to case.
func LookupCountry(v string) (Entry, bool) { return countryIndex.lookup(v) }

// LookupUSState finds a US state by name or code.
func LookupUSState(v string) (Entry, bool) { return usStateIndex.lookup(v) }

// LookupProvince finds a Canadian province by name or code.
func LookupProvince(v string) (Entry, bool) { return provinceIndex.lookup(v) }

// IsUS and IsCanada tell the two countries whose states go in F012.
func IsUS(country string) bool {
	e, ok := LookupCountry(country)
	return ok && e.Code == "US"
}

// IsCanada reports whether country names Canada.
func IsCanada(country string) bool {
	e, ok := LookupCountry(country)
	return ok && e.Code == "CA"
}

var (
	languageByExactName = map[string]Language{}
	languageByName      = map[string]Language{}
	languageByCode      = map[string][]Language{}
)

func init() {
	for _, l := range Languages {
		languageByExactName[l.Name] = l
		languageByName[fold(l.Name)] = l
		languageByCode[fold(l.Code)] = append(languageByCode[fold(l.Code)], l)
	}
}

var (
	languageCandidates = NewCandidates(languageNames())
	timeZoneCandidates *Candidates
	stateCandidates    = NewCandidates(append(append([]string(nil), usStateIndex.names...), provinceIndex.names...))
)

func languageNames() []string {
	names := make([]string, len(Languages))
	for i, l := range Languages {
		names[i] = l.Name
	}
	return names
}

// LookupLanguage finds a language by name or by a code only one language
// has. A code the table gives to several languages (PT, en) is
// ErrAmbiguous, naming them.
func LookupLanguage(v string) (Language, error) {
	if l, ok := languageByExactName[v]; ok {
		return l, nil
	}
	k := fold(v)
	if l, ok := languageByName[k]; ok {
		return l, nil
	}
	switch ls := languageByCode[k]; len(ls) {
	case 0:
		return Language{}, ErrNotInTable
	case 1:
		return ls[0], nil
	default:
		names := make([]string, len(ls))
		for i, l := range ls {
			names[i] = fmt.Sprintf("%q", l.Name)
		}
		return Language{}, fmt.Errorf("%w: code %s belongs to %s; write the name", ErrAmbiguous, ls[0].Code, strings.Join(names, " and "))
	}
}

var (
	timeZoneExact   = map[string]TimeZone{}
	timeZoneByName  = map[string]TimeZone{}
	timeZoneByShort = map[string][]TimeZone{}
	timeZoneNames   []string
)

func init() {
	for _, tz := range TimeZones {
		timeZoneExact[tz.FullName] = tz
		timeZoneByName[timeZoneKey(tz.FullName)] = tz
		timeZoneByShort[fold(tz.ShortName)] = append(timeZoneByShort[fold(tz.ShortName)], tz)
		timeZoneNames = append(timeZoneNames, tz.FullName)
	}
	timeZoneCandidates = NewCandidates(timeZoneNames)
}

// timeZoneKey folds a full name and reads the offset in either of the
// document's forms: "(GMT-06:00)" and "(GMT-06.00)" are the same zone.
func timeZoneKey(v string) string {
	k := fold(v)
	if strings.HasPrefix(k, "(gmt") {
		if end := strings.IndexByte(k, ')'); end > 0 {
			k = strings.ReplaceAll(k[:end], ":", ".") + k[end:]
		}
	}
	return k
}

// LookupTimeZone finds a time zone by full name (with ":" or "." in the
// offset) or by a short name only one zone has. The returned zone's
// FullName is the document's form, the one to send.
func LookupTimeZone(v string) (TimeZone, error) {
	if tz, ok := timeZoneExact[v]; ok {
		return tz, nil
	}
	if tz, ok := timeZoneByName[timeZoneKey(v)]; ok {
		return tz, nil
	}
	switch tzs := timeZoneByShort[fold(v)]; len(tzs) {
	case 0:
		return TimeZone{}, ErrNotInTable
	case 1:
		return tzs[0], nil
	default:
		return TimeZone{}, fmt.Errorf("%w: %s is the short name of %d zones, such as %q; write the full name", ErrAmbiguous, tzs[0].ShortName, len(tzs), tzs[0].FullName)
	}
}
