package pipeline

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// Settings are the options of an import by the names a person gives them
// (mode, match, mapping, max-deactivations, …): the command line's flags
// are its flag set, and a web page sets the same names. A run keeps the
// options given (Args) in its journal and its plan, and a resume, a retry
// or an apply sets them again (SetArgs), whoever started the run and
// wherever it goes on: a run is finished as it was begun.
type Settings struct {
	Reading
	// Pace is how the run spends the API; a web page's runs share the
	// page's, and take only its Workers.
	Pace   connect.Options
	Import ImportOptions
	// Format "xlsx" writes results.xlsx and errors.xlsx too.
	Format string
	flags  *pflag.FlagSet
}

// NewSettings returns the defaults of an import of kind, and its options.
func NewSettings(kind mapping.Kind) *Settings {
	s := &Settings{Import: ImportOptions{Limits: DefaultLimits()}}
	f := pflag.NewFlagSet("import "+kind.String(), pflag.ContinueOnError)
	s.Reading.AddFlags(f, false)
	s.Pace.AddPaceFlags(f)
	lim, plan := &s.Import.Limits, &s.Import.PlanOptions
	f.Var(&lim.Creates, "max-creates", "safety limit, checked before the first write: at most this many new users (N, or P% of the active users)")
	f.Var(&lim.Updates, "max-updates", "safety limit: at most this many rows updated (N or P%)")
	f.Var(&lim.Deactivations, "max-deactivations", "safety limit: at most this many users inactivated (N or P%)")
	f.Var(&lim.Cleared, "max-cleared", "safety limit: at most this many fields cleared (N or P%)")
	f.StringVar(&s.Format, "format", "", "xlsx: also write results.xlsx and errors.xlsx (always when the input is XLSX)")
	switch kind {
	case mapping.Users:
		f.Var(&plan.Mode, "mode", "upsert, create-only or update-only: which rows may create or update users")
		f.StringVar(&plan.Match, "match", "", "F004 or F015: the field users are matched on (default F004 when the file has it)")
		f.BoolVar(&plan.CreateHierarchy, "create-hierarchy", false, "create regions, divisions and departments the file names that do not exist")
		f.BoolVar(&plan.SendRegistrationMail, "send-registration-mail", false, "new users get iLMS's registration email")
		f.BoolVar(&plan.ChangePasswordAtNextLogin, "change-password-at-next-login", false, "users given a password must change it when they next log in")
		f.BoolVar(&plan.DeactivateMissing, "deactivate-missing", false, "inactivate the active users in --scope whom the file does not name (after the safety limits)")
		f.Var(&plan.Scope, "scope", "whom --deactivate-missing may inactivate: F019=REGION, F020=DIVISION, F021=DEPARTMENT (exact names) or group=NAME|ID; repeat to narrow")
		f.StringVar(&plan.Leave, "leave", "", "inactivate or delete: every row is a leaver, and only who it names is read (import leavers)")
		f.BoolVar(&plan.AllowIdentityChange, "allow-identity-change", false, "let a row matched by employee ID change the user's names and email, or matched by email their employee ID (otherwise a conflict)")
	case mapping.Transcripts:
		f.BoolVar(&plan.EnrollMissing, "enroll-missing", false, "enroll users who are not enrolled yet, then update their transcript")
	}
	s.flags = f
	return s
}

// Flags are the options, by name. A caller may add options of its own
// to them before they are given, and the run keeps those too.
func (s *Settings) Flags() *pflag.FlagSet { return s.flags }

// Set gives one option by name, as a person would.
func (s *Settings) Set(name, value string) error { return s.flags.Set(name, value) }

// Args are the options given, as --name=value: what a run keeps.
func (s *Settings) Args() (args []string) {
	s.flags.VisitAll(func(f *pflag.Flag) { // given here, or to a command's flags that hold these
		if !f.Changed {
			return
		}
		values := []string{f.Value.String()}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			values = sv.GetSlice() // a term at a time: a list's text may not read back
		}
		for _, v := range values {
			args = append(args, "--"+f.Name+"="+v)
		}
	})
	return args
}

// SetArgs gives again the options a run kept (Args), but for those given
// already, which a person changes for the rest of the run. from names
// the run in the error of an option that is not valid any more.
func (s *Settings) SetArgs(args []string, from string) error {
	kept := map[string]bool{} // set here: a list's next items follow
	for _, a := range args {
		name, value, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if f := s.flags.Lookup(name); f != nil && (!f.Changed || kept[name]) {
			kept[name] = true
			if err := s.flags.Set(name, value); err != nil {
				return &validate.OptionError{Option: name, Value: value, Rule: validate.ErrInvalid,
					Detail: fmt.Sprintf("%s kept this option, which is not valid now (%v); give it again", from, err)}
			}
		}
	}
	return nil
}

// Job checks the settings and returns the import of a kind of file they
// make (its Path, and what runs it, are the caller's to set). The mapping
// and settings files are named by their absolute paths, which a resume
// or an apply started elsewhere finds again.
func (s *Settings) Job(kind mapping.Kind) (*Job, error) {
	if err := s.Pace.CheckPace(); err != nil {
		return nil, err
	} else if s.Format != "" && s.Format != "csv" && s.Format != "xlsx" {
		return nil, &validate.OptionError{Option: "format", Value: s.Format, Rule: validate.ErrInvalid, Detail: "give csv or xlsx"}
	} else if l := s.Import.Leave; l != "" && l != OpInactivate && l != OpDelete {
		return nil, &validate.OptionError{Option: "leave", Value: l, Rule: validate.ErrInvalid, Detail: "give inactivate or delete"}
	}
	job := &Job{Import: &s.Import, XLSX: s.Format == "xlsx"}
	var err error
	if job.Input, job.Check, err = s.Reading.Options(&kind); err != nil {
		return nil, err
	}
	for _, p := range []*string{&s.Mapping, &s.Settings} {
		if *p != "" {
			*p, _ = filepath.Abs(*p)
			job.Files = append(job.Files, *p)
		}
	}
	s.Import.Workers, job.Args = s.Pace.Workers, s.Args()
	return job, nil
}
