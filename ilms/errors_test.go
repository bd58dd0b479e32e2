package ilms

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Explain says why a run stopped in words a person acts on, for the
// refusals and the network failures, and nothing for other errors.
func TestExplain(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Message":"Authorization has been denied"}`, http.StatusUnauthorized)
	}))
	defer srv.Close()
	c, err := NewClient(Options{BaseURL: srv.URL, OrgID: "1", Credentials: Credentials{APILoginID: "a", TransactionKey: "secret-key"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.Get(context.Background(), 1)
	if msg, ok := Explain(err, srv.URL); !ok || !strings.Contains(msg, "refused the credentials") || strings.Contains(msg, "secret-key") {
		t.Errorf("401: %q %v", msg, ok)
	}
	srv.Close()
	_, err = c.Users.Get(context.Background(), 1)
	if msg, ok := Explain(err, srv.URL); !ok || !strings.Contains(msg, "cannot reach the iLMS API at "+srv.URL) || strings.Contains(msg, "dial tcp") {
		t.Errorf("unreachable: %q %v (%v)", msg, ok, err)
	}
	if msg, ok := Explain(errors.New("something else"), srv.URL); ok || msg != "" {
		t.Errorf("another error: %q %v", msg, ok)
	}
}
