package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// usersCSV writes n users rows, every seventh without a last name.
func usersCSV(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("First Name,Last Name,Email ID,Region,Division,Department\n")
	for i := range n {
		last := "Lee"
		if i%7 == 0 {
			last = ""
		}
		fmt.Fprintf(&b, "Ann,%s,ann.%d@example.com,Region 1,Division 1,Department 1\n", last, i)
	}
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func openChecked(t *testing.T, path string) (Source, *Checker) {
	t.Helper()
	src, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	m, err := mapping.New(mapping.Users, src.Header(), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	return src, NewChecker(m, CheckOptions{Settings: validate.DefaultSettings(), Create: true})
}

// failingSource reads rows from a source and fails after some.
type failingSource struct {
	Source
	left int
}

var errDisk = errors.New("read users.csv: input/output error")

func (s *failingSource) Next() (Row, error) {
	if s.left == 0 {
		return Row{}, errDisk
	}
	s.left--
	return s.Source.Next()
}

// TestValidatePool: Validate hands on every row in file order, and
// whichever way it ends (all read, the caller's error, an interrupt, a
// read error) it returns with every goroutine of its pool gone.
func TestValidatePool(t *testing.T) {
	const rows = 3000 // a dozen batches
	path := usersCSV(t, rows)
	stop := errors.New("enough")
	for _, tc := range []struct {
		name    string
		wrap    func(Source) Source
		stopAt  int // emit fails (or the run is interrupted) at this row
		cancel  bool
		wantErr error
		want    int // rows emitted; 0: no more than the rows read
	}{
		{name: "every row", want: rows},
		{name: "the caller stops", stopAt: 700, wantErr: stop, want: 699},
		{name: "an interrupt", stopAt: 300, cancel: true, wantErr: context.Canceled},
		{name: "the file fails", wrap: func(s Source) Source { return &failingSource{Source: s, left: 1000} }, wantErr: errDisk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			src, c := openChecked(t, path)
			if tc.wrap != nil {
				src = tc.wrap(src)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			emitted, line := 0, 1
			tally, err := Validate(ctx, src, c, func(ch *Checked) error {
				if ch.Row.Line != line+1 {
					return fmt.Errorf("row %d after row %d", ch.Row.Line, line)
				}
				line = ch.Row.Line
				if emitted+1 == tc.stopAt {
					if tc.cancel {
						cancel()
						return nil
					}
					return stop
				}
				emitted++
				return nil
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.want == 0 && emitted > 1000 || tc.want != 0 && emitted != tc.want {
				t.Errorf("%d rows emitted, want %d", emitted, tc.want)
			}
			if tc.wantErr == nil && (tally.Rows != rows || tally.Invalid != (rows+6)/7) {
				t.Errorf("tally %d rows, %d invalid; want %d, %d", tally.Rows, tally.Invalid, rows, (rows+6)/7)
			}
		})
	}
}
