package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func serve(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s := New(loadSeed(t), opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

func call(t *testing.T, hs *httptest.Server, method, path, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, hs.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("APILoginID", SeedAPILoginID)
	req.Header.Set("TransactionKey", SeedTransactionKey)
	req.Header.Set("OrgID", SeedOrgID)
	resp, err := hs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// fixedClock is a settable clock for the rate limiter.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	s, hs := serve(t, Options{Rate: 5, Now: clock.now})
	codes := map[int]int{}
	for range 8 {
		resp := call(t, hs, "GET", "/organizations/99999/groups/2", "")
		codes[resp.StatusCode]++
		if resp.StatusCode == 429 {
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 {
				t.Errorf("429 without a Retry-After in seconds: %q", resp.Header.Get("Retry-After"))
			}
		}
	}
	if codes[200] != 5 || codes[429] != 3 {
		t.Errorf("in one second at rate 5: %v, want 5 answered and 3 refused", codes)
	}
	clock.add(time.Second)
	if resp := call(t, hs, "GET", "/organizations/99999/groups/2", ""); resp.StatusCode != 200 {
		t.Errorf("next second: %d", resp.StatusCode)
	}
	if st := s.Stats(); st.RateLimited != 3 || st.Requests != 9 {
		t.Errorf("stats %+v", st)
	}
}

func TestFailRateIsSeededAndRoughlyRight(t *testing.T) {
	run := func() []int {
		_, hs := serve(t, Options{FailRate: 0.2, Seed: 42})
		var codes []int
		for range 400 {
			codes = append(codes, call(t, hs, "GET", "/organizations/99999/groups/2", "").StatusCode)
		}
		return codes
	}
	a, b := run(), run()
	failed := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("request %d answered %d then %d: the failures are not seeded", i, a[i], b[i])
		}
		switch a[i] {
		case 200:
		case 502, 503, 504:
			failed++
		default:
			t.Fatalf("unexpected status %d", a[i])
		}
	}
	if failed < 50 || failed > 110 {
		t.Errorf("%d of 400 failed at a 20%% fail rate", failed)
	}
}

// TestFailuresAfterTheFact: some injected failures hide a success, the
// case a client must resolve by looking the resource up.
func TestFailuresAfterTheFact(t *testing.T) {
	s, hs := serve(t, Options{FailRate: 1, Seed: 7})
	before := len(s.Snapshot().Regions)
	failedCreates := 10
	for i := range failedCreates {
		resp := call(t, hs, "POST", "/organizations/99999/regions", `{"name":"Region X`+strconv.Itoa(i)+`"}`)
		if resp.StatusCode < 500 {
			t.Fatalf("fail rate 1 answered %d", resp.StatusCode)
		}
	}
	created := len(s.Snapshot().Regions) - before
	if created == 0 || created == failedCreates {
		t.Errorf("%d of %d failed creates took effect; want some, not all", created, failedCreates)
	}
}

func TestLatency(t *testing.T) {
	_, hs := serve(t, Options{Latency: 30 * time.Millisecond})
	start := time.Now()
	call(t, hs, "GET", "/organizations/99999/groups/2", "")
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered in %v with 30ms latency", d)
	}
}

func TestStateSurvivesSaveAndLoad(t *testing.T) {
	s, hs := serve(t, Options{})
	if s.Changed() {
		t.Error("a fresh server reports a change")
	}
	resp := call(t, hs, "POST", "/organizations/99999/regions", `{"name":"Saved Region"}`)
	if resp.StatusCode != 201 || !s.Changed() {
		t.Fatalf("create: %d, changed %v", resp.StatusCode, s.Changed())
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := s.Snapshot().WriteFile(path); err != nil {
		t.Fatal(err)
	}
	st, err := LoadState(path)
	if err != nil {
		t.Fatal(err)
	}
	lastID := st.NextID
	s2 := New(st, Options{})
	hs2 := httptest.NewServer(s2)
	defer hs2.Close()
	var units []struct{ Name string }
	json.NewDecoder(call(t, hs2, "GET", "/organizations/99999/regions", "").Body).Decode(&units)
	found := false
	for _, u := range units {
		found = found || u.Name == "Saved Region"
	}
	if !found {
		t.Errorf("the saved region is not served after loading: %v", units)
	}
	// IDs continue after the loaded ones.
	resp = call(t, hs2, "POST", "/organizations/99999/regions", `{"name":"Next Region"}`)
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "/"+strconv.FormatInt(lastID+1, 10)) {
		t.Errorf("new region at %q, want the ID after %d", loc, lastID)
	}
}

func TestPasswordsAreNotKept(t *testing.T) {
	s, hs := serve(t, Options{})
	body := `{"userProfileData":[{"Key":"F001","Value":"P"},{"Key":"F003","Value":"Q"},{"Key":"F015","Value":"p.q@example.com"},{"Key":"F016","Value":"Hunter2-secret"},
		{"Key":"F019","Value":"Region 1"},{"Key":"F020","Value":"Division 1"},{"Key":"F021","Value":"Department 1"}]}`
	if resp := call(t, hs, "POST", "/organizations/99999/users", body); resp.StatusCode != 201 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(s.Snapshot())
	if strings.Contains(buf.String(), "Hunter2-secret") {
		t.Error("the sandbox state holds a password in clear")
	}
}

func TestConcurrentRequests(t *testing.T) {
	_, hs := serve(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() != nil {
				return
			}
			name := "Parallel " + strconv.Itoa(i)
			if resp := call(t, hs, "POST", "/organizations/99999/regions", `{"name":"`+name+`"}`); resp.StatusCode != 201 {
				errs <- name + ": " + resp.Status
			}
			if resp := call(t, hs, "GET", "/organizations/99999/users?per_page=7&page=2", ""); resp.StatusCode != 200 {
				errs <- "list: " + resp.Status
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
