package pipeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

func TestMatchField(t *testing.T) {
	for _, tc := range []struct {
		name    string
		header  []string
		match   string
		want    string
		wantErr string
	}{
		{"default employee ID", []string{"First Name", "Employee ID", "Email"}, "", "F004", ""},
		{"default email", []string{"First Name", "Email"}, "", "F015", ""},
		{"by code", []string{"Employee ID", "Email"}, "f015", "F015", ""},
		{"by name", []string{"Employee ID", "Email"}, "Email ID", "F015", ""},
		{"ID column names each user", []string{"ID", "Email"}, "F004", "F004", ""},
		{"not a match field", []string{"First Name", "Email"}, "F001", "", "give F004 (Employee ID) or F015 (Email ID)"},
		{"not a field", []string{"First Name", "Email"}, "badge", "", "give F004 (Employee ID) or F015 (Email ID)"},
		{"column missing", []string{"First Name", "Email"}, "F004", "", "the file has no Employee ID column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := mapping.New(mapping.Users, tc.header, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			got, err := MatchField(m, tc.match)
			if tc.wantErr == "" {
				if err != nil || got != tc.want {
					t.Fatalf("MatchField(%q) = %q, %v; want %q", tc.match, got, err, tc.want)
				}
				return
			}
			var oe *validate.OptionError
			if !errors.As(err, &oe) || oe.Option != validate.OptionMatch || !strings.Contains(oe.Detail, tc.wantErr) {
				t.Errorf("MatchField(%q) error %v; want an OptionError of the match option saying %q", tc.match, err, tc.wantErr)
			}
		})
	}
}

func TestParseModeNamesTheValues(t *testing.T) {
	if m, err := ParseMode("Update-Only"); err != nil || m != UpdateOnly {
		t.Errorf("ParseMode(Update-Only) = %v, %v", m, err)
	}
	_, err := ParseMode("merge")
	var oe *validate.OptionError
	if !errors.As(err, &oe) || oe.Option != validate.OptionMode || !strings.Contains(oe.Error(), "upsert") || !strings.Contains(oe.Error(), "create-only or update-only") {
		t.Errorf("ParseMode(merge) error %v", err)
	}
}
