package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// importOptions are the flags of an import: most go straight into the
// library's job.
type importOptions struct {
	inputOptions
	pace
	job            pipeline.Job
	imp            pipeline.ImportOptions
	Resume, Format string
	OnlyFailed     string
}

func newImportCmd(ios *IOStreams, g *globalOptions, kind mapping.Kind, opts *importOptions) *cobra.Command {
	sub := &cobra.Command{Use: kind.String() + " FILE", Short: "Import " + kind.String() + " from a CSV or XLSX file", Args: fileArg(true),
		RunE: func(cmd *cobra.Command, args []string) error { return runImport(cmd, ios, g, opts, kind, args) }}
	f, plan := sub.Flags(), &opts.imp.PlanOptions
	opts.addFlags(f, false)
	f.BoolVar(&opts.imp.DryRun, "dry-run", false, "validate, read the organization and write plan.csv; send no write request")
	f.StringVar(&opts.job.PlanOut, "plan-out", "", "with --dry-run (implied): save the plan to this file, to show (plan show) and apply exactly (apply)")
	f.StringVar(&opts.job.Out, "out", "", "run folder (default ./ilms-bulk-runs/<time>-"+kind.String()+")")
	f.StringVar(&opts.Resume, "resume", "", "finish the run in this folder: rows already done are not touched again")
	f.StringVar(&opts.OnlyFailed, "only-failed", "", "a new run of the rows that failed in this run folder for a reason that may pass now (FILE, when given, is its errors sheet, fixed: every row of it)")
	opts.addPaceFlags(f)
	lim := &opts.imp.Limits
	*lim = pipeline.DefaultLimits()
	f.Var(&lim.Creates, "max-creates", "safety limit, checked before the first write: at most this many new users (N, or P% of the active users)")
	f.Var(&lim.Updates, "max-updates", "safety limit: at most this many rows updated (N or P%)")
	f.Var(&lim.Deactivations, "max-deactivations", "safety limit: at most this many users inactivated (N or P%)")
	f.Var(&lim.Cleared, "max-cleared", "safety limit: at most this many fields cleared (N or P%)")
	f.StringVar(&opts.Format, "format", "", "xlsx: also write results.xlsx and errors.xlsx (always when the input is XLSX)")
	switch kind {
	case mapping.Users:
		f.Var(&plan.Mode, "mode", "upsert, create-only or update-only: which rows may create or update users")
		f.StringVar(&plan.Match, "match", "", "F004 or F015: the field users are matched on (default F004 when the file has it)")
		f.BoolVar(&plan.CreateHierarchy, "create-hierarchy", false, "create regions, divisions and departments the file names that do not exist")
		f.BoolVar(&plan.SendRegistrationMail, "send-registration-mail", false, "new users get iLMS's registration email")
		f.BoolVar(&plan.ChangePasswordAtNextLogin, "change-password-at-next-login", false, "users given a password must change it when they next log in")
		f.BoolVar(&plan.DeactivateMissing, "deactivate-missing", false, "inactivate the active users in --scope whom the file does not name (after the safety limits)")
		f.Var(&plan.Scope, "scope", "whom --deactivate-missing may inactivate: F019=REGION, F020=DIVISION, F021=DEPARTMENT (exact names) or group=NAME|ID; repeat to narrow")
		f.BoolVar(&plan.AllowIdentityChange, "allow-identity-change", false, "let a row matched by employee ID change the user's names and email, or matched by email their employee ID (otherwise a conflict)")
	case mapping.Transcripts:
		f.BoolVar(&plan.EnrollMissing, "enroll-missing", false, "enroll users who are not enrolled yet, then update their transcript")
	}
	return sub
}

