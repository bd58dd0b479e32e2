// Package connect opens the connection of a run to an iLMS organization,
// the same way for every front door (the command line, the web page): the
// base URL, the organization and the credentials from the caller's options,
// the environment (ILMS_BASE_URL, ILMS_ORG_ID, ILMS_API_LOGIN_ID,
// ILMS_TRANSACTION_KEY) or a config file readable by its owner only; or,
// instead, a sandbox organization served in the same process, whose state
// persists in the user's cache directory from one run to the next. The
// client it builds has one shared pacer, the run's rate and a connection
// pool sized for its workers.
//
// The transaction key is never part of an error or of anything a Conn
// prints. The errors say their kind by a method: Usage() for an option
// that is wrong or missing, Input() for a file that cannot be read; in
// both cases nothing was sent.
package connect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/internal/files"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// The environment variables a connection is read from.
const (
	EnvBaseURL        = "ILMS_BASE_URL"
	EnvOrgID          = "ILMS_ORG_ID"
	EnvAPILoginID     = "ILMS_API_LOGIN_ID"
	EnvTransactionKey = "ILMS_TRANSACTION_KEY"
)

// The options the package checks, by the names validate.OptionError
// carries; a front door renders them as its flags or controls.
const (
	OptionBaseURL  = "base URL"  // the API's base URL
	OptionAddr     = "address"   // where a served sandbox listens
	OptionLatency  = "latency"   // a served sandbox's delay
	OptionRate     = "rate"      // a served sandbox's limit
	OptionFailRate = "fail rate" // a served sandbox's share of failures
)

// minConns is the fewest idle connections the pool keeps to the API host.
const minConns = 8

// Options say where a run connects and how it spends the API. Every
// field may be left zero.
type Options struct {
	// BaseURL, OrgID: when empty, the environment's, then the config
	// file's; the base URL then defaults to ilms.DefaultBaseURL.
	BaseURL string
	OrgID   string
	// ConfigPath is the config file; when empty, DefaultConfigPath(),
	// which need not exist. A file named here must.
	ConfigPath string
	// Sandbox connects to a sandbox served in this process instead,
	// loading its state from SandboxState (default SandboxStatePath())
	// and saving it there as it changes and on Close. BaseURL, OrgID and
	// the credentials are then the sandbox's.
	Sandbox      bool
	SandboxState string

	// Rate is the run's pace: ilms.Auto finds the rate the server
	// accepts (starting from the one found last for the base URL and the
	// organization, kept in RateCache), a number is a ceiling the run
	// never exceeds (and adapts below when the server refuses), and
	// ilms.Unlimited sends as fast as the workers go. The zero value is
	// Unlimited.
	Rate ilms.Rate
	// MaxRate bounds auto; default ilms.AutoMax.
	MaxRate float64
	// RateCache is the file of the rates found; default RateCachePath().
	// An in-process sandbox, whose address changes every run, keeps none.
	RateCache string
	Workers   int // requests in flight at most, to size the connection pool
	PerPage   int // page size of list reads; default ilms.DefaultPerPage
	OnAttempt func(ilms.Attempt)

	// Getenv reads the environment; default os.Getenv.
	Getenv func(string) string
	// Warn is told of a problem that does not stop the run: a config file
	// holding the transaction key that others may read. Default: nothing.
	Warn func(string)
}

// Conn is an open connection: a client and, with Options.Sandbox, the
// sandbox it talks to.
type Conn struct {
	Client *ilms.Client
	// BaseURL is the API's base URL as it is said (in messages, summaries
	// and plans): a password in it is masked (ilms.RedactURL).
	BaseURL string
	OrgID   string
	// Site names where the connection changes things, the same from run
	// to run: the base URL, or for the in-process sandbox (whose URL is a
	// new port each time) its state file.
	Site string
	Rate ilms.Rate // Options.Rate
	// Sandbox is the in-process sandbox, nil unless Options.Sandbox.
	Sandbox *Sandbox

	rates *rateCache
	warn  func(string)
}

// Close keeps the rate the run found for the next run (Options.Rate
// auto), and stops an in-process sandbox and saves its state. Calling it again returns the first call's
// error.
func (c *Conn) Close() error {
	c.saveRate()
	c.rates = nil
	if c.Sandbox == nil {
		return nil
	}
	return c.Sandbox.Close()
}

// Borrowed is the connection for one run of a program that keeps it open
// for many (ilms-bulk serve): the same client, whose Close ends nothing.
func (c *Conn) Borrowed() *Conn {
	b := *c
	b.Sandbox, b.rates = nil, nil
	return &b
}

