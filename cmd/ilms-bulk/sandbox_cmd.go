package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

type sandboxOptions struct {
	Addr      string
	State     string
	Seed      string
	Users     int
	Rate      rateFlag
	Latency   time.Duration
	FailRate  float64
	FaultSeed uint64
	Reset     bool
}

func newSandboxCmd(ios *IOStreams, g *globalOptions) *cobra.Command {
	opts := &sandboxOptions{}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a sandbox iLMS organization over HTTP",
		Long: `Serve an in-memory iLMS organization that answers the documented API:
the same paths, status codes, pagination headers, search syntax and
validation rules. It prints the base URL, organization ID and credentials
it accepts. Faults can be injected: a server-side rate limit (429 with
Retry-After), latency, and a share of random 502/503/504 answers.`,
		Example: `  ilms-bulk sandbox --addr 127.0.0.1:8089
  ilms-bulk sandbox --state org.json --rate 50 --latency 50ms --fail-rate 0.1
  ilms-bulk sandbox --reset`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.FailRate < 0 || opts.FailRate > 1 {
				return usagef("--fail-rate %g: give a share from 0 to 1, such as 0.1", opts.FailRate)
			}
			if opts.Latency < 0 {
				return usagef("--latency %s: give 0 or more, such as 50ms", opts.Latency)
			}
			if opts.Reset {
				for _, name := range []string{"addr", "rate", "latency", "fail-rate", "fault-seed"} {
					if cmd.Flags().Changed(name) {
						return usagef("--reset puts the saved state back and exits, serving nothing; --%s goes without it", name)
					}
				}
				return resetSandbox(ios, g, opts)
			}
			return runSandbox(cmd, ios, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Addr, "addr", "127.0.0.1:8089", "address to listen on")
	f.StringVar(&opts.State, "state", "", "state file: loaded when it exists, written as the state changes and on exit")
	f.StringVar(&opts.Seed, "seed", "", "seed organization (JSON) to start from when there is no state (default: the built-in one)")
	f.IntVar(&opts.Users, "users", 0, "start from a generated organization with this many users instead of the seed")
	f.Var(&opts.Rate, "rate", "answer at most this many requests per second, the rest with 429 and Retry-After: a positive number or unlimited")
	f.DurationVar(&opts.Latency, "latency", 0, "delay every answer by this much")
	f.Float64Var(&opts.FailRate, "fail-rate", 0, "share of requests answered 502, 503 or 504 (0 to 1)")
	f.Uint64Var(&opts.FaultSeed, "fault-seed", 1, "seed of the injected failures")
	f.BoolVar(&opts.Reset, "reset", false, "put the saved state (--state, or else the one --sandbox uses, "+sandboxStatePath()+") back to the seed (--seed, --users or the built-in one) and exit")
	return cmd
}

func runSandbox(cmd *cobra.Command, ios *IOStreams, opts *sandboxOptions) error {
	st, from, err := sandboxState(opts)
	if err != nil {
		return err
	}
	srv := sandbox.New(st, sandbox.Options{Rate: opts.Rate.perSecond(), Latency: opts.Latency, FailRate: opts.FailRate, Seed: opts.FaultSeed})
	stop, url, err := serveSandbox(srv, opts.Addr, opts.State)
	if err != nil {
		return err
	}
	fmt.Fprintf(ios.Out, "iLMS sandbox serving %s (%s)\n", url, from)
	fmt.Fprintf(ios.Out, "  base URL        %s\n", url)
	fmt.Fprintf(ios.Out, "  organization    %s\n", srv.OrgID())
	fmt.Fprintf(ios.Out, "  APILoginID      %s\n", srv.APILoginID())
	fmt.Fprintf(ios.Out, "  TransactionKey  %s\n", srv.TransactionKey())
	if opts.Rate > 0 || opts.Latency > 0 || opts.FailRate > 0 {
		fmt.Fprintf(ios.Out, "  faults          rate %s/s, latency %s, fail rate %g\n", &opts.Rate, opts.Latency, opts.FailRate)
	}
	fmt.Fprintf(ios.Out, "Use it with:\n  export ILMS_BASE_URL=%s ILMS_ORG_ID=%s ILMS_API_LOGIN_ID='%s' ILMS_TRANSACTION_KEY='%s'\n",
		url, srv.OrgID(), srv.APILoginID(), srv.TransactionKey())
	fmt.Fprintln(ios.Out, "Press Ctrl-C to stop.")
	<-cmd.Context().Done()
	if err := stop(); err != nil {
		return err
	}
	if opts.State != "" {
		fmt.Fprintf(ios.ErrOut, "sandbox state saved to %s\n", opts.State)
	}
	return nil
}

// resetSandbox puts a saved state back to the seed: the built-in seed by
// removing the state file (the next run starts from the seed, as on a
// fresh machine), another seed by writing it there.
func resetSandbox(ios *IOStreams, g *globalOptions, opts *sandboxOptions) error {
	path := opts.State
	if path == "" {
		path = sandboxStatePath()
	}
	seed := *opts
	seed.State = ""
	st, from, err := sandboxState(&seed)
	if err != nil {
		return err
	}
	if opts.Seed == "" && opts.Users == 0 {
		err = os.Remove(path)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	} else {
		err = st.WriteFile(path)
	}
	if err != nil {
		return &inputError{fmt.Errorf("resetting the sandbox state %s: %w", path, err)}
	}
	if !g.Quiet {
		fmt.Fprintf(ios.ErrOut, "the sandbox state %s is back to the %s\n", path, from)
	}
	return nil
}

// sandboxState picks where the sandbox starts from: the state file, a seed
// file, a generated org, or the built-in seed.
func sandboxState(opts *sandboxOptions) (*sandbox.State, string, error) {
	if opts.State != "" {
		st, err := sandbox.LoadState(opts.State)
		if err == nil {
			return st, "state " + opts.State, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", &inputError{err}
		}
	}
	switch {
	case opts.Seed != "":
		st, err := sandbox.LoadState(opts.Seed)
		if err != nil {
			return nil, "", &inputError{err}
		}
		return st, "seed " + opts.Seed, nil
	case opts.Users > 0:
		st := sandbox.GenerateOrg(sandbox.SeedOptions{Users: opts.Users, Seed: 1, Enrollments: true})
		return st, fmt.Sprintf("generated: %s", st.SeedDescription()), nil
	}
	st, err := sandbox.ReadState(bytes.NewReader(ilmsbulk.SeedOrg))
	if err != nil {
		return nil, "", err
	}
	return st, "built-in seed: " + st.SeedDescription(), nil
}
