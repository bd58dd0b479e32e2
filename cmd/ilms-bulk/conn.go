package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	ilmsbulk "github.com/ilms-bulk/ilms-bulk"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

func defaultBaseURL() string { return ilms.DefaultBaseURL }

func defaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "ilms-bulk/config.json in the user config directory"
	}
	return filepath.Join(dir, "ilms-bulk", "config.json")
}

func sandboxStatePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "ilms-bulk", "sandbox-state.json")
}

// fileConfig is the config file: the connection without flags. The
// transaction key may live here (a file readable by its owner only), never
// on the command line.
type fileConfig struct {
	BaseURL        string `json:"base_url"`
	OrgID          string `json:"org_id"`
	APILoginID     string `json:"api_login_id"`
	TransactionKey string `json:"transaction_key"`
}

func loadConfig(path string, explicit bool, warn func(string)) (fileConfig, error) {
	var c fileConfig
	b, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return c, nil
		}
		return c, &inputError{fmt.Errorf("config file: %w", err)}
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, &inputError{fmt.Errorf("config file %s: %v", path, err)}
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 && c.TransactionKey != "" {
		warn(fmt.Sprintf("config file %s holds the transaction key and is readable by others; run: chmod 600 %s", path, path))
	}
	return c, nil
}

// connectOptions tune the client of one command.
type connectOptions struct {
	Rate      float64 // requests per second; 0 for none
	Adaptive  bool    // slow down on 429/503 and climb back
	Workers   int     // concurrent requests, for the connection pool
	PerPage   int
	OnAttempt func(ilms.Attempt)
}

// pace is how a run spends the API: requests in flight and per second.
type pace struct {
	Workers int
	Rate    rateFlag
}

func (p *pace) addPaceFlags(f *pflag.FlagSet) {
	p.Rate = 10
	f.IntVar(&p.Workers, "workers", 8, "requests in flight at once")
	f.Var(&p.Rate, "rate", "requests per second at most for the whole run, a positive number or unlimited (it slows down by itself when iLMS answers 429 or 503)")
}

func (p pace) check() error {
	if p.Workers < 1 {
		return usagef("--workers %d: give at least 1 request in flight", p.Workers)
	}
	return nil
}

// connection is a client and, with --sandbox, the in-process sandbox it
// talks to.
type connection struct {
	Client  *ilms.Client
	BaseURL string
	OrgID   string
	Sandbox *sandbox.Server
	close   func() error
}

// Close stops an in-process sandbox and saves its state.
func (c *connection) Close() error {
	if c.close == nil {
		return nil
	}
	close := c.close
	c.close = nil
	return close()
}

// connect resolves the connection (flags, then environment, then the
// config file) and builds the client. With --sandbox it starts an
// in-process sandbox on a loopback port, loading its state from the user's
// cache directory.
func (g *globalOptions) connect(ctx context.Context, ios *IOStreams, opts connectOptions) (*connection, error) {
	conn := &connection{}
	var creds ilms.Credentials
	if g.Sandbox {
		srv, stop, url, err := startSandbox(sandboxStatePath())
		if err != nil {
			return nil, err
		}
		conn.Sandbox, conn.close, conn.BaseURL, conn.OrgID = srv, stop, url, srv.OrgID()
		creds = ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()}
	} else {
		path, explicit := g.ConfigPath, g.ConfigPath != ""
		if !explicit {
			path = defaultConfigPath()
		}
		cfg, err := loadConfig(path, explicit, func(msg string) { fmt.Fprintf(ios.ErrOut, "ilms-bulk: warning: %s\n", msg) })
		if err != nil {
			return nil, err
		}
		conn.BaseURL = first(g.BaseURL, os.Getenv("ILMS_BASE_URL"), cfg.BaseURL, ilms.DefaultBaseURL)
		conn.OrgID = first(g.OrgID, os.Getenv("ILMS_ORG_ID"), cfg.OrgID)
		creds = ilms.Credentials{
			APILoginID:     first(os.Getenv("ILMS_API_LOGIN_ID"), cfg.APILoginID),
			TransactionKey: first(os.Getenv("ILMS_TRANSACTION_KEY"), cfg.TransactionKey),
		}
		if conn.OrgID == "" {
			return nil, usagef("no organization: give --org, set ILMS_ORG_ID, or use --sandbox")
		}
		if creds.APILoginID == "" || creds.TransactionKey == "" {
			return nil, usagef("no credentials: set ILMS_API_LOGIN_ID and ILMS_TRANSACTION_KEY (Settings > iLMS API in iLMS), or put them in %s; or use --sandbox", path)
		}
	}
	g.resolvedURL = conn.BaseURL
	workers := max(opts.Workers, 8)
	var pacerOpts []ilms.PacerOption
	if opts.Adaptive {
		pacerOpts = append(pacerOpts, ilms.Adaptive())
	}
	client, err := ilms.NewClient(ilms.Options{
		BaseURL:     conn.BaseURL,
		OrgID:       conn.OrgID,
		Credentials: creds,
		HTTPClient:  ilms.NewHTTPClient(workers),
		Pacer:       ilms.NewPacer(ilms.Limiter(opts.Rate), pacerOpts...),
		PerPage:     opts.PerPage,
		OnAttempt:   opts.OnAttempt,
	})
	if err != nil {
		conn.Close()
		return nil, usagef("%v", err)
	}
	conn.Client = client
	return conn, nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// startSandbox serves a sandbox on a loopback port: its state from path
// when it exists, the seed organization otherwise. It saves the state
// every second while it changes, and on stop.
func startSandbox(path string) (*sandbox.Server, func() error, string, error) {
	st, err := sandbox.LoadState(path)
	if errors.Is(err, fs.ErrNotExist) {
		st, err = sandbox.ReadState(bytes.NewReader(ilmsbulk.SeedOrg))
	}
	if err != nil {
		return nil, nil, "", &inputError{fmt.Errorf("sandbox state %s: %v (delete it to start from the seed organization)", path, err)}
	}
	srv := sandbox.New(st, sandbox.Options{})
	stop, url, err := serveSandbox(srv, "127.0.0.1:0", path)
	if err != nil {
		return nil, nil, "", err
	}
	return srv, stop, url, nil
}

// serveSandbox listens on addr and serves srv until stop is called;
// statePath, when not empty, receives the state whenever it changed.
func serveSandbox(srv *sandbox.Server, addr, statePath string) (stop func() error, url string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", &inputError{fmt.Errorf("sandbox: %w", err)}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	save := func() error {
		if statePath == "" || !srv.Changed() {
			return nil
		}
		return srv.Snapshot().WriteFile(statePath)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = save()
			}
		}
	}()
	var once sync.Once
	stop = func() error {
		var err error
		once.Do(func() {
			close(done)
			wg.Wait()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = hs.Shutdown(ctx)
			if e := save(); e != nil {
				err = fmt.Errorf("saving the sandbox state: %w", e)
			}
		})
		return err
	}
	return stop, "http://" + ln.Addr().String(), nil
}
