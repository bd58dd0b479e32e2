package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Tally counts the rows of a validation.
type Tally struct {
	Rows, Valid, Invalid, Warnings int
	// Problems counts problems by "rule — column".
	Problems map[string]int
}

// Validate reads every row of src, checks it, and hands it to emit, in
// order. It stops at the first error of src or emit, or when ctx ends.
func Validate(ctx context.Context, src Source, c *Checker, emit func(*Checked) error) (Tally, error) {
	t := Tally{Problems: map[string]int{}}
	for n := 0; ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return t, ctx.Err()
		}
		row, err := src.Next()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return t, err
		}
		ch := c.Check(row)
		t.Count(c, &ch)
		if err := emit(&ch); err != nil {
			return t, err
		}
	}
}

// Count adds a checked row to the tally.
func (t *Tally) Count(c *Checker, ch *Checked) {
	t.Rows++
	if ch.Valid() {
		t.Valid++
	} else {
		t.Invalid++
	}
	if ch.Row.Err != nil {
		label := "unreadable row"
		var re *RowError
		if errors.As(ch.Row.Err, &re) {
			label = re.Err.Error()
		}
		t.Problems[label]++
		return
	}
	warned := false
	for _, p := range ch.Problems {
		if p.Severity == validate.Warning {
			warned = true
		}
		label := "problem"
		if p.Rule != nil {
			label = p.Rule.Error()
		}
		if p.Field != "" {
			label += " — " + c.DescribeField(p.Field)
		}
		t.Problems[label]++
	}
	if warned {
		t.Warnings++
	}
}

// DescribeField names a field by the user's column.
func (c *Checker) DescribeField(id string) string {
	if id == "User" {
		return "user"
	}
	col := c.m.Column(id)
	if len(id) == 4 && id[0] == 'F' && col != id {
		return col + " (" + id + ")"
	}
	return col
}

// FileSHA256 returns the hex SHA-256 of a file, for the audit trail.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