func runImport(cmd *cobra.Command, ios *IOStreams, g *globalOptions, opts *importOptions, kind mapping.Kind, args []string) (err error) {
	job := &opts.job
	job.Command, job.XLSX, job.Import = cmp.Or(job.Command, "import "+kind.String()), opts.Format == "xlsx", &opts.imp
	if len(args) == 1 {
		job.Path = args[0]
	}
	switch {
	case opts.Resume != "" && opts.imp.DryRun:
		return usagef("--resume and --dry-run do not go together")
	case opts.Resume != "" && opts.OnlyFailed != "":
		return usagef("--resume finishes a run; --only-failed makes a new one of its failures: give one of them")
	case opts.OnlyFailed != "":
		if job.Retry, err = pipeline.OpenRetry(opts.OnlyFailed, kind, job.Path); err != nil {
			return err
		} else if err := setArgs(cmd, job.Retry.State.Header.Args, "--only-failed "+opts.OnlyFailed); err != nil {
			return err
		}
	case opts.Resume != "":
		if job.Resume, err = resume(cmd, opts.Resume, kind); err != nil {
			return err
		}
	case job.Path == "" && job.Undo == nil:
		return usagef("import %s takes one FILE, a CSV or XLSX file, or --resume DIR", kind)
	}
	if err := opts.pace.check(); err != nil {
		return err
	} else if opts.Format != "" && opts.Format != "csv" && opts.Format != "xlsx" {
		return usagef("--format %q: give csv or xlsx", opts.Format)
	} else if job.Input, job.Check, err = opts.inputOptions.options(&kind); err != nil {
		return err
	}
	opts.imp.DryRun = opts.imp.DryRun || job.PlanOut != ""
	for _, p := range []*string{&opts.Mapping, &opts.Settings} {
		if *p != "" {
			*p, _ = filepath.Abs(*p) // a plan or a resume may run elsewhere
			job.Files = append(job.Files, *p)
		}
	}
	job.Args, opts.imp.Workers = changedFlags(cmd.Flags()), opts.Workers
	job.Connect = func(onAttempt func(ilms.Attempt)) (*connect.Conn, error) {
		co := opts.Options
		co.OnAttempt = onAttempt
		return g.connect(cmd.Context(), ios, co)
	}
	if !g.Quiet {
		job.OnLoad = func(url string) { fmt.Fprintf(ios.ErrOut, "reading the organization at %s …\n", url) }
	}
	if g.runF != nil {
		return g.runF(job)
	}
	prog := newProgress(ios, job.Command, "rows", g.Quiet)
	job.Progress = prog.update
	rep, runErr := job.Run(cmd.Context())
	if prog.Close(); rep == nil {
		return runErr
	}
	s, dir := rep.Summary, rep.Dir
	if !g.Quiet {
		s.WriteImport(ios.ErrOut, dir, rep.Throttled)
	}
	switch {
	case errors.As(runErr, new(*pipeline.LimitError)):
		return runErr // nothing was sent
	case errors.Is(runErr, pipeline.ErrAborted):
		fmt.Fprintf(ios.ErrOut, "stopped; once that is fixed, finish with:\n  %s\n", finishCommand(g, job, kind, s.Input.Path, dir))
		return runErr // the API's refusal, classified by its status
	case runErr != nil:
		fmt.Fprintf(ios.ErrOut, "interrupted; rows in flight finished, the rest wait. Finish with:\n  %s\n", finishCommand(g, job, kind, s.Input.Path, dir))
		return context.Canceled
	}
	return rep.Verdict()
}

// resume opens the run in dir to finish it, and applies the run's own
// options, unless given again.
func resume(cmd *cobra.Command, dir string, kind mapping.Kind) (*pipeline.Resume, error) {
	res, err := pipeline.OpenResume(dir, kind)
	if err != nil {
		return nil, err
	}
	return res, setArgs(cmd, res.State.Header.Args, "--resume "+dir)
}

// setArgs applies options a run kept (a journal's, a plan's) to cmd's
// flags, unless given again.
func setArgs(cmd *cobra.Command, args []string, from string) error {
	for _, a := range args {
		name, value, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if fl := cmd.Flags().Lookup(name); fl != nil && !fl.Changed {
			if err := cmd.Flags().Set(name, value); err != nil {
				return usagef("%s: the run's option --%s=%s is not valid now (%v); give --%s again", from, name, value, err, name)
			}
		}
	}
	return nil
}

// changedFlags lists the options given on the command line, for the
// journal: --resume applies them again (not those that name the run).
func changedFlags(fs *pflag.FlagSet) (out []string) {
	fs.Visit(func(f *pflag.Flag) {
		if f.Name != "resume" && f.Name != "out" && f.Name != "dry-run" && f.Name != "plan-out" && f.Name != "only-failed" {
			out = append(out, "--"+f.Name+"="+f.Value.String())
		}
	})
	return out
}

// finishCommand is the command line that finishes the run in dir: a
// resume of it (an apply's too: its journal names the plan), or an undo
// again (what it has undone already is left as it is).
func finishCommand(g *globalOptions, job *pipeline.Job, kind mapping.Kind, path, dir string) string {
	if job.Undo != nil {
		return resumeCommand(g, "undo", job.Undo.Dir)
	}
	return resumeCommand(g, cmp.Or(strings.TrimPrefix(job.Command, "apply"), "import "+kind.String()), path, "--resume", dir)
}

// resumeCommand is a command line of ilms-bulk, with the global flags that
// said where the run went.
func resumeCommand(g *globalOptions, command string, args ...string) string {
	parts := strings.Fields("ilms-bulk " + command)
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	if g.Sandbox {
		parts = append(parts, "--sandbox")
	}
	for _, f := range [][2]string{{"base-url", g.BaseURL}, {"org", g.OrgID}, {"config", g.ConfigPath}} {
		if f[1] != "" {
			parts = append(parts, "--"+f[0], shellQuote(f[1]))
		}
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\"$\\`!*?&;|<>()") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
