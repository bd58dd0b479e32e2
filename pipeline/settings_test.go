package pipeline

import (
	"errors"
	"slices"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// TestSettingsAreKeptAndGivenAgain: the options given are what a run
// keeps; setting them again on fresh settings gives the same import, but
// for an option given again, which wins; an option kept that is not
// valid any more is refused by name.
func TestSettingsAreKeptAndGivenAgain(t *testing.T) {
	first := NewSettings(mapping.Users)
	for _, o := range [][2]string{{"mode", "update-only"}, {"match", "F015"}, {"max-deactivations", "3"}, {"scope", "F021=Sales"}, {"scope", "group=Leaders, EMEA"}, {"leave", "delete"}, {"rate", "40"}, {"workers", "5"}} {
		if err := first.Set(o[0], o[1]); err != nil {
			t.Fatal(err)
		}
	}
	args := first.Args()
	if len(args) != 8 || !slices.Contains(args, "--mode=update-only") || !slices.Contains(args, "--leave=delete") || !slices.Contains(args, "--scope=group=Leaders, EMEA") {
		t.Fatalf("kept %q", args)
	}
	again := NewSettings(mapping.Users)
	again.Set("match", "F004") // given again: wins
	if err := again.SetArgs(args, "the run"); err != nil {
		t.Fatal(err)
	}
	job, err := again.Job(mapping.Users)
	if err != nil {
		t.Fatal(err)
	}
	imp := job.Import
	if imp.Mode != UpdateOnly || imp.Match != "F004" || imp.Leave != OpDelete || imp.Workers != 5 || again.Pace.Rate != 40 || imp.Limits.Deactivations.String() != "3" || !slices.Equal(imp.Scope, first.Import.Scope) || len(imp.Scope) != 2 {
		t.Errorf("given again: %+v, limits %+v, rate %v", imp.PlanOptions, imp.Limits, again.Pace.Rate)
	}
	if !slices.Contains(job.Args, "--match=F004") || !slices.Contains(job.Args, "--mode=update-only") {
		t.Errorf("the options the new run keeps: %q", job.Args)
	}

	// Options of another kind of import are not its own: left out.
	tr := NewSettings(mapping.Transcripts)
	if err := tr.SetArgs(append(args, "--enroll-missing=true"), "the run"); err != nil || !tr.Import.EnrollMissing || tr.Import.Mode != Upsert {
		t.Errorf("transcripts: %v %+v", err, tr.Import.PlanOptions)
	}

	var oe *validate.OptionError
	if err := NewSettings(mapping.Users).SetArgs([]string{"--mode=sideways"}, "the run"); !errors.As(err, &oe) || oe.Option != "mode" {
		t.Errorf("a kept option not valid now: %v", err)
	}
	bad := NewSettings(mapping.Users)
	bad.Set("leave", "purge")
	if _, err := bad.Job(mapping.Users); !errors.As(err, &oe) || oe.Option != "leave" {
		t.Errorf("leave purge: %v", err)
	}
	bad = NewSettings(mapping.Users)
	bad.Set("workers", "0")
	if _, err := bad.Job(mapping.Users); !errors.As(err, &oe) || oe.Text("--workers") != "--workers 0: give at least 1 request in flight" {
		t.Errorf("workers 0: %v", err)
	}
	if def := NewSettings(mapping.Users); def.Pace.Rate != ilms.Auto || def.Pace.Workers != 64 || len(def.Args()) != 0 {
		t.Errorf("defaults: %+v, kept %q", def.Pace, def.Args())
	}
}
