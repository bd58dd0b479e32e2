package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/export"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/remedy"
)

// parse runs a command line up to the library call it would make, and
// returns that call: no file is read and no server is contacted.
func parse(t *testing.T, args ...string) any {
	t.Helper()
	g := &globalOptions{}
	var call any
	g.runF = func(c any) error { call = c; return errStop }
	root := newRootCmd(&IOStreams{}, g)
	root.SetArgs(args)
	if _, err := root.ExecuteC(); !errors.Is(err, errStop) {
		t.Fatalf("%v: %v", args, err)
	}
	return call
}

var errStop = errors.New("stopped before the library call")

func TestFlagsReachTheLibrary(t *testing.T) {
	job := parse(t, "import", "users", "people.csv", "--dry-run", "--mode", "create-only", "--match", "F015", "--workers", "3",
		"--create-hierarchy", "--allow-identity-change", "--format", "xlsx", "--out", "runs/a", "--encoding", "windows-1252",
		"--header-row", "2", "--delimiter", ";", "--date-format", "dd/MM/yyyy", "--ignore-unknown").(*pipeline.Job)
	imp := job.Import
	if job.Path != "people.csv" || job.Out != "runs/a" || !job.XLSX || job.Command != "import users" || !imp.DryRun || imp.Workers != 3 {
		t.Errorf("job %+v", job)
	}
	if imp.Mode != pipeline.CreateOnly || imp.Match != "F015" || !imp.CreateHierarchy || !imp.AllowIdentityChange || imp.SendRegistrationMail {
		t.Errorf("plan options %+v", imp.PlanOptions)
	}
	in := job.Input
	if in.Kind == nil || *in.Kind != mapping.Users || in.Read.Encoding != "windows-1252" || in.Read.HeaderRow != 2 || in.Read.Delimiter != ';' || !in.IgnoreUnknown || job.Check.DateLayout != "dd/MM/yyyy" {
		t.Errorf("reading %+v, check %+v", in, job.Check)
	}
	if !slices.Contains(job.Args, "--mode=create-only") || slices.Contains(job.Args, "--out=runs/a") {
		t.Errorf("the journal's options %q: a resume applies --mode again, not --out", job.Args)
	}

	// The settings and mapping files are read before the call.
	dir := t.TempDir()
	settings := filepath.Join(dir, "settings.json")
	os.WriteFile(settings, []byte(`{"password_min_length": 8}`), 0o644)
	job = parse(t, "validate", "people.csv", "--kind", "enrollments", "--mode", "update-only", "--settings", settings).(*pipeline.Job)
	if job.Mode != pipeline.UpdateOnly || *job.Input.Kind != mapping.Enrollments || job.Check.Settings.PasswordMinLength != 8 || job.Import != nil {
		t.Errorf("validate job %+v", job)
	}

	x := parse(t, "export", "users", "--status", "active,inactive", "--where", "F021=Sales", "--fields", "F004,F001", "-o", "u.xlsx", "--rate", "unlimited", "--page-size", "50").(*exporter)
	users := x.job.(*export.UsersOptions)
	if x.Output != "u.xlsx" || x.Format != "xlsx" || x.PerPage != 50 || x.Rate != ilms.Unlimited {
		t.Errorf("exporter %+v", x)
	}
	// By default a run finds the server's rate, up to 200 a second, with
	// up to 64 requests in flight.
	x = parse(t, "export", "summary", "-o", "s.csv").(*exporter)
	if x.Rate != ilms.Auto || x.MaxRate != ilms.AutoMax || x.Workers != 64 {
		t.Errorf("default pace %+v", x.Options)
	}
	if x = parse(t, "export", "summary", "-o", "s.csv", "--rate", "40", "--max-rate", "120").(*exporter); x.Rate != 40 || x.MaxRate != 120 {
		t.Errorf("pace %+v", x.Options)
	}
	if !slices.Equal(users.Statuses, []string{"active", "inactive"}) || !slices.Equal(users.Where, []string{"F021=Sales"}) || !slices.Equal(users.Fields, []string{"F004", "F001"}) {
		t.Errorf("users options %+v", users)
	}
}

// TestResumeCommandSaysWhereTheRunRan: the command that finishes a run
// carries the global flags that said where it ran, quoted for a shell,
// and no others.
func TestResumeCommandSaysWhereTheRunRan(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "users", "a b.csv", "--sandbox"}, "ilms-bulk import users 'a b.csv' --resume runs/1 --sandbox"},
		{[]string{"--config", "/etc/ilms.json", "import", "users", "a.csv", "--org", "O'Neil", "--workers", "3"},
			`ilms-bulk import users a.csv --resume runs/1 --org 'O'\''Neil' --config /etc/ilms.json`},
		{[]string{"import", "transcripts", "t.csv", "--sandbox=false", "--base-url", "https://x.example/api"},
			"ilms-bulk import transcripts t.csv --resume runs/1 --base-url https://x.example/api"},
	} {
		g := &globalOptions{}
		g.runF = func(any) error { return errStop }
		root := newRootCmd(&IOStreams{}, g)
		root.SetArgs(tc.args)
		cmd, err := root.ExecuteC()
		if !errors.Is(err, errStop) {
			t.Fatalf("%v: %v", tc.args, err)
		}
		kind, _ := mapping.ParseKind(cmd.Name())
		if got := resumeCommand(g, "import "+kind.String(), tc.args[slices.Index(tc.args, cmd.Name())+1], "--resume", "runs/1"); got != tc.want {
			t.Errorf("%v:\n got %s\nwant %s", tc.args, got, tc.want)
		}
	}
}

// TestEveryRemedyIsAFlag: every option a library message can name is a
// flag of some command, spelt as flagOf writes it, so a remedy the command
// line prints can be typed.
func TestEveryRemedyIsAFlag(t *testing.T) {
	flags := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { flags["--"+f.Name] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { flags["--"+f.Name] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&IOStreams{}, &globalOptions{}))
	for _, o := range remedy.All {
		if name := flagOf(remedy.Of(o)); !flags[name] {
			t.Errorf("remedy %q is rendered as %s, which no command has", o, name)
		}
	}
	if got := flagOf(remedy.Of(remedy.Sheet, "My People")); got != "--sheet 'My People'" {
		t.Errorf("a value with a space: %s", got)
	}
}
