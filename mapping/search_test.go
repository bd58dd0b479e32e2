package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

func TestSearchField(t *testing.T) {
	for _, tc := range []struct {
		name    string
		want    string
		wantErr string // part of the message; "" for none
		suggest string
	}{
		{name: "F021", want: "F021"},
		{name: "f005", want: "F005"},
		{name: "Department", want: "F021"},
		{name: "Dept", want: "F021"},
		{name: "Registration Date", want: "F032"},
		{name: "F099", wantErr: "F001 … F027, F031 … F034"},
		{name: "F028", wantErr: "not a profile field of the API document"},
		{name: "F016", wantErr: "never returns it"},
		{name: "Password", wantErr: "never returns it"},
		{name: "Groups", wantErr: "Groups is not a profile field"},
		{name: "Status", wantErr: "Status is not a profile field"},
		{name: "Departmnet", wantErr: "not a profile field", suggest: "Department (F021)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SearchField(tc.name)
			if tc.wantErr == "" {
				if err != nil || got != tc.want {
					t.Fatalf("SearchField(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
				}
				return
			}
			var oe *validate.OptionError
			if !errors.As(err, &oe) || oe.Option != validate.OptionSearch || !errors.Is(err, validate.ErrUnknownField) {
				t.Fatalf("SearchField(%q) error %#v, want an OptionError of the search option", tc.name, err)
			}
			if !strings.Contains(oe.Detail, tc.wantErr) || oe.Suggestion != tc.suggest || oe.Value != tc.name {
				t.Errorf("SearchField(%q): %q (suggestion %q); want %q and suggestion %q", tc.name, oe.Error(), oe.Suggestion, tc.wantErr, tc.suggest)
			}
		})
	}
}

func TestSearchTermDates(t *testing.T) {
	for _, tc := range []struct {
		field, value string
		ok           bool
	}{
		{"F005", "(From:2024-01-01T00:00:00To:2024-12-31T23:59:59)", true},
		{"Hire Date", "(From:2024-01-01T00:00:00)", true},
		{"F032", "(To:2024-12-31T23:59:59)", true},
		{"F005", "2024", false},
		{"F005", "()", false},
		{"F005", "(From:2024-13-01T00:00:00)", false},
		{"F005", "(From:2024-01-01)", false},
		{"F001", "(From:x)", true}, // not a date field: any text
	} {
		_, err := SearchTerm(tc.field, tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("SearchTerm(%q, %q): %v; want ok %v", tc.field, tc.value, err, tc.ok)
		}
		if err != nil && (!errors.Is(err, validate.ErrDate) || !strings.Contains(err.Error(), "(From:2024-01-01T00:00:00To:2024-12-31T23:59:59)")) {
			t.Errorf("SearchTerm(%q, %q): %v; want a date-range error showing the form", tc.field, tc.value, err)
		}
	}
}
