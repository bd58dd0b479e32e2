package connect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ilms-bulk/ilms-bulk/validate"
)

// secretKey is a transaction key that must show in no error or output.
const secretKey = "sEcReT-KeY-0123456789=="

// recorder is an iLMS stand-in that keeps the connection headers of the
// last request.
type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	headers http.Header
	path    string
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.headers, r.path = req.Header.Clone(), req.URL.Path
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id": 2}`))
	}))
	t.Cleanup(r.Close)
	return r
}

// sent makes one request on conn and returns the login ID, key and
// organization it carried.
func (r *recorder) sent(t *testing.T, conn *Conn) (login, key, org string) {
	t.Helper()
	if _, err := conn.Client.Groups.Get(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.headers.Get("APILoginID"), r.headers.Get("TransactionKey"), r.headers.Get("OrgID")
}

// env is an environment for Options.Getenv.
type env map[string]string

func (e env) get(name string) string { return e[name] }

func writeConfig(t *testing.T, mode os.FileMode, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return path
}

// TestOpenTakesOptionsThenEnvironmentThenConfig resolves each part of the
// connection from the first source that gives it.
func TestOpenTakesOptionsThenEnvironmentThenConfig(t *testing.T) {
	t.Parallel()
	r := newRecorder(t)
	other := newRecorder(t)
	config := writeConfig(t, 0o600, fmt.Sprintf(`{"base_url": %q, "org_id": "111", "api_login_id": "config-login", "transaction_key": "config-key"}`, other.URL))
	for _, tc := range []struct {
		name            string
		opts            Options
		env             env
		wantOther       bool // the config's server, not r
		login, key, org string
	}{
		{name: "config alone", opts: Options{}, env: env{},
			wantOther: true, login: "config-login", key: "config-key", org: "111"},
		{name: "environment over config", env: env{EnvBaseURL: r.URL, EnvOrgID: "222", EnvAPILoginID: "env-login", EnvTransactionKey: "env-key"},
			login: "env-login", key: "env-key", org: "222"},
		{name: "options over environment", opts: Options{BaseURL: r.URL, OrgID: " 333 "}, env: env{EnvBaseURL: other.URL, EnvOrgID: "222"},
			login: "config-login", key: "config-key", org: "333"},
		{name: "blank environment counts as unset", env: env{EnvOrgID: "  ", EnvAPILoginID: "", EnvTransactionKey: " "},
			wantOther: true, login: "config-login", key: "config-key", org: "111"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.ConfigPath, tc.opts.Getenv = config, tc.env.get
			conn, err := Open(context.Background(), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			srv := r
			if tc.wantOther {
				srv = other
			}
			if conn.BaseURL != srv.URL {
				t.Errorf("base URL %s, want %s", conn.BaseURL, srv.URL)
			}
			login, key, org := srv.sent(t, conn)
			if login != tc.login || key != tc.key || org != tc.org || conn.OrgID != tc.org {
				t.Errorf("sent %q %q %q (conn.OrgID %q), want %q %q %q", login, key, org, conn.OrgID, tc.login, tc.key, tc.org)
			}
			if conn.Sandbox != nil {
				t.Error("a connection to iLMS has a sandbox")
			}
		})
	}
}

// TestOpenWarnsOfAConfigOthersMayRead warns when the file holding the
// key is readable by others, naming the file and the fix, not the key.
func TestOpenWarnsOfAConfigOthersMayRead(t *testing.T) {
	t.Parallel()
	r := newRecorder(t)
	withKey := fmt.Sprintf(`{"base_url": %q, "org_id": "99999", "api_login_id": "login", "transaction_key": %q}`, r.URL, secretKey)
	withoutKey := fmt.Sprintf(`{"base_url": %q, "org_id": "99999"}`, r.URL)
	for _, tc := range []struct {
		name string
		mode os.FileMode
		body string
		warn bool
	}{
		{"key readable by others", 0o644, withKey, true},
		{"key readable by the group", 0o640, withKey, true},
		{"key readable by the owner only", 0o600, withKey, false},
		{"no key", 0o644, withoutKey, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.mode, tc.body)
			var warnings []string
			conn, err := Open(context.Background(), Options{ConfigPath: path, Warn: func(s string) { warnings = append(warnings, s) },
				Getenv: env{EnvAPILoginID: "login", EnvTransactionKey: "env-key"}.get})
			if err != nil {
				t.Fatal(err)
			}
			conn.Close()
			if got := len(warnings) > 0; got != tc.warn {
				t.Fatalf("warnings %q, want a warning: %v", warnings, tc.warn)
			}
			for _, w := range warnings {
				if !strings.Contains(w, path) || !strings.Contains(w, "chmod 600") || strings.Contains(w, secretKey) {
					t.Errorf("warning %q should name %s and chmod 600, and not the key", w, path)
				}
			}
		})
	}
}

