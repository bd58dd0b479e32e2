package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
)

func newSandboxCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts connect.SandboxOptions
	var reset bool
	serving := pflag.NewFlagSet("serving", pflag.ContinueOnError) // what --reset goes without
	opts.AddServeFlags(serving)
	cmd := &cobra.Command{Use: "sandbox", Short: "Serve a sandbox iLMS organization over HTTP", Args: cobra.NoArgs}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if reset {
			return resetSandbox(serving, ios, g, opts)
		}
		if g.runF != nil {
			return g.runF(&opts)
		}
		sb, err := connect.ServeSandbox(opts)
		if err != nil {
			return err
		}
		sb.WriteBanner(ios.Out, opts.Faults)
		fmt.Fprintln(ios.Out, "Press Ctrl-C to stop.")
		<-cmd.Context().Done()
		if err := sb.Close(); err != nil || opts.State == "" {
			return err
		}
		fmt.Fprintf(ios.ErrOut, "sandbox state saved to %s\n", opts.State)
		return nil
	}
	opts.AddStateFlags(cmd.Flags())
	cmd.Flags().AddFlagSet(serving)
	cmd.Flags().BoolVar(&reset, "reset", false, "put the saved state (--state, or else the one --sandbox uses, "+connect.SandboxStatePath()+") back to the seed (--seed, --users or the built-in one) and exit")
	return cmd
}

// resetSandbox puts the saved state back, serving nothing.
func resetSandbox(serving *pflag.FlagSet, ios *IOStreams, g *globalOptions, opts connect.SandboxOptions) (err error) {
	serving.VisitAll(func(f *pflag.Flag) {
		if f.Changed && err == nil {
			err = usagef("--reset puts the saved state back and exits, serving nothing; --%s goes without it", f.Name)
		}
	})
	if err != nil {
		return err
	}
	path, from, err := connect.ResetSandbox(opts)
	if err == nil && !g.Quiet {
		fmt.Fprintf(ios.ErrOut, "the sandbox state %s is back to the %s\n", path, from)
	}
	return err
}
