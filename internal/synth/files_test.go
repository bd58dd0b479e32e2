package synth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/synth"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

type rows [][]string

func (r *rows) Write(row []string) error {
	*r = append(*r, append([]string(nil), row...))
	return nil
}

// keysOf returns the employee IDs and emails of a generated users file,
// lower-cased as iLMS compares them.
func keysOf(t *testing.T, seed uint64, n int) map[string]bool {
	t.Helper()
	var out rows
	if err := synth.GenerateUsers(&out, n, 0, seed); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, r := range out[1:] {
		for _, k := range []string{r[3], r[14]} {
			keys[strings.ToLower(k)] = true
		}
	}
	if len(keys) != 2*n {
		t.Fatalf("seed %d: %d distinct keys in %d rows", seed, len(keys), n)
	}
	return keys
}

// TestGeneratedKeysDoNotCollide: files of two seeds share no employee ID
// or email, and neither shares one with the sandbox's staff, however large
// the sandbox.
func TestGeneratedKeysDoNotCollide(t *testing.T) {
	one, three, thirteen := keysOf(t, 1, 2000), keysOf(t, 3, 2000), keysOf(t, 13, 2000)
	staff := map[string]bool{}
	for _, u := range sandbox.GenerateOrg(sandbox.SeedOptions{Users: 3000, Seed: 1}).Users {
		for _, code := range []string{"F004", "F015"} {
			if k := u.Profile[code]; k != "" {
				staff[strings.ToLower(k)] = true
			}
		}
	}
	for name, pair := range map[string][2]map[string]bool{
		"seeds 1 and 3": {one, three}, "seeds 1 and 13": {one, thirteen}, "seeds 3 and 13": {three, thirteen},
		"seed 1 and the staff": {one, staff}, "seed 3 and the staff": {three, staff},
	} {
		for k := range pair[0] {
			if pair[1][k] {
				t.Errorf("%s share %s", name, k)
			}
		}
	}
}

// TestGeneratedFilesAgree: the enrollments and transcripts of a seed are
// of the people the users file of that seed makes.
func TestGeneratedFilesAgree(t *testing.T) {
	people := keysOf(t, 7, 50)
	for name, gen := range map[string]func(synth.RowWriter, int, float64, uint64) error{"enrollments": synth.GenerateEnrollments, "transcripts": synth.GenerateTranscripts} {
		var out rows
		if err := gen(&out, 50, 0, 7); err != nil {
			t.Fatal(err)
		}
		for _, r := range out[1:] {
			if !people[strings.ToLower(r[0])] {
				t.Errorf("%s: %s is nobody of the users file", name, r[0])
			}
		}
	}
}

func TestGenerateChecksItsOptions(t *testing.T) {
	for _, tc := range []struct {
		opts   synth.Options
		option string
	}{
		{synth.Options{Kind: "user", Rows: 1}, "kind"},
		{synth.Options{Kind: "users", Rows: -1}, synth.OptionRows},
		{synth.Options{Kind: "users", Rows: 1, Bad: 1.5}, synth.OptionBad},
		{synth.Options{Kind: "transcripts", Rows: 1, Bad: -0.5}, synth.OptionBad},
	} {
		var got rows
		err := synth.Generate(&got, tc.opts)
		var oe *validate.OptionError
		if !errors.As(err, &oe) || oe.Option != tc.option || len(got) != 0 {
			t.Errorf("%+v: %v, %d rows written; want an OptionError of %s before any row", tc.opts, err, len(got), tc.option)
		}
	}
	var oe *validate.OptionError
	if errors.As(synth.Generate(&rows{}, synth.Options{Kind: "user"}), &oe) && oe.Suggestion != "users" {
		t.Errorf("suggestion %q for user", oe.Suggestion)
	}
	for _, kind := range synth.Kinds {
		var got rows
		if err := synth.Generate(&got, synth.Options{Kind: kind, Rows: 5, Seed: 3}); err != nil || len(got) != 6 {
			t.Errorf("%s: %d rows, %v; want a header and 5", kind, len(got), err)
		}
	}
}
