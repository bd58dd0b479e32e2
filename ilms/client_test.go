package ilms

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The document's example credentials and organization.
const (
	testOrg   = "99999"
	testLogin = "YBA3hyozzqWGeA2koTvI1Q=="
	testKey   = "ggcyFzoFKxbUm+3DFd/N9Q=="
	// basePrefix is where the test server mounts the API, so that a path
	// built as absolute instead of relative to the base URL shows up.
	basePrefix = "/api-v1"
)

// setup returns a client talking to a test server whose mux is mounted
// under basePrefix; the server closes when the test ends.
func setup(t *testing.T, opts ...func(*Options)) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(basePrefix+"/", http.StripPrefix(basePrefix, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base URL: %s %s", r.Method, r.URL)
		http.Error(w, "outside the base URL", http.StatusBadGateway)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	o := Options{
		BaseURL: srv.URL + basePrefix, OrgID: testOrg,
		Credentials: Credentials{APILoginID: testLogin, TransactionKey: testKey},
		MinBackoff:  time.Millisecond, MaxBackoff: 5 * time.Millisecond,
	}
	for _, f := range opts {
		f(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

// testHeaders checks what every request must carry.
func testHeaders(t *testing.T, r *http.Request) {
	t.Helper()
	for h, want := range map[string]string{
		"APILoginID": testLogin, "TransactionKey": testKey, "OrgID": testOrg,
		"Content-Type": "application/json", "Accept": "application/json",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s %s: header %s = %q, want %q", r.Method, r.URL.Path, h, got, want)
		}
	}
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(t *testing.T, got, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Errorf("body %q is not JSON: %v", got, err)
		return false
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

func ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestNewClientRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{
		{BaseURL: "api.inspiredlms.com", OrgID: "1"},
		{BaseURL: "https://api.inspiredlms.com", OrgID: " "},
	} {
		if _, err := NewClient(o); err == nil {
			t.Errorf("NewClient(%+v) = nil error", o)
		}
	}
}

func TestCredentialsNeverPrint(t *testing.T) {
	c := Credentials{APILoginID: testLogin, TransactionKey: testKey}
	b, _ := json.Marshal(c)
	for _, s := range []string{c.String(), c.GoString(), string(b), strings.Join([]string{fmtV(c), fmtPlusV(c), fmtGoV(c)}, " ")} {
		if strings.Contains(s, testKey) {
			t.Errorf("credentials printed the transaction key: %s", s)
		}
	}
}

func TestErrorsNeverCarryCredentials(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("GET /organizations/99999/users/1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"Message":"Authorization has been denied for this request."}`)
	})
	_, err := c.Users.Get(ctx(t), 1)
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v, want a 401", err)
	}
	for _, s := range []string{err.Error(), fmtPlusV(err), fmtGoV(err), fmtPlusV(c), fmtGoV(c)} {
		if strings.Contains(s, testKey) {
			t.Errorf("the transaction key leaked: %s", s)
		}
	}
	var apiErr *APIError
	if !errorsAs(err, &apiErr) || apiErr.Message != "Authorization has been denied for this request." || apiErr.Method != "GET" || apiErr.Path != "/organizations/99999/users/1" {
		t.Errorf("APIError = %+v", apiErr)
	}
}