// Open resolves the connection of opts and builds its client. Nothing is
// sent to iLMS: bad credentials show with the first request.
func Open(ctx context.Context, opts Options) (*Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn := &Conn{Rate: opts.Rate}
	var creds ilms.Credentials
	var baseURL string // as given: conn.BaseURL has its password masked
	if opts.Sandbox {
		state := cmp.Or(opts.SandboxState, SandboxStatePath())
		sb, err := ServeSandbox(SandboxOptions{State: state})
		if err != nil {
			return nil, err
		}
		conn.Sandbox, conn.BaseURL, conn.OrgID = sb, sb.URL, sb.OrgID()
		baseURL = sb.URL
		conn.Site = "the in-process sandbox (" + state + ")"
		creds = ilms.Credentials{APILoginID: sb.APILoginID(), TransactionKey: sb.TransactionKey()}
	} else {
		getenv := opts.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		path, explicit := opts.ConfigPath, opts.ConfigPath != ""
		if !explicit {
			path = DefaultConfigPath()
		}
		cfg, err := loadConfig(path, explicit, opts.Warn)
		if err != nil {
			return nil, err
		}
		baseURL = first(opts.BaseURL, getenv(EnvBaseURL), cfg.BaseURL, ilms.DefaultBaseURL)
		conn.BaseURL = ilms.RedactURL(baseURL)
		conn.Site = strings.TrimRight(conn.BaseURL, "/")
		conn.OrgID = first(opts.OrgID, getenv(EnvOrgID), cfg.OrgID)
		creds = ilms.Credentials{
			APILoginID:     first(getenv(EnvAPILoginID), cfg.APILoginID),
			TransactionKey: first(getenv(EnvTransactionKey), cfg.TransactionKey),
		}
		switch {
		case conn.OrgID == "":
			return nil, &MissingError{Missing: ErrNoOrg, ConfigPath: path}
		case creds.APILoginID == "" || creds.TransactionKey == "":
			return nil, &MissingError{Missing: ErrNoCredentials, ConfigPath: path}
		}
	}
	if !opts.Sandbox && opts.Rate == ilms.Auto {
		conn.rates = &rateCache{path: cmp.Or(opts.RateCache, RateCachePath()), key: rateKey(conn.BaseURL, conn.OrgID)}
		conn.warn = opts.Warn
	}
	client, err := ilms.NewClient(ilms.Options{
		BaseURL:     baseURL,
		OrgID:       conn.OrgID,
		Credentials: creds,
		HTTPClient:  ilms.NewHTTPClient(max(opts.Workers, minConns)),
		Pacer:       newPacer(opts.Rate, opts.MaxRate, conn.rates, time.Now()),
		PerPage:     opts.PerPage,
		OnAttempt:   opts.OnAttempt,
	})
	if err != nil {
		conn.Close()
		// The organization is there, so the base URL is what is wrong.
		return nil, &validate.OptionError{Option: OptionBaseURL, Value: conn.BaseURL, Rule: validate.ErrInvalid,
			Detail: "give an absolute URL, such as " + ilms.DefaultBaseURL}
	}
	conn.Client = client
	return conn, nil
}

// first is the first of vals that is not blank, trimmed.
func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// ErrNoOrg and ErrNoCredentials are what a MissingError misses.
var (
	ErrNoOrg         = errors.New("no organization ID")
	ErrNoCredentials = errors.New("no credentials")
)

// MissingError is a connection that neither the options, the environment
// nor the config file give in full. Nothing was sent.
type MissingError struct {
	Missing    error  // ErrNoOrg or ErrNoCredentials
	ConfigPath string // the config file looked in
}

func (e *MissingError) Error() string {
	if e.Missing == ErrNoOrg {
		return fmt.Sprintf("%v: set %s, or put org_id in the config file %s", e.Missing, EnvOrgID, e.ConfigPath)
	}
	return fmt.Sprintf("%v: set %s and %s (Settings > iLMS API in iLMS), or put api_login_id and transaction_key in the config file %s",
		e.Missing, EnvAPILoginID, EnvTransactionKey, e.ConfigPath)
}

func (e *MissingError) Unwrap() error { return e.Missing }

// Usage marks the error as the caller's to fix: nothing was sent.
func (e *MissingError) Usage() bool { return true }

// FileError is a file the connection needs, the config file or a
// sandbox's state or seed, that cannot be read. Nothing was sent.
type FileError struct {
	What string // "config file", "sandbox state", "sandbox seed"
	Path string
	Err  error
}

func (e *FileError) Error() string {
	var fe *files.Error
	var pe *fs.PathError
	if errors.As(e.Err, &fe) || errors.As(e.Err, &pe) {
		// The cause names the file already.
		return fmt.Sprintf("%s: %v", e.What, e.Err)
	}
	return fmt.Sprintf("%s %s: %v", e.What, e.Path, e.Err)
}
func (e *FileError) Unwrap() error { return e.Err }

// Input marks the error as a file that cannot be read: nothing was sent.
func (e *FileError) Input() bool { return true }
