// Package synth makes realistic synthetic people for the sandbox's seed
// organization and for `ilms-bulk generate`: names, emails, employee IDs,
// job titles, addresses with matching country, state and time zone. Every
// value is drawn from a seeded source, so the same seed gives the same data.
package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Rand is a deterministic source of synthetic values.
type Rand struct{ r *rand.Rand }

// New returns a source seeded with seed.
func New(seed uint64) *Rand { return &Rand{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// IntN returns a number in [0, n).
func (r *Rand) IntN(n int) int { return r.r.IntN(n) }

// Float returns a number in [0, 1).
func (r *Rand) Float() float64 { return r.r.Float64() }

// Pick returns one of xs.
func Pick[T any](r *Rand, xs []T) T { return xs[r.r.IntN(len(xs))] }

var FirstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
	"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
	"Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Margaret", "Donald", "Sandra",
	"Steven", "Ashley", "Paul", "Kimberly", "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle",
	"Priya", "Wei", "Aisha", "Mateo", "Sofia", "Hiroshi", "Fatima", "Lukas", "Chloé", "Olumide",
	"Ingrid", "Raj", "Mei", "Diego", "Anya", "Kwame", "Noor", "Liam", "Zoë", "Björn",
}

var LastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
	"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
	"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
	"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Patel", "Kim", "Chen", "O'Brien", "Müller", "Okafor", "Rossi", "Tanaka", "Novak", "Kowalski",
	"Dubois", "Silva", "Haddad", "Larsen", "Singh", "Ivanova", "Murphy", "Cohen", "Mensah", "Van der Berg",
}

var MiddleNames = []string{"", "", "", "A.", "J.", "Marie", "Lee", "Ann", "R.", "Grace", "M.", "Ray"}

var JobTitles = []string{
	"Sales Associate", "Account Manager", "Software Engineer", "HR Generalist", "Nurse", "Warehouse Lead",
	"Financial Analyst", "Customer Support Rep", "Store Manager", "Compliance Officer", "Field Technician",
	"Marketing Specialist", "Operations Manager", "Recruiter", "Data Analyst", "Safety Coordinator",
}

var Companies = []string{"Acme Corp", "Northwind Traders", "Globex", "Initech", "Umbrella Health", "Contoso Ltd"}

var Streets = []string{"Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Park Blvd", "Lakeview Rd", "Hillcrest Way"}

// Place is a city with its country, state (F012) or region (F013), postal
// code pattern and time zone, all consistent with each other and with the
// document's tables.
type Place struct {
	City, Country, State, Region, Postal, TimeZone string
}

// Places are drawn for addresses; most are in the United States, some in
// Canada, some elsewhere, as a typical North American employer's staff.
var Places = []Place{
	{"San Antonio", "United States", "Texas", "", "782##", "(GMT-06.00) Central Time (US & Canada)"},
	{"Austin", "US", "TX", "", "787##", "(GMT-06.00) Central Time (US & Canada)"},
	{"Chicago", "United States", "Illinois", "", "606##", "(GMT-06.00) Central Time (US & Canada)"},
	{"New York", "United States", "New York", "", "100##", "(GMT-05.00) Eastern Time (US & Canada)"},
	{"Atlanta", "US", "GA", "", "303##", "(GMT-05.00) Eastern Time (US & Canada)"},
	{"Denver", "United States", "Colorado", "", "802##", "(GMT-07.00) Mountain Time (US & Canada)"},
	{"Phoenix", "United States", "Arizona", "", "850##", "(GMT-07.00) Arizona"},
	{"Seattle", "United States", "Washington", "", "981##", "(GMT-08.00) Pacific Time (US & Canada)"},
	{"San Diego", "US", "CA", "", "921##", "(GMT-08.00) Pacific Time (US & Canada)"},
	{"Omaha", "US", "NE", "", "681##", "(GMT-06.00) Central Time (US & Canada)"},
	{"Honolulu", "United States", "Hawaii", "", "968##", "(GMT-10.00) Hawaii"},
	{"Anchorage", "United States", "Alaska", "", "995##", "(GMT-09.00) Alaska"},
	{"Toronto", "Canada", "Ontario", "", "M5V #A#", "(GMT-05.00) Eastern Time (US & Canada)"},
	{"Montreal", "Canada", "PQ", "", "H2X #B#", "(GMT-05.00) Eastern Time (US & Canada)"},
	{"Vancouver", "CA", "BC", "", "V6B #C#", "(GMT-08.00) Pacific Time (US & Canada)"},
	{"Halifax", "Canada", "Nova Scotia", "", "B3H #D#", "(GMT-04.00) Atlantic Time (Canada)"},
	{"London", "United Kingdom", "", "Greater London", "EC1A #BB", "(GMT00.00) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London"},
	{"Berlin", "Germany", "", "Berlin", "10###", "(GMT+01.00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"},
	{"Mexico City", "Mexico", "", "CDMX", "06###", "(GMT-06.00) Guadalajara, Mexico City, Monterrey - New"},
	{"Mumbai", "India", "", "Maharashtra", "400###", "(GMT+05.30) Chennai, Kolkata, Mumbai, New Delhi"},
	{"Sydney", "Australia", "", "New South Wales", "2###", "(GMT+10.00) Canberra, Melbourne, Sydney"},
	{"Addis Ababa", "EI", "", "Addis Ababa", "1###", "(GMT+03.00) Nairobi"},
}

