package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// importOptions are the flags of an import: its settings, which the run
// keeps, and those that say which run it is.
type importOptions struct {
	*pipeline.Settings
	job                pipeline.Job
	Resume, OnlyFailed string
}

func newImportCmd(ios *IOStreams, g *globalOptions, kind mapping.Kind, opts *importOptions) *cobra.Command {
	sub := &cobra.Command{Use: kind.String() + " FILE", Short: "Import " + kind.String() + " from a CSV or XLSX file", Args: fileArg(true),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), ios, g, opts, kind, args)
		}}
	if opts.Settings == nil {
		opts.Settings = pipeline.NewSettings(kind)
	}
	f := sub.Flags()
	f.AddFlagSet(opts.Flags())
	f.BoolVar(&opts.Import.DryRun, "dry-run", false, "validate, read the organization and write plan.csv; send no write request")
	f.StringVar(&opts.job.PlanOut, "plan-out", "", "with --dry-run (implied): save the plan to this file, to show (plan show) and apply exactly (apply)")
	f.StringVar(&opts.job.Out, "out", "", "run folder (default ./ilms-bulk-runs/<time>-"+kind.String()+")")
	f.StringVar(&opts.Resume, "resume", "", "finish the run in this folder: rows already done are not touched again")
	f.StringVar(&opts.OnlyFailed, "only-failed", "", "a new run of the rows that failed in this run folder for a reason that may pass now (FILE, when given, is its errors sheet, fixed: every row of it)")
	return sub
}

func runImport(ctx context.Context, ios *IOStreams, g *globalOptions, opts *importOptions, kind mapping.Kind, args []string) (err error) {
	var path string
	if len(args) == 1 {
		path = args[0]
	}
	switch {
	case opts.Resume != "" && opts.Import.DryRun:
		return usagef("--resume and --dry-run do not go together")
	case opts.Resume != "" && opts.OnlyFailed != "":
		return usagef("--resume finishes a run; --only-failed makes a new one of its failures: give one of them")
	case opts.OnlyFailed != "":
		if opts.job.Retry, err = pipeline.OpenRetry(opts.OnlyFailed, kind, path); err != nil {
			return err
		} else if err := opts.SetArgs(opts.job.Retry.State.Header.Args, "--only-failed "+opts.OnlyFailed); err != nil {
			return err
		}
	case opts.Resume != "":
		if opts.job.Resume, err = pipeline.OpenResume(opts.Resume, kind); err != nil {
			return err
		} else if err := opts.SetArgs(opts.job.Resume.State.Header.Args, "--resume "+opts.Resume); err != nil {
			return err
		}
	case path == "" && opts.job.Undo == nil:
		return usagef("import %s takes one FILE, a CSV or XLSX file, or --resume DIR", kind)
	}
	opts.Import.DryRun = opts.Import.DryRun || opts.job.PlanOut != ""
	job, err := opts.Job(kind)
	if err != nil {
		return err
	}
	o := opts.job
	job.Path, job.Out, job.PlanOut, job.Resume, job.Retry, job.Apply, job.Undo = path, o.Out, o.PlanOut, o.Resume, o.Retry, o.Apply, o.Undo
	job.Command, job.Words = cmp.Or(o.Command, "import "+kind.String()), flagOf
	job.Connect = func(onAttempt func(ilms.Attempt)) (*connect.Conn, error) {
		co := opts.Pace
		co.OnAttempt = onAttempt
		return g.connect(ctx, ios, co)
	}
	if !g.Quiet {
		job.OnLoad = func(url string) { fmt.Fprintf(ios.ErrOut, "reading the organization at %s …\n", url) }
	}
	if g.runF != nil {
		return g.runF(job)
	}
	prog := newProgress(ios, job.Command, "rows", g.Quiet)
	job.Progress = prog.update
	rep, runErr := job.Run(ctx)
	if prog.Close(); rep == nil {
		return runErr
	}
	s, dir := rep.Summary, rep.Dir
	if !g.Quiet {
		s.WriteImport(ios.ErrOut, dir, rep.Throttled, flagOf)
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
	for _, f := range [][2]string{{"base-url", ilms.RedactURL(g.BaseURL)}, {"org", g.OrgID}, {"config", g.ConfigPath}} {
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
