package export

import (
	"slices"
	"testing"

	"github.com/spf13/pflag"
)

// TestSetForm: a form's fields set the options of the same names: each
// value of a list one item, a comma kept in a name, a blank value none,
// a field that is no option of the export left alone.
func TestSetForm(t *testing.T) {
	var o TranscriptsOptions
	f := pflag.NewFlagSet("transcripts", pflag.ContinueOnError)
	o.AddFlags(f)
	form := map[string][]string{"group": {"Sales, EMEA", " Support "}, "status": {""}, "user": {"ada@example.com"}, "course": {"pyOgaoli"}, "kind": {"transcripts"}}
	if err := SetForm(f, form); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.Groups, []string{"Sales, EMEA", "Support"}) || o.Statuses != nil || !slices.Equal(o.Users, []string{"ada@example.com"}) {
		t.Errorf("options %+v", o)
	}
	var e EnrollmentsOptions
	f = pflag.NewFlagSet("enrollments", pflag.ContinueOnError)
	e.AddFlags(f)
	if err := SetForm(f, map[string][]string{"include-inactive": {"1"}}); err != nil || !e.IncludeInactive {
		t.Errorf("include-inactive=1: %v, %+v", err, e)
	}
	if err := SetForm(f, map[string][]string{"all": {"maybe"}}); err == nil {
		t.Errorf("all=maybe was taken: %+v", e)
	}
}
