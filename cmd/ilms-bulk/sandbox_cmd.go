package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
)

func newSandboxCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	var opts connect.SandboxOptions
	var reset bool
	cmd := &cobra.Command{Use: "sandbox", Short: "Serve a sandbox iLMS organization over HTTP", Args: cobra.NoArgs}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if reset {
			return resetSandbox(cmd, ios, g, opts)
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
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8089", "address to listen on")
	f.StringVar(&opts.State, "state", "", "state file: loaded when it exists, written as the state changes and on exit")
	f.StringVar(&opts.Seed, "seed", "", "seed organization (JSON) to start from when there is no state (default: the built-in one)")
	f.IntVar(&opts.Users, "users", 0, "start from a generated organization with this many users instead of the seed")
	f.Var((*ilms.Rate)(&opts.Faults.Rate), "rate", "answer at most this many requests per second (`R|unlimited`), counted as --limiter says, and refuse the rest")
	lim := &opts.Faults.Limit
	f.StringVar((*string)(&lim.Shape), "limiter", "fixed-window", "how --rate counts: token-bucket (with --burst), fixed-window (per wall-clock second) or sliding-window (any second)")
	f.IntVar(&lim.Burst, "burst", 1, "the token bucket's size: requests an idle client may send at once")
	f.StringVar((*string)(&lim.RetryAfter), "retry-after", "seconds", "the refusals' Retry-After: seconds, date (an HTTP date) or none")
	f.IntVar(&lim.Status, "throttle-status", 429, "the refusals' status: 429 or 503")
	f.DurationVar(&opts.Faults.Latency, "latency", 0, "delay every answer by this much")
	f.Float64Var(&opts.Faults.FailRate, "fail-rate", 0, "share of requests answered 502, 503 or 504 (0 to 1)")
	f.Uint64Var(&opts.Faults.Seed, "fault-seed", 1, "seed of the injected failures")
	f.BoolVar(&reset, "reset", false, "put the saved state (--state, or else the one --sandbox uses, "+connect.SandboxStatePath()+") back to the seed (--seed, --users or the built-in one) and exit")
	return cmd
}

// resetSandbox puts the saved state back, serving nothing.
func resetSandbox(cmd *cobra.Command, ios *IOStreams, g *globalOptions, opts connect.SandboxOptions) error {
	for _, name := range []string{"addr", "rate", "limiter", "burst", "retry-after", "throttle-status", "latency", "fail-rate", "fault-seed"} {
		if cmd.Flags().Changed(name) {
			return usagef("--reset puts the saved state back and exits, serving nothing; --%s goes without it", name)
		}
	}
	path, from, err := connect.ResetSandbox(opts)
	if err == nil && !g.Quiet {
		fmt.Fprintf(ios.ErrOut, "the sandbox state %s is back to the %s\n", path, from)
	}
	return err
}
