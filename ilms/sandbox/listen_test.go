package sandbox

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestListenSavesTheStateOnClose serves a sandbox on a free port, changes
// it, and finds the change in the state file once Close returns; a
// sandbox that changed nothing writes no file.
func TestListenSavesTheStateOnClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s := New(loadSeed(t), Options{})
	e, err := s.Listen("127.0.0.1:0", path)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", e.URL+"/organizations/99999/regions", strings.NewReader(`{"name":"Listened Region"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("APILoginID", SeedAPILoginID)
	req.Header.Set("TransactionKey", SeedTransactionKey)
	req.Header.Set("OrgID", SeedOrgID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	st, err := LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range st.Regions {
		found = found || r.Name == "Listened Region"
	}
	if !found {
		t.Error("the region created before Close is not in the saved state")
	}
	if _, err := http.Get(e.URL + "/organizations/99999/regions"); err == nil {
		t.Error("the endpoint still answers after Close")
	}

	untouched := filepath.Join(t.TempDir(), "untouched.json")
	e, err = New(loadSeed(t), Options{}).Listen("127.0.0.1:0", untouched)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(untouched); !os.IsNotExist(err) {
		t.Errorf("a sandbox that changed nothing wrote its state: %v", err)
	}
}

func TestListenOnAnAddressInUse(t *testing.T) {
	e, err := New(loadSeed(t), Options{}).Listen("127.0.0.1:0", "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := New(loadSeed(t), Options{}).Listen(strings.TrimPrefix(e.URL, "http://"), ""); err == nil {
		t.Error("a second sandbox listens on the same address")
	}
}