// Languages are F006 values, weighted towards English.
var Languages = []string{"English", "English", "English", "English", "Latin American Spanish", "French Canadian", "Spanish", "German", "Brazilian Portuguese"}

// Person is one synthetic user profile by field code.
type Person map[string]string

// EmailDomain is the domain of synthetic emails.
const EmailDomain = "example.com"

// Person draws a profile. n makes the email and employee ID unique.
func (r *Rand) Person(n int) Person {
	first, last := Pick(r, FirstNames), Pick(r, LastNames)
	place := Pick(r, Places)
	p := Person{
		"F001": first,
		"F002": Pick(r, MiddleNames),
		"F003": last,
		"F004": EmployeeID(n),
		"F006": Pick(r, Languages),
		"F007": Pick(r, JobTitles),
		"F008": strconv.Itoa(100+r.IntN(9800)) + " " + Pick(r, Streets),
		"F010": place.City,
		"F011": place.Country,
		"F012": place.State,
		"F013": place.Region,
		"F014": r.fill(place.Postal),
		"F015": Email(first, last, n),
		"F017": "(" + strconv.Itoa(200+r.IntN(700)) + ") 555-" + r.digits(4),
		"F022": Pick(r, Companies),
		"F023": place.TimeZone,
	}
	if r.IntN(3) == 0 {
		p["F009"] = "Suite " + strconv.Itoa(100+r.IntN(900))
	}
	hire := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(7300))
	p["F005"] = hire.Format("2006-01-02T15:04:05")
	return p
}

// Email makes a unique, plausible address for a person.
func Email(first, last string, n int) string {
	clean := func(s string) string {
		var b strings.Builder
		for _, c := range strings.ToLower(s) {
			switch {
			case c >= 'a' && c <= 'z':
				b.WriteRune(c)
			default:
				b.WriteString(transliterate[c])
			}
		}
		return b.String()
	}
	return clean(first) + "." + clean(last) + "." + strconv.Itoa(n) + "@" + EmailDomain
}

// EmployeeID is the employee ID of the n-th synthetic person: E000042.
func EmployeeID(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return "E" + s
}

func (r *Rand) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// transliterate spells the accented letters of the name lists in ASCII.
var transliterate = map[rune]string{'é': "e", 'è': "e", 'ë': "e", 'ê': "e", 'ü': "ue", 'ö': "oe", 'ä': "ae", 'ñ': "n", 'ç': "c", 'å': "a", 'ø': "o"}

// fill replaces # with digits and keeps other characters.
func (r *Rand) fill(pattern string) string {
	var b strings.Builder
	for _, c := range pattern {
		if c == '#' {
			b.WriteByte(byte('0' + r.IntN(10)))
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}
