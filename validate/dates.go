package validate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// APIDateLayout is the date form the API takes: yyyy-MM-ddTHH:mm:ss, UTC.
const APIDateLayout = "2006-01-02T15:04:05"

// FormatDate writes t in APIDateLayout.
func FormatDate(t time.Time) string { return t.Format(APIDateLayout) }

// DateError explains why a text is not a date. Ambiguous is set for a date
// like 03/04/2024 that reads as two different days.
type DateError struct {
	Value     string
	Ambiguous bool
	Detail    string
	// Said, when the detail names an option (the date format), is the
	// detail as a Text that words it for a front door.
	Said remedy.Text
}

func (e *DateError) Error() string { return e.Detail }

// said makes a DateError whose detail names options.
func said(v string, ambiguous bool, format string, args ...any) *DateError {
	t := remedy.Sprintf(format, args...)
	return &DateError{Value: v, Ambiguous: ambiguous, Detail: t.String(), Said: t}
}

var isoLayouts = []string{
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
}

// ParseDate reads a date the way a spreadsheet user writes one.
//
// With a layout (a Go layout such as "02/01/2006", or the yyyy/MM/dd
// tokens users know, such as "dd/MM/yyyy") only that layout is accepted.
// Without one it accepts ISO forms (2024-03-04, 2024-03-04T09:30:00, with
// a fraction or a zone), an Excel serial day number (45355), and
// day/month/year forms only when they read one way: 25/04/2024 is 25
// April, but 03/04/2024 is an error asking for --date-format, never a
// guess. Times without a zone are taken as UTC, as the API's are.
func ParseDate(v, layout string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if layout != "" {
		if t, err := time.Parse(GoLayout(layout), v); err == nil {
			return t.UTC(), nil
		}
		// ISO dates read one way only, whatever the file's format.
		for _, l := range isoLayouts {
			if t, err := time.Parse(l, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, &DateError{Value: v, Detail: fmt.Sprintf("does not match the date format %s (nor is it an ISO date yyyy-MM-dd)", layout)}
	}
	// The two forms most files use, tried first by their shape.
	switch {
	case len(v) == 10 && v[4] == '-' && v[7] == '-':
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return t, nil
		}
	case len(v) == 19 && v[10] == 'T':
		if t, err := time.Parse(APIDateLayout, v); err == nil {
			return t, nil
		}
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.Atoi(v); err == nil {
		// Excel serial days (1900 system) from 1 Jan 1950 to 31 Dec 2099.
		if n >= 18264 && n <= 73050 {
			return ExcelSerial(float64(n)), nil
		}
		return time.Time{}, &DateError{Value: v, Detail: "is a number, not a date; write it as yyyy-MM-dd"}
	}
	if t, err, ok := parseNumericDMY(v); ok {
		return t, err
	}
	return time.Time{}, said(v, false, "is not a date; write it as yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss, or give %s", remedy.Of(remedy.DateFormat))
}

// parseNumericDMY reads a/b/yyyy (with /, . or -) when only one reading
// of a and b is a valid day and month.
func parseNumericDMY(v string) (time.Time, error, bool) {
	sep := strings.IndexAny(v, "/.-")
	if sep < 0 {
		return time.Time{}, nil, false
	}
	parts := strings.Split(v, string(v[sep]))
	if len(parts) != 3 || len(parts[2]) != 4 {
		return time.Time{}, nil, false
	}
	a, errA := strconv.Atoi(parts[0])
	b, errB := strconv.Atoi(parts[1])
	y, errY := strconv.Atoi(parts[2])
	if errA != nil || errB != nil || errY != nil {
		return time.Time{}, nil, false
	}
	valid := func(d, m int) bool {
		if m < 1 || m > 12 || d < 1 {
			return false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		return t.Day() == d
	}
	dm, md := valid(a, b), valid(b, a)
	switch {
	case dm && md && a != b:
		return time.Time{}, said(v, true, "is ambiguous: %d %s or %d %s; give %s or MM/dd/yyyy, or write yyyy-MM-dd",
			a, time.Month(b), b, time.Month(a), remedy.Of(remedy.DateFormat, "dd/MM/yyyy")), true
	case dm:
		return time.Date(y, time.Month(b), a, 0, 0, 0, 0, time.UTC), nil, true
	case md:
		return time.Date(y, time.Month(a), b, 0, 0, 0, 0, time.UTC), nil, true
	}
	return time.Time{}, &DateError{Value: v, Detail: "is not a valid day and month"}, true
}

// ExcelSerial converts an Excel serial date (1900 date system, with its
// phantom 29 February 1900) to a time.
func ExcelSerial(serial float64) time.Time {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	days := int(serial)
	frac := serial - float64(days)
	return base.AddDate(0, 0, days).Add(time.Duration(frac * float64(24*time.Hour)).Round(time.Second))
}

// GoLayout turns the yyyy/MM/dd/HH/mm/ss tokens users know into a Go
// layout; a Go layout passes through unchanged.
func GoLayout(layout string) string {
	if !strings.Contains(layout, "yy") && !strings.Contains(layout, "dd") && !strings.Contains(layout, "MM") {
		return layout
	}
	// One pass, longest token first at each position.
	return strings.NewReplacer(
		"yyyy", "2006", "yy", "06",
		"MMMM", "January", "MMM", "Jan", "MM", "01", "M", "1",
		"dd", "02", "d", "2",
		"HH", "15", "H", "15", "hh", "03", "h", "3",
		"mm", "04", "m", "4", "ss", "05", "s", "5", "tt", "PM",
	).Replace(layout)
}

// fastISODate turns a valid yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss into the
// API's form without the time package; anything else is left to
// ParseDate.
func fastISODate(v string) (string, bool) {
	switch {
	case !isISODate(v):
		return "", false
	case len(v) == 10:
		return v + "T00:00:00", true
	}
	return v, true
}

// isISODate reports whether v is a valid yyyy-MM-dd or
// yyyy-MM-ddTHH:mm:ss.
func isISODate(v string) bool {
	if len(v) != 10 && len(v) != 19 {
		return false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(v[0:4])
	m, ok2 := num(v[5:7])
	d, ok3 := num(v[8:10])
	if !ok1 || !ok2 || !ok3 || v[4] != '-' || v[7] != '-' || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return false
	}
	if len(v) == 10 {
		return true
	}
	hh, ok1 := num(v[11:13])
	mm, ok2 := num(v[14:16])
	ss, ok3 := num(v[17:19])
	return v[10] == 'T' && v[13] == ':' && v[16] == ':' && ok1 && ok2 && ok3 && hh <= 23 && mm <= 59 && ss <= 59
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// CheckDateLayout refuses a date format that cannot read a date: it must
// give the year, the month and the day (dd/MM/yyyy, MM/dd/yyyy, or a Go
// layout such as 02/01/2006).
func CheckDateLayout(layout string) error {
	goLayout := GoLayout(layout)
	want := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	got, err := time.Parse(goLayout, want.Format(goLayout))
	if err == nil && got.Year() == want.Year() && got.Month() == want.Month() && got.Day() == want.Day() {
		return nil
	}
	msg := fmt.Sprintf("%q is not a date format: it must give the year (yyyy), the month (MM) and the day (dd), as in dd/MM/yyyy or MM/dd/yyyy", layout)
	if strings.Contains(layout, "mm") && !strings.Contains(layout, "MM") {
		msg += "; MM is the month, mm the minutes"
	}
	return errors.New(msg)
}
