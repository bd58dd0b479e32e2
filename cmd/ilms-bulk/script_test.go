package main

import (
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
)

// TestScripts runs the scripts of testdata/script (testscript's txtar
// format) with the binary TestMain built: each in a folder of its own with
// the repository's testdata beside it, a home, cache (so a --sandbox state)
// and config of its own, and a sandbox served by this process for the
// scripts that need a server to refuse them or to count their writes:
//
//	$SANDBOX_URL, $SANDBOX_ORG, $SANDBOX_LOGIN, $SANDBOX_KEY  where and as whom
//	$UNREACHABLE_URL  an address nothing answers at
//
// Commands besides testscript's own:
//
//	exits N program [args...]  run program; it must exit with status N
//	shown line...              the last command printed these lines, in
//	                           order, on stdout or stderr (… as in the
//	                           README: what differs from run to run)
//	writes N                   the served sandbox took N write requests
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup:               setupScript,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":  cmdExits,
			"shown":  cmdShown,
			"writes": cmdWrites,
		},
	})
}

func setupScript(env *testscript.Env) error {
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		return err
	}
	if err := os.Symlink(testdata, filepath.Join(env.WorkDir, "testdata")); err != nil {
		return err
	}
	home := filepath.Join(env.WorkDir, ".home")
	env.Setenv("HOME", home)
	env.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	env.Setenv("PATH", filepath.Dir(binary)+string(os.PathListSeparator)+env.Getenv("PATH"))

	st, err := sandbox.LoadState(filepath.Join(testdata, "org.json"))
	if err != nil {
		return err
	}
	srv := sandbox.New(st, sandbox.Options{})
	hs := httptest.NewServer(srv)
	env.Defer(hs.Close)
	env.Values[sandboxKey{}] = srv
	env.Setenv("SANDBOX_URL", hs.URL)
	env.Setenv("SANDBOX_ORG", srv.OrgID())
	env.Setenv("SANDBOX_LOGIN", srv.APILoginID())
	env.Setenv("SANDBOX_KEY", srv.TransactionKey())

	// A port nothing listens on: one the system just gave out and took
	// back (a fixed one such as 1 may be in use on a shared machine).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	env.Setenv("UNREACHABLE_URL", "http://"+l.Addr().String())
	return l.Close()
}

type sandboxKey struct{}

func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not a status", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

func cmdShown(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: shown line...")
	}
	got := strings.Split(strings.TrimRight(ts.ReadFile("stdout"), "\n")+"\n"+strings.TrimRight(ts.ReadFile("stderr"), "\n"), "\n")
	j := 0
	for _, w := range args {
		re := expectLine(w)
		for j < len(got) && !re.MatchString(got[j]) {
			j++
		}
		if j == len(got) {
			ts.Fatalf("no line %q (after the ones before it)", w)
		}
		j++
	}
}

func cmdWrites(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: writes N")
	}
	want, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		ts.Fatalf("writes: %q is not a number", args[0])
	}
	if got := ts.Value(sandboxKey{}).(*sandbox.Server).Stats().Writes; got != want {
		ts.Fatalf("the sandbox took %d write requests, want %d", got, want)
	}
}
