package connect

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"github.com/spf13/pflag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// SandboxStatePath is where the in-process sandbox of Options.Sandbox
// keeps its state: ilms-bulk/sandbox-state.json in the user's cache
// directory (the system's temporary directory when there is none).
func SandboxStatePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "ilms-bulk", "sandbox-state.json")
}

// SandboxOptions say where a served sandbox listens, what it starts from
// and which faults it injects.
type SandboxOptions struct {
	// Addr is where it listens; default 127.0.0.1:0, a free loopback port.
	Addr string
	// State is its state file: loaded when it exists, written as the
	// state changes and on Close. Empty for none.
	State string
	// Without a state, it starts from the seed organization in the file
	// Seed, else from a generated organization of Users users, else from
	// the built-in seed.
	Seed  string
	Users int
	// Faults are the server-side rate limit (Rate, or Limit for its
	// shape, burst and refusals), latency and failure share (with their
	// seed) it injects.
	Faults sandbox.Options
}

// AddStateFlags names the options of what a sandbox starts from.
func (o *SandboxOptions) AddStateFlags(f *pflag.FlagSet) {
	f.StringVar(&o.State, "state", "", "state file: loaded when it exists, written as the state changes and on exit")
	f.StringVar(&o.Seed, "seed", "", "seed organization (JSON) to start from when there is no state (default: the built-in one)")
	f.IntVar(&o.Users, "users", 0, "start from a generated organization with this many users instead of the seed")
}

// AddServeFlags names the options of how a sandbox serves: where, and
// the rate limit, latency and failures it injects.
func (o *SandboxOptions) AddServeFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8089", "address to listen on")
	f.Var((*ilms.Rate)(&o.Faults.Rate), "rate", "answer at most this many requests per second (`R|unlimited`), counted as --limiter says, and refuse the rest")
	lim := &o.Faults.Limit
	f.StringVar((*string)(&lim.Shape), "limiter", "fixed-window", "how --rate counts: token-bucket (with --burst), fixed-window (per wall-clock second) or sliding-window (any second)")
	f.IntVar(&lim.Burst, "burst", 1, "the token bucket's size: requests an idle client may send at once")
	f.StringVar((*string)(&lim.RetryAfter), "retry-after", "seconds", "the refusals' Retry-After: seconds, date (an HTTP date) or none")
	f.IntVar(&lim.Status, "throttle-status", 429, "the refusals' status: 429 or 503")
	f.DurationVar(&o.Faults.Latency, "latency", 0, "delay every answer by this much")
	f.Float64Var(&o.Faults.FailRate, "fail-rate", 0, "share of requests answered 502, 503 or 504 (0 to 1)")
	f.Uint64Var(&o.Faults.Seed, "fault-seed", 1, "seed of the injected failures")
}

// Sandbox is a sandbox organization served over HTTP.
type Sandbox struct {
	*sandbox.Server
	// URL is its base URL; From says what it started from, such as
	// "state org.json" or "built-in seed: …".
	URL  string
	From string
	ep   *sandbox.Endpoint
}

// WriteBanner says where the sandbox is and the credentials it accepts,
// with the rate limit (its shape) and faults it injects, and how to point
// a shell at it.
func (s *Sandbox) WriteBanner(w io.Writer, f sandbox.Options) {
	fmt.Fprintf(w, "iLMS sandbox serving %s (%s)\n", s.URL, s.From)
	fmt.Fprintf(w, "  base URL        %s\n  organization    %s\n", s.URL, s.OrgID())
	fmt.Fprintf(w, "  APILoginID      %s\n  TransactionKey  %s\n", s.APILoginID(), s.TransactionKey())
	if lc := f.LimitConfig(); lc.Rate > 0 {
		fmt.Fprintf(w, "  rate limit      %s\n", lc)
	}
	if f.Latency > 0 || f.FailRate > 0 {
		fmt.Fprintf(w, "  faults          latency %s, fail rate %g\n", f.Latency, f.FailRate)
	}
	fmt.Fprintf(w, "Use it with:\n  export ILMS_BASE_URL=%s ILMS_ORG_ID=%s ILMS_API_LOGIN_ID='%s' ILMS_TRANSACTION_KEY='%s'\n",
		s.URL, s.OrgID(), s.APILoginID(), s.TransactionKey())
}

