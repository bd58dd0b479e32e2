package ilms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Number is a quantity the API writes as a JSON number in one answer and as
// a string in another: Credits and Hours are "10" on a course and 0.0 on a
// transcript. It reads either, and null or "" as 0; it writes a number.
type Number float64

// UnmarshalJSON reads a JSON number, a string holding one, null or "".
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("ilms: %s is not a number", b)
		}
		text = strings.TrimSpace(text)
	}
	if text == "" || text == "null" {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return fmt.Errorf("ilms: %s is not a number", b)
	}
	*n = Number(f)
	return nil
}

// String writes n in the shortest form that reads back: "10", "1.5".
func (n Number) String() string { return strconv.FormatFloat(float64(n), 'f', -1, 64) }
