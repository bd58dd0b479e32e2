package ilms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A server that echoes the request in its refusals (a proxy, a message
// quoting the value refused) has its answers said with the transaction
// key and the body's passwords masked, as written, JSON-escaped and with
// "/" escaped too; what else it said is kept.
func TestSecretsAreMaskedInAnswers(t *testing.T) {
	const key, password = "ggcy/FzoFKx+bUm&3DFd==", "S3cr3t-Pass/00!&"
	for _, tc := range []struct {
		name   string
		status int
		echo   func(r *http.Request, body []byte) string
	}{
		{"the headers and body as JSON", http.StatusBadRequest, func(r *http.Request, body []byte) string {
			m, _ := json.Marshal(map[string]string{"Message": fmt.Sprintf("refused: headers %v body %s", r.Header, body)})
			return string(m)
		}},
		{"as text", http.StatusInternalServerError, func(r *http.Request, body []byte) string {
			return fmt.Sprintf("refused: key %s body %s", r.Header.Get("TransactionKey"), body)
		}},
		{"with / escaped", http.StatusBadRequest, func(r *http.Request, body []byte) string {
			return strings.ReplaceAll(fmt.Sprintf(`{"Message":"refused %q %s"}`, r.Header.Get("TransactionKey"), body), "/", `\/`)
		}},
		{"as a created answer without an ID", http.StatusOK, func(r *http.Request, body []byte) string {
			return fmt.Sprintf("made %s with %s", body, r.Header.Get("TransactionKey"))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.echo(r, body))
			}))
			defer srv.Close()
			c, err := NewClient(Options{BaseURL: srv.URL, OrgID: "1", MaxAttempts: 1, Credentials: Credentials{APILoginID: "login", TransactionKey: key}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			_, errCreate := c.Users.Create(ctx, NewUser{UserProfileData: []ProfileField{{Key: "F001", Value: "Ana"}, {Key: "F016", Value: password}}})
			errUpdate := c.Users.Update(ctx, 7, []ProfileField{{Key: "F016", Value: password}})
			errReset := c.Users.ResetPassword(ctx, 7, password, true)
			for _, err := range []error{errCreate, errUpdate, errReset} {
				if tc.status == http.StatusOK && err == errUpdate {
					continue // an update answered 200 is done
				}
				if err == nil {
					t.Fatal("no error")
				}
				msg := err.Error()
				for _, secret := range []string{key, password, "FzoFKx", "Pass/00"} {
					if strings.Contains(msg, secret) {
						t.Errorf("%q says %q", msg, secret)
					}
				}
				if !strings.Contains(msg, Redacted) || (!strings.Contains(msg, "refused") && !strings.Contains(msg, "made")) {
					t.Errorf("%q: want the answer kept, its secrets %s", msg, Redacted)
				}
			}
		})
	}
}

// A base URL's password is masked wherever the client says the URL.
func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.inspiredlms.com":     "https://api.inspiredlms.com",
		"http://u:SECRET@127.0.0.1:1/":    "http://u:xxxxx@127.0.0.1:1/",
		"http://u:SECRET@127.0.0.1:1/%zz": "http://xxxxx@127.0.0.1:1/%zz",
		"not a url":                       "not a url",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
	c, err := NewClient(Options{BaseURL: "http://u:SECRET@127.0.0.1:1", OrgID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.BaseURL() + c.String(); strings.Contains(s, "SECRET") {
		t.Errorf("the client says %q", s)
	}
	if _, err := NewClient(Options{BaseURL: "//u:SECRET@host", OrgID: "1"}); err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("a relative URL: %v", err)
	}
}