// Close stops serving and saves the state; see sandbox.Endpoint.Close.
func (s *Sandbox) Close() error { return s.ep.Close() }

// ServeSandbox checks opts, loads the sandbox's starting state and serves
// it until Close.
func ServeSandbox(opts SandboxOptions) (*Sandbox, error) {
	f := opts.Faults
	switch {
	case f.FailRate < 0 || f.FailRate > 1:
		return nil, &validate.OptionError{Option: OptionFailRate, Value: strconv.FormatFloat(f.FailRate, 'g', -1, 64), Rule: validate.ErrInvalid,
			Detail: "give a share from 0 to 1, such as 0.1"}
	case f.Rate < 0:
		return nil, &validate.OptionError{Option: OptionRate, Value: ilms.Rate(f.Rate).String(), Rule: validate.ErrInvalid,
			Detail: "a server's limit is a number of requests a second, such as 50, or unlimited (auto is how import and export find one)"}
	case f.Latency < 0:
		return nil, &validate.OptionError{Option: OptionLatency, Value: f.Latency.String(), Rule: validate.ErrInvalid,
			Detail: "give 0 or more, such as 50ms"}
	}
	if _, err := limit.New(f.LimitConfig()); err != nil {
		return nil, err // an OptionError of limit's options
	}
	st, from, err := startState(opts)
	if err != nil {
		return nil, err
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	srv := sandbox.New(st, opts.Faults)
	ep, err := srv.Listen(addr, opts.State)
	if err != nil {
		return nil, &validate.OptionError{Option: OptionAddr, Value: addr, Rule: validate.ErrInvalid,
			Detail: fmt.Sprintf("the sandbox cannot listen there: %v", rootCause(err))}
	}
	return &Sandbox{Server: srv, URL: ep.URL, From: from, ep: ep}, nil
}

// ResetSandbox puts the state file opts.State, or SandboxStatePath()
// when it is empty, back to the start opts name (Seed or Users; Addr and
// Faults aside): a seed file or a generated organization is written
// there; for the built-in seed the file is removed, so that the next
// sandbox starts from the seed as on a fresh machine. It returns the
// file and what its state is back to.
func ResetSandbox(opts SandboxOptions) (path, from string, err error) {
	path = cmp.Or(opts.State, SandboxStatePath())
	opts.State = ""
	st, from, err := startState(opts)
	if err != nil {
		return path, "", err
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
		return path, "", &FileError{What: "sandbox state", Path: path, Err: err}
	}
	return path, from, nil
}

// startState is what a sandbox starts from: its state file when it
// exists, else a seed file, a generated organization, or the built-in
// seed; and a description of it.
func startState(opts SandboxOptions) (*sandbox.State, string, error) {
	if opts.State != "" {
		st, err := loadState(opts.State)
		if err == nil {
			return st, "state " + opts.State, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", &FileError{What: "sandbox state", Path: opts.State,
				Err: fmt.Errorf("%w (delete it to start from the seed organization)", err)}
		}
	}
	switch {
	case opts.Seed != "":
		st, err := loadState(opts.Seed)
		if err != nil {
			return nil, "", &FileError{What: "sandbox seed", Path: opts.Seed, Err: err}
		}
		return st, "seed " + opts.Seed, nil
	case opts.Users > 0:
		st := sandbox.GenerateOrg(sandbox.SeedOptions{Users: opts.Users, Seed: 1, Enrollments: true})
		return st, "generated: " + st.SeedDescription(), nil
	}
	st, err := sandbox.ReadState(bytes.NewReader(ilmsbulk.SeedOrg))
	if err != nil {
		return nil, "", err
	}
	return st, "built-in seed: " + st.SeedDescription(), nil
}

// rootCause is the innermost error, such as "address already in use".
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// loadState reads a state or seed file. Its errors leave the naming of
// the file to the FileError around them.
func loadState(path string) (*sandbox.State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := sandbox.ReadState(f)
	if cause := errors.Unwrap(err); cause != nil {
		// ReadState's "sandbox state: " prefix.
		err = cause
	}
	return st, err
}
