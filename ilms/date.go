package ilms

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// DateLayout is the form the API asks for in request bodies:
// "iso8601 UTC string Format: yyyy-MM-ddTHH:mm:ss".
const DateLayout = "2006-01-02T15:04:05"

// wireLayout is DateLayout with the fraction of a second a date has, to
// the 100 ns the server's dates carry at most (.NET's tick), trailing zeros
// dropped: "2013-12-08T10:05:59.877" is written back as it was read.
const wireLayout = DateLayout + ".9999999"

// Date is a date and time as the API exchanges it: UTC, without a zone.
//
// It reads every form the document shows ("2013-10-23T13:30:38.22",
// "2013-12-08T10:05:59.877", "2014-01-01T04:00:00"), a bare date
// ("2013-10-23"), and an explicit zone ("…Z" or "…-06:00", converted to
// UTC). It writes DateLayout, with the fraction of a second it has, so that
// a date read from the server goes back unchanged; String leaves the
// fraction out. Nullable fields are *Date: JSON null leaves the pointer
// nil.
type Date struct {
	time.Time
}

// NewDate returns t as a Date in UTC.
func NewDate(t time.Time) Date { return Date{t.UTC()} }

// DatePtr returns a pointer to NewDate(t), for nullable request fields.
func DatePtr(t time.Time) *Date { d := NewDate(t); return &d }

// ParseDate reads s in any of the forms Date accepts.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999", // fraction of any length, or none
		time.RFC3339Nano,
		"2006-01-02 15:04:05.999999999",
		"2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.UTC()}, nil
		}
	}
	return Date{}, fmt.Errorf("ilms: %q is not a date of the form yyyy-MM-ddTHH:mm:ss", s)
}

// String formats d as DateLayout, to the second, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.UTC().Format(DateLayout)
}

// wire formats d as a request sends it: DateLayout and its fraction.
func (d Date) wire() string { return d.UTC().Format(wireLayout) }

// MarshalJSON writes DateLayout with d's fraction of a second, or null for
// the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.wire() + `"`), nil
}

// UnmarshalJSON reads null, "" or any form ParseDate accepts.
func (d *Date) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte(`""`)) {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("ilms: date must be a JSON string, got %s", b)
	}
	parsed, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}
