// Package sandboxtest serves the seed organization to tests: the sandbox
// over httptest, and a client of it, closed when the test ends.
package sandboxtest

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// Options change what is served.
type Options struct {
	// Edit changes the seed before it is served.
	Edit func(*sandbox.State)
	// Sandbox are the served sandbox's faults and limits.
	Sandbox sandbox.Options
	// Wrap puts a handler in front of the sandbox (nil: none).
	Wrap func(*sandbox.Server) http.Handler
}

// SeedPath is the seed organization's file, testdata/org.json.
func SeedPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "org.json")
}

// Serve serves the seed organization and returns the sandbox, a client of
// it and its base URL.
func Serve(t testing.TB, opts Options) (*sandbox.Server, *ilms.Client, string) {
	t.Helper()
	st, err := sandbox.LoadState(SeedPath())
	if err != nil {
		t.Fatal(err)
	}
	if opts.Edit != nil {
		opts.Edit(st)
	}
	srv := sandbox.New(st, opts.Sandbox)
	var h http.Handler = srv
	if opts.Wrap != nil {
		h = opts.Wrap(srv)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	c, err := ilms.NewClient(ilms.Options{BaseURL: hs.URL, OrgID: srv.OrgID(), MinBackoff: time.Millisecond,
		Credentials: ilms.Credentials{APILoginID: srv.APILoginID(), TransactionKey: srv.TransactionKey()}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, hs.URL
}
