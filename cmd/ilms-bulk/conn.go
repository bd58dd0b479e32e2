package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
)

// pace is how a run spends the API: requests in flight and per second.
type pace struct {
	Workers int
	Rate    rateFlag
}

func (p *pace) addPaceFlags(f *pflag.FlagSet) {
	p.Rate.Rate = 10
	f.IntVar(&p.Workers, "workers", 8, "requests in flight at once")
	f.Var(&p.Rate, "rate", "requests per second at most for the whole run, a positive number or unlimited (it slows down by itself when iLMS answers 429 or 503)")
}

func (p pace) check() error {
	if p.Workers < 1 {
		return usagef("--workers %d: give at least 1 request in flight", p.Workers)
	}
	return nil
}

// connect opens the connection of a command (connect.Open) with the
// global flags, and names them in its errors.
func (g *globalOptions) connect(ctx context.Context, ios *IOStreams, opts connect.Options) (*connect.Conn, error) {
	opts.BaseURL, opts.OrgID, opts.ConfigPath, opts.Sandbox = g.BaseURL, g.OrgID, g.ConfigPath, g.Sandbox
	opts.Warn = func(msg string) { fmt.Fprintf(ios.ErrOut, "ilms-bulk: warning: %s\n", msg) }
	conn, err := connect.Open(ctx, opts)
	switch {
	case errors.Is(err, connect.ErrNoOrg):
		return nil, usagef("%v; or give --org, or use --sandbox", err)
	case errors.Is(err, connect.ErrNoCredentials):
		return nil, usagef("%v; or use --sandbox", err)
	case err != nil:
		return nil, err
	}
	g.resolvedURL = conn.BaseURL
	return conn, nil
}
