package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// pace is how a run spends the API: requests in flight and per second.
type pace struct {
	Workers int
	Rate    rateFlag
	MaxRate float64
}

func (p *pace) addPaceFlags(f *pflag.FlagSet) {
	p.Rate.Rate = ilms.Auto
	f.IntVar(&p.Workers, "workers", defaultWorkers, "requests in flight at most (the run keeps as many as its rate needs)")
	f.Var(&p.Rate, "rate", "requests per second: auto (find the rate iLMS accepts and hold it), a ceiling the run never exceeds (it slows down when iLMS answers 429 or 503), or unlimited")
	f.Float64Var(&p.MaxRate, "max-rate", ilms.AutoMax, "the highest rate auto climbs to, in requests per second")
}

// defaultWorkers is enough requests in flight for a server of 100
// requests a second answering in half a second.
const defaultWorkers = 64

func (p pace) check() error {
	switch {
	case p.Workers < 1:
		return usagef("--workers %d: give at least 1 request in flight", p.Workers)
	case p.MaxRate <= 0:
		return usagef("--max-rate %g: give a positive number of requests a second, such as 100", p.MaxRate)
	}
	return nil
}

// options are the connection options of the pace.
func (p pace) options() connect.Options {
	return connect.Options{Rate: p.Rate.Rate, MaxRate: p.MaxRate, Workers: p.Workers}
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
