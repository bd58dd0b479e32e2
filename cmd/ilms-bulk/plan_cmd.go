package main

import (
	"cmp"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// newApplyCmd runs a saved plan: the import it was made by, with the
// plan's own options, each row judged against the plan.
func newApplyCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	apply, run := &pipeline.Apply{}, pipeline.Job{Command: "apply"}
	var dryRun bool
	c := &cobra.Command{Use: "apply PLAN.json", Short: "Apply a saved plan: exactly its changes; rows iLMS changed since are left stale", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if apply.Plan, err = pipeline.OpenPlan(args[0]); err != nil {
				return err
			}
			defer apply.Plan.Close()
			opts := &importOptions{Settings: pipeline.NewSettings(apply.Plan.Import), job: run}
			if err := opts.SetArgs(apply.Plan.Args, "the plan "+args[0]); err != nil {
				return err
			}
			opts.Import.DryRun, opts.job.Apply = dryRun, apply
			return runImport(cmd.Context(), ios, g, opts, apply.Plan.Import, []string{apply.Plan.Input.Path})
		}}
	f := c.Flags()
	f.BoolVar(&apply.Replan, "replan", false, "rows iLMS changed since the plan are planned again and applied as they stand now, instead of left stale")
	f.DurationVar(&apply.MaxAge, "max-age", 24*time.Hour, "refuse a plan older than this")
	f.StringVar(&run.Out, "out", "", "run folder (default ./ilms-bulk-runs/<time>-<kind>)")
	f.BoolVar(&dryRun, "dry-run", false, "say what applying the plan now would do, and send nothing")
	return c
}

func newPlanCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var out, format string
	show := &cobra.Command{Use: "show PLAN.json", Short: "Print a saved plan for sign-off: its counts, then every change as old → new", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			show := func(w io.Writer, format string) error { return pipeline.WritePlan(args[0], w, format) }
			if out == "" && format == "" {
				return show(ios.Out, "")
			}
			return writeFile(ios, g, "the plan as a sheet", cmp.Or(out, "-"), format, show)
		}}
	show.Flags().StringVarP(&out, "output", "o", "", "write the plan as a sheet to sign off instead: FILE.csv or FILE.xlsx, one line per change")
	show.Flags().StringVar(&format, "format", "", "csv or xlsx: the sheet (default: from the -o file's name; on standard output csv)")
	return group(&cobra.Command{Use: "plan", Short: "Look at a saved plan (import --dry-run --plan-out)"}, show)
}

// newLeaversCmd inactivates, or deletes, the people a file names and
// changes nothing else: a users import that reads only who each row is.
func newLeaversCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &importOptions{}
	c := newImportCmd(ios, g, mapping.Users, opts)
	c.Use, c.Short = "leavers FILE", "Inactivate (or delete) the people a file names by Employee ID or Email ID"
	var del, yes bool
	c.Flags().BoolVar(&del, "delete", false, "delete them instead of inactivating them (never purged); needs --yes-delete")
	c.Flags().BoolVar(&yes, "yes-delete", false, "confirm --delete")
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if del && !yes {
			return usagef("--delete deletes every user the file names; give --yes-delete too, to say you mean it")
		}
		leave := map[bool]string{false: pipeline.OpInactivate, true: pipeline.OpDelete}[del]
		opts.job.Command, opts.Import.Leave = "import leavers", leave // a run begun before --leave was kept: inactivate
		if del || (opts.Resume == "" && opts.OnlyFailed == "") {      // else as the run was begun
			opts.Set("leave", leave)
		}
		return run(cmd, args)
	}
	return narrow(c, "import leavers, which only inactivates (or deletes) the people its file names", "mode", "create-hierarchy", "send-registration-mail", "change-password-at-next-login", "allow-identity-change", "deactivate-missing", "leave", "scope", "max-creates", "max-updates", "max-cleared")
}

// newUndoCmd reverses a run from its journal: a run of its own, planned
// first and held to the safety limits like an import.
func newUndoCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &importOptions{}
	c := newImportCmd(ios, g, mapping.Enrollments, opts)
	c.Use, c.Short, c.Args = "undo RUN_DIR", "Reverse a run from its journal: fields back, created users inactivated, memberships and enrollments removed", cobra.ExactArgs(1)
	var deleteCreated bool
	c.Flags().BoolVar(&deleteCreated, "delete-created", false, "delete the users the run created instead of inactivating them")
	c.RunE = func(cmd *cobra.Command, args []string) (err error) {
		if err := opts.Pace.CheckPace(); err != nil {
			return err
		} else if opts.job.Undo, err = pipeline.OpenUndo(args[0]); err != nil {
			return err
		}
		opts.job.Undo.DeleteCreated, opts.job.Command = deleteCreated, "undo"
		return runImport(cmd.Context(), ios, g, opts, opts.job.Undo.Kind, nil)
	}
	return narrow(c, "undo, which reverses what a run folder's journal says the run did", "mapping", "settings", "sheet", "encoding", "delimiter", "date-format", "header-row", "ignore-unknown", "resume", "only-failed", "format")
}

// narrow hides the flags of c that are not for it, and refuses them.
func narrow(c *cobra.Command, what string, notHere ...string) *cobra.Command {
	for _, name := range notHere {
		c.Flags().MarkHidden(name)
	}
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		for _, name := range notHere {
			if cmd.Flags().Changed(name) {
				return usagef("--%s is not for %s", name, what)
			}
		}
		return run(cmd, args)
	}
	return c
}