// TestOpenRefusesWithoutSendingAndWithoutTheKey checks each way a
// connection cannot be opened: its kind, its cause, and that the key
// shows in none.
func TestOpenRefusesWithoutSendingAndWithoutTheKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keyEnv := env{EnvTransactionKey: secretKey}
	for _, tc := range []struct {
		name  string
		opts  Options
		is    error // a cause errors.Is finds
		usage bool  // Usage() kind, else Input()
		want  string
	}{
		{name: "no organization", opts: Options{ConfigPath: writeConfig(t, 0o600, `{"api_login_id": "login"}`), Getenv: keyEnv.get},
			is: ErrNoOrg, usage: true, want: EnvOrgID},
		{name: "no login ID", opts: Options{OrgID: "99999", ConfigPath: writeConfig(t, 0o600, `{}`), Getenv: keyEnv.get},
			is: ErrNoCredentials, usage: true, want: EnvAPILoginID},
		{name: "no key", opts: Options{OrgID: "99999", ConfigPath: writeConfig(t, 0o600, `{"api_login_id": "login"}`), Getenv: env{}.get},
			is: ErrNoCredentials, usage: true, want: EnvTransactionKey},
		{name: "base URL not absolute", opts: Options{BaseURL: "api.example.com", OrgID: "99999", ConfigPath: writeConfig(t, 0o600, `{"api_login_id": "login"}`), Getenv: keyEnv.get},
			is: validate.ErrInvalid, usage: true, want: `base URL "api.example.com"`},
		{name: "config named but missing", opts: Options{ConfigPath: filepath.Join(dir, "none.json"), Getenv: keyEnv.get},
			is: os.ErrNotExist, want: "does not exist"},
		{name: "config not JSON", opts: Options{ConfigPath: writeConfig(t, 0o600, `{"transaction_key": "`+secretKey+`" "org_id": 1}`)},
			want: "config file"},
		{name: "config a folder", opts: Options{ConfigPath: dir}, want: "is a folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := Open(context.Background(), tc.opts)
			if err == nil {
				conn.Close()
				t.Fatal("opened")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("%v: not %v", err, tc.is)
			}
			var u interface{ Usage() bool }
			var in interface{ Input() bool }
			if tc.usage && !(errors.As(err, &u) && u.Usage()) || !tc.usage && !(errors.As(err, &in) && in.Input()) {
				t.Errorf("%v (%T): wrong kind, want usage %v", err, err, tc.usage)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, secretKey) {
				t.Errorf("%q should say %q and not show the key", msg, tc.want)
			}
			if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, secretKey) {
				t.Errorf("the key shows in %s", s)
			}
		})
	}
}

// TestDefaultConfigNeedNotExist opens from the environment alone when
// the default config file is missing.
func TestDefaultConfigNeedNotExist(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	r := newRecorder(t)
	conn, err := Open(context.Background(), Options{Getenv: env{EnvBaseURL: r.URL, EnvOrgID: "99999", EnvAPILoginID: "login", EnvTransactionKey: secretKey}.get})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, key, _ := r.sent(t, conn); key != secretKey {
		t.Errorf("sent key %q", key)
	}
	if s := fmt.Sprintf("%v %+v", conn, *conn); strings.Contains(s, secretKey) {
		t.Errorf("the key shows in %s", s)
	}
	if got := DefaultConfigPath(); !strings.HasPrefix(got, os.Getenv("XDG_CONFIG_HOME")) {
		t.Errorf("DefaultConfigPath() = %s, outside XDG_CONFIG_HOME", got)
	}
}

func TestOpenCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Open(ctx, Options{Sandbox: true, SandboxState: filepath.Join(t.TempDir(), "state.json")}); !errors.Is(err, context.Canceled) {
		t.Errorf("Open of a canceled context: %v", err)
	}
}

// A base URL with a password in it (credentials for a proxy) is used as
// given, and said with the password masked: in Conn.BaseURL and Site,
// which summaries and plans record.
func TestOpenMasksABaseURLsPassword(t *testing.T) {
	t.Parallel()
	r := newRecorder(t)
	withPassword := strings.Replace(r.URL, "://", "://proxy:SECRET@", 1)
	conn, err := Open(context.Background(), Options{BaseURL: withPassword, OrgID: "1", ConfigPath: writeConfig(t, 0o600, `{}`),
		Getenv: env{EnvAPILoginID: "login", EnvTransactionKey: "key"}.get})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r.sent(t, conn)
	r.mu.Lock()
	user, pass, ok := (&http.Request{Header: r.headers}).BasicAuth()
	r.mu.Unlock()
	if !ok || user != "proxy" || pass != "SECRET" {
		t.Errorf("the server got basic auth %q %q %v, want the URL's", user, pass, ok)
	}
	for _, said := range []string{conn.BaseURL, conn.Site, conn.Client.BaseURL()} {
		if strings.Contains(said, "SECRET") || !strings.Contains(said, "proxy:xxxxx@") {
			t.Errorf("said %q, want the password masked", said)
		}
	}
}
