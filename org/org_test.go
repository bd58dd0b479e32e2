package org

import (
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
)

// seedClient serves the seed organization, changed by edit, and returns a
// client of it.
func seedClient(t *testing.T, edit func(*sandbox.State)) (*sandbox.Server, *ilms.Client) {
	srv, c, _ := sandboxtest.Serve(t, sandboxtest.Options{Edit: edit})
	return srv, c
}

// TestOrgMatchesIDsExactlyAndNamesInAnyCase: an ID finds its course and
// no other, whatever its case; a name finds its course in any case, and a
// name two IDs share is an error naming both.
func TestOrgMatchesIDsExactlyAndNamesInAnyCase(t *testing.T) {
	_, c := seedClient(t, func(st *sandbox.State) {
		st.Groups = append(st.Groups, &sandbox.Group{ID: 990, Name: "sales"}) // the seed has group 2 "Sales"
	})
	org, err := Load(t.Context(), c, Needs{Groups: true, Courses: true, Sessions: true}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref     string
		want    string // the target, or else
		wantErr []string
	}{
		{ref: "Wert98k", want: "Wert98k"},
		{ref: "WErt98k", want: "WErt98k"},
		{ref: "ladder safety", want: "Wert98k"},
		{ref: "FORKLIFT SAFETY", want: "WErt98k"},
		{ref: "wert98k", wantErr: []string{`"wert98k"`, "case-sensitive", "WErt98k or Wert98k"}},
		{ref: "pyOgaoli/4901", want: "pyOgaoli/4901"},
		{ref: "4mnvYSli", want: "4mnvYSli"},
		// Course p1gyJg4a and curriculum 4mnvYSli are both "Security".
		{ref: "security", wantErr: []string{"p1gyJg4a", "4mnvYSli", "give the ID"}},
	} {
		got, err := org.ResolveCourseRef(tc.ref)
		switch {
		case tc.wantErr == nil && (err != nil || got.String() != tc.want):
			t.Errorf("%q: %v %v, want %s", tc.ref, got, err, tc.want)
		case tc.wantErr != nil && err == nil:
			t.Errorf("%q: %v, want an error", tc.ref, got)
		case tc.wantErr != nil:
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q: %q does not say %q", tc.ref, err, w)
				}
			}
		}
	}
	if _, err := org.Group("SALES"); err == nil || !strings.Contains(err.Error(), "(2, 990)") {
		t.Errorf("two groups named sales: %v, want an error naming 2 and 990", err)
	}
	if g, err := org.Group("990"); err != nil || g.Name != "sales" {
		t.Errorf("group 990: %v %v", g, err)
	}
}
