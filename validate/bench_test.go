package validate

import "testing"

// BenchmarkUserRow checks one typical clean row: the per-row cost of the
// document's rules.
func BenchmarkUserRow(b *testing.B) {
	c := NewUserChecker(DefaultSettings())
	src, given := row("F001", "Patricia", "F002", "Ann", "F003", "Anderson", "F004", "E000003", "F005", "2006-01-15",
		"F006", "English", "F007", "Nurse", "F008", "2709 Lakeview Rd", "F009", "Suite 120", "F010", "Omaha",
		"F011", "US", "F012", "NE", "F013", "", "F014", "68156", "F015", "patricia.anderson.3@example.com",
		"F017", "(892) 555-3904", "F019", "North America", "F020", "Corporate", "F021", "Finance",
		"F022", "Globex", "F023", "(GMT-06.00) Central Time (US & Canada)", "F033", "Joseph Harris", "F034", "joseph.harris.7921@example.com")
	l := NewLayout(given)
	values := make([]string, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(values, src)
		if ps := c.CheckLayout(values, l, true); len(ps) != 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkCheckEmail checks the emails of a typical users row: the
// person's and the supervisor's.
func BenchmarkCheckEmail(b *testing.B) {
	vals := []string{"bjoern.miller.1.g1@example.com", "wei.martinez.7920@example.com", "fatima.torres.2.g1@example.com", "carlos.obrien.7924@example.com"}
	for b.Loop() {
		for _, v := range vals {
			if checkEmail(v) != nil {
				b.Fatal(v)
			}
		}
	}
}
