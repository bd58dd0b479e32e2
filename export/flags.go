package export

import (
	"strings"

	"github.com/spf13/pflag"
)

// The options of each export by name, as the command line's flags and
// the web page's fields give them (AddFlags, SetForm).

// AddFlags names the filter's options.
func (u *UserFilter) AddFlags(f *pflag.FlagSet) {
	f.StringSliceVar(&u.Statuses, OptionStatus, nil, "user statuses: active, inactive, deleted (default active)")
	f.StringSliceVar(&u.Groups, OptionGroup, nil, "only members of these groups (IDs or exact names)")
	f.StringArrayVar(&u.Where, "where", nil, `a search on a profile field, in the API's syntax: F001=Jo* (starts with), "F003=*son" (ends with), F015=acme (contains), 'F004="00123"' (exact), F005=(From:2024-01-01T00:00:00To:2024-12-31T23:59:59); the field by code or name; repeatable`)
}

// AddFlags names the filter's options; sessions are named only where
// the export takes them.
func (c *CourseFilter) AddFlags(f *pflag.FlagSet, sessions bool) {
	f.StringSliceVar(&c.Courses, OptionCourse, nil, "course IDs or exact names")
	f.StringSliceVar(&c.Curricula, OptionCurriculum, nil, "curriculum IDs or exact names")
	if sessions {
		f.StringSliceVar(&c.Sessions, OptionSession, nil, "ILT sessions as courseID/sessionID")
	}
	f.BoolVar(&c.IncludeInactive, "include-inactive", false, "include inactive users' enrollments")
}

// AddFlags names the export's options.
func (o *UsersOptions) AddFlags(f *pflag.FlagSet) {
	o.UserFilter.AddFlags(f)
	f.StringSliceVar(&o.Fields, OptionFields, nil, "columns, by code or name, in order: ID, UserStatus, F001 … F034 (default all)")
	f.StringVar(&o.Headers, OptionHeaders, HeaderCodes, "header row: codes (F001, F003, …) or names (First Name, Last Name, …)")
}

// AddFlags names the export's options.
func (o *EnrollmentsOptions) AddFlags(f *pflag.FlagSet) {
	o.CourseFilter.AddFlags(f, true)
	f.BoolVar(&o.All, OptionAll, false, "every course and curriculum")
}

// AddFlags names the export's options.
func (o *TranscriptsOptions) AddFlags(f *pflag.FlagSet) {
	o.UserFilter.AddFlags(f)
	f.StringSliceVar(&o.Users, OptionUser, nil, "users by iLMS ID, email or employee ID")
}

// AddFlags names the export's options.
func (o *SummaryOptions) AddFlags(f *pflag.FlagSet) { o.CourseFilter.AddFlags(f, true) }

// AddFlags names the workbook's options but the day it is as of, which
// ParseAsOf reads.
func (w *ComplianceWorkbook) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&w.Compare, "compare", "", "a workbook written before (LAST.xlsx): add a Changes sheet, then → now")
	w.CourseFilter.AddFlags(f, false)
}

// SetForm gives the options of a form's fields, by name: each value of
// a list as one item (a comma is part of a name, not a separator), a
// blank value as none, and fields that are no option of f left alone.
func SetForm(f *pflag.FlagSet, form map[string][]string) error {
	for name, values := range form {
		fl := f.Lookup(name)
		if fl == nil {
			continue
		}
		for _, v := range values {
			var err error
			if sv, ok := fl.Value.(pflag.SliceValue); !ok {
				err = f.Set(name, v)
			} else if v = strings.TrimSpace(v); v != "" {
				err = sv.Append(v)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
