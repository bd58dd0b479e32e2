package ilms

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Rate is a number of requests a second that a run, or a sandbox, keeps
// to. It is written as a positive number (10, 2.5) or as the word
// unlimited; zero is not accepted as text, so that "no limit" is always
// said in so many words. Its value as a float64 is what Limiter takes.
type Rate float64

// Unlimited is the rate of no limit; Auto is the rate the server is
// found to accept (AutoRate).
const (
	Unlimited Rate = 0
	Auto      Rate = -1
)

// ErrRate is the problem of a rate that is neither a positive number nor
// unlimited.
var ErrRate = errors.New("give auto, a positive number of requests a second such as 10 or 2.5, or unlimited")

// ParseRate reads a rate as a person writes it: auto, a positive number,
// or unlimited, in any case. Anything else, zero included, is ErrRate.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.EqualFold(s, "unlimited"):
		return Unlimited, nil
	case strings.EqualFold(s, "auto"):
		return Auto, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return Unlimited, ErrRate
	}
	return Rate(v), nil
}

// String writes the rate as ParseRate reads it.
func (r Rate) String() string {
	switch {
	case r == Auto:
		return "auto"
	case r <= Unlimited:
		return "unlimited"
	}
	return strconv.FormatFloat(float64(r), 'g', -1, 64)
}

// MarshalText writes the rate as ParseRate reads it.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a rate with ParseRate.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Set reads a rate with ParseRate; with Type, a *Rate is a command-line
// flag's value (pflag.Value).
func (r *Rate) Set(s string) error { return r.UnmarshalText([]byte(s)) }

// Type names the values a rate takes, for a flag's help.
func (r *Rate) Type() string { return "auto|R|unlimited" }
