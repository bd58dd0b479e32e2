// Package sandbox is an in-memory iLMS organization behind the documented
// HTTP API: the same paths, status codes, headers, pagination, search
// syntax and validation rules as ilms-api.txt describes, so that the client,
// the tests and newcomers can run everything without credentials or network.
// It can inject a server-side rate limit (in the shapes of package limit),
// latency and random 5xx answers.
// Of this module it imports only validate's rules and tables (so that the
// client and the sandbox apply one copy of them) and internal/synth for
// its generated staff: it is held to the document, not to the client.
package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox/limit"
)

// Options inject faults and fix the clock.
type Options struct {
	// Limit is the rate limit every request goes through: its shape, rate,
	// burst, and how it refuses (429 or 503, which Retry-After).
	Limit limit.Config
	// Rate is short for Limit.Rate when that is 0: how many requests a
	// second the sandbox answers, by default in a fixed one-second window;
	// the rest get 429 Too Many Requests with Retry-After. 0 means no
	// limit.
	Rate float64
	// Latency is added before every answer.
	Latency time.Duration
	// FailRate is the share of requests answered 502, 503 or 504. Half of
	// the failed writes are failed after they took effect, the way a
	// gateway timeout hides a success.
	FailRate float64
	// Seed seeds the failure draws.
	Seed uint64
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Server is the sandbox: an http.Handler serving /organizations/{orgID}/…
// It may be mounted under a path prefix. It is safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time

	mu sync.RWMutex
	st *State
	ix index
	// version counts mutations; list caches are valid for one version.
	version uint64
	cacheMu sync.Mutex
	cache   map[string]cached

	routes []route

	faultMu sync.Mutex
	rng     *rand.Rand
	limiter *limit.Limiter

	stats   stats
	changed atomic.Bool
}

type cached struct {
	version uint64
	items   any
}

// New returns a sandbox serving st. The state is owned by the server from
// then on; use Snapshot to read it. It panics if opts.LimitConfig() is not
// a limit limit.New takes; check it there first.
func New(st *State, opts Options) *Server {
	s := &Server{opts: opts, now: opts.Now, st: st, cache: map[string]cached{}}
	lim, err := limit.New(opts.LimitConfig())
	if err != nil {
		panic(fmt.Sprintf("sandbox.New: %v", err))
	}
	s.limiter = lim
	if s.now == nil {
		s.now = time.Now
	}
	s.rng = rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5bd1e995))
	if s.st.NextID == 0 {
		s.st.NextID = 600000
	}
	s.ix = buildIndex(st)
	s.routes = s.routeTable()
	return s
}

// OrgID, APILoginID and TransactionKey are the credentials the sandbox
// accepts.
func (s *Server) OrgID() string { return s.st.OrgID }

// APILoginID returns the API login ID the sandbox accepts.
func (s *Server) APILoginID() string { return s.st.APILoginID }

// TransactionKey returns the transaction key the sandbox accepts.
func (s *Server) TransactionKey() string { return s.st.TransactionKey }

// Changed reports whether the state changed since the last call, and
// clears the flag; it tells a saver when to write.
func (s *Server) Changed() bool { return s.changed.Swap(false) }

// Snapshot returns a deep copy of the state, for saving or inspection.
func (s *Server) Snapshot() *State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := json.Marshal(s.st)
	if err != nil {
		panic(err) // the state is plain data
	}
	var out State
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}

// LimitConfig is the limit the options ask for: Limit, with Rate as its
// rate when Limit has none.
func (o Options) LimitConfig() limit.Config {
	c := o.Limit
	if c.Rate == 0 {
		c.Rate = o.Rate
	}
	return c
}

// Stats counts requests: all, by method, and the ones that changed or
// tried to change something (writes), and the faults injected.
type Stats struct {
	Requests    int64
	ByMethod    map[string]int64
	Writes      int64 // POST, PUT and DELETE requests that reached a handler
	RateLimited int64 // refused by the rate limit (429 or 503)
	Failed      int64 // answered with an injected 5xx
}

type stats struct {
	mu sync.Mutex
	s  Stats
}

func (st *stats) add(f func(*Stats)) {
	st.mu.Lock()
	if st.s.ByMethod == nil {
		st.s.ByMethod = map[string]int64{}
	}
	f(&st.s)
	st.mu.Unlock()
}

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := s.stats.s
	out.ByMethod = map[string]int64{}
	for k, v := range s.stats.s.ByMethod {
		out.ByMethod[k] = v
	}
	return out
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.stats.mu.Lock()
	s.stats.s = Stats{}
	s.stats.mu.Unlock()
}

// SetFaults changes the injected faults while serving: the rate limit's
// rate (its shape and the rest kept; the count starts afresh; below 0 is
// no limit), the latency and the failure share.
func (s *Server) SetFaults(rate float64, latency time.Duration, failRate float64) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	c := s.limiter.Config()
	c.Rate = max(rate, 0)
	lim, err := limit.New(c)
	if err != nil {
		panic(err) // only the rate changed, and it is 0 or more
	}
	s.opts.Latency, s.opts.FailRate = latency, failRate
	s.opts.Limit, s.limiter = c, lim
}

// apiError is the body of every error answer: {"Message": "…"}, as ASP.NET
// Web API, which the iLMS API is built on, writes it.
type apiError struct {
	Message string `json:"Message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, apiError{Message: fmt.Sprintf(format, args...)})
}

// httpError is returned by handlers for a 4xx answer.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func fail(status int, format string, args ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) error {
	return fail(http.StatusBadRequest, format, args...)
}
func notFound(format string, args ...any) error { return fail(http.StatusNotFound, format, args...) }

// ServeHTTP answers one request: faults first (latency, rate limit,
// injected failures), then authentication, routing, media type, and the
// operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.stats.add(func(st *Stats) { st.Requests++; st.ByMethod[r.Method]++ })
	now := s.now()
	s.faultMu.Lock()
	latency, failRate, lim := s.opts.Latency, s.opts.FailRate, s.limiter
	accepted, wait := lim.Take(now)
	limited := !accepted
	failStatus, failAfter := 0, false
	if !limited && failRate > 0 && s.rng.Float64() < failRate {
		failStatus = []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}[s.rng.IntN(3)]
		failAfter = r.Method != http.MethodGet && s.rng.IntN(2) == 0
	}
	s.faultMu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	if limited {
		s.stats.add(func(st *Stats) { st.RateLimited++ })
		status := lim.Refuse(w.Header(), now, wait)
		writeError(w, status, "API rate limit exceeded: at most %g requests per second", lim.Config().Rate)
		return
	}
	if failStatus != 0 && !failAfter {
		s.stats.add(func(st *Stats) { st.Failed++ })
		writeError(w, failStatus, "%s (injected)", http.StatusText(failStatus))
		return
	}
	if failStatus != 0 {
		// Act, then lie about it: the answer is lost like a gateway
		// timeout would lose it.
		s.serve(httptest.NewRecorder(), r)
		s.stats.add(func(st *Stats) { st.Failed++ })
		writeError(w, failStatus, "%s (injected after the request took effect)", http.StatusText(failStatus))
		return
	}
	s.serve(w, r)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	segs := splitPath(r.URL.Path)
	if len(segs) < 2 || !strings.EqualFold(segs[0], "organizations") {
		writeError(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
		return
	}
	if !s.authorized(r, segs[1]) {
		writeError(w, http.StatusUnauthorized, "Authorization has been denied for this request.")
		return
	}
	rt, params, allowed := s.match(r.Method, segs)
	if rt == nil {
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeError(w, http.StatusMethodNotAllowed, "The requested resource does not support http method '%s'.", r.Method)
			return
		}
		writeError(w, http.StatusNotFound, "No HTTP resource was found that matches the request URI '%s'.", r.URL.Path)
		return
	}
	if slices.Contains(s.st.DisabledFeatures, rt.feature) {
		writeError(w, http.StatusForbidden, "The %s feature is not available to this organization.", rt.feature)
		return
	}
	body, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if len(bytes.TrimSpace(body)) > 0 && !isJSON(r.Header.Get("Content-Type")) {
		writeError(w, http.StatusUnsupportedMediaType, "The request entity's media type '%s' is not supported for this resource; the iLMS API supports application/json only.", r.Header.Get("Content-Type"))
		return
	}
	if r.Method != http.MethodGet {
		s.stats.add(func(st *Stats) { st.Writes++ })
	}
	req := &request{r: r, w: w, rt: rt, p: params, body: body, s: s}
	if err := rt.h(req); err != nil {
		if he, ok := err.(*httpError); ok {
			writeError(w, he.status, "%s", he.msg)
			return
		}
		writeError(w, http.StatusInternalServerError, "An error has occurred: %v", err)
	}
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %v", err)
	}
	return b, nil
}

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && strings.EqualFold(mt, "application/json")
}

// authorized checks the three credential headers, and that the OrgID header
// names the organization of the path.
func (s *Server) authorized(r *http.Request, pathOrg string) bool {
	org := strings.TrimSpace(r.Header.Get("OrgID"))
	return r.Header.Get("APILoginID") == s.st.APILoginID &&
		r.Header.Get("TransactionKey") == s.st.TransactionKey &&
		org == s.st.OrgID && pathOrg == org
}

func splitPath(p string) []string {
	var segs []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			if u, err := url.PathUnescape(s); err == nil {
				s = u
			}
			segs = append(segs, s)
		}
	}
	return segs
}

// request is what a handler gets: the request, the route it matched, path
// parameters, the body read once, and the server.
type request struct {
	r    *http.Request
	w    http.ResponseWriter
	rt   *route
	p    map[string]string
	body []byte
	s    *Server
}

func (q *request) param(name string) string { return q.p[name] }

func (q *request) int64Param(name, what string) (int64, error) {
	v := q.p[name]
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, notFound("%s %q does not exist.", what, v)
	}
	return n, nil
}

func (q *request) query(name string) string {
	for k, v := range q.r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (q *request) boolQuery(name string) (bool, error) {
	v := q.query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return false, badRequest("The value '%s' is not valid for %s; use true or false.", v, name)
	}
	return b, nil
}

// decode reads the JSON body into v; keys match without regard to case, as
// Go's decoder (and ASP.NET's) does.
func (q *request) decode(v any) error {
	if len(bytes.TrimSpace(q.body)) == 0 {
		return badRequest("The request body is empty.")
	}
	if err := json.Unmarshal(q.body, v); err != nil {
		return badRequest("The request body is not valid JSON for this resource: %v", err)
	}
	return nil
}

func (q *request) ok(v any)   { writeJSON(q.w, http.StatusOK, v) }
func (q *request) noContent() { q.w.WriteHeader(http.StatusNoContent) }
func (q *request) created(location string, id any) {
	q.w.Header().Set("Location", q.absolute(location))
	writeJSON(q.w, http.StatusCreated, id)
}

// absolute turns a path under /organizations into the URL the client sees,
// keeping the scheme, host and any prefix the server is mounted under.
func (q *request) absolute(p string) string {
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	prefix := ""
	if raw, _, _ := strings.Cut(q.r.RequestURI, "?"); strings.HasSuffix(raw, q.r.URL.EscapedPath()) {
		prefix = strings.TrimSuffix(raw, q.r.URL.EscapedPath())
	}
	return scheme + "://" + q.r.Host + prefix + p
}

// orgPath is the path of a resource of this organization.
func (q *request) orgPath(segs ...string) string {
	var b strings.Builder
	b.WriteString("/organizations/")
	b.WriteString(url.PathEscape(q.s.st.OrgID))
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// mutated marks the state changed: list caches drop, a saver writes.
// Called with mu held for writing.
func (s *Server) mutated() {
	s.version++
	s.changed.Store(true)
}

// flexString reads a JSON string or number as text: the document sends
// IDs as strings ({"userid":"444038"}) where the table says integer.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("expected a string or a number, got %s", b)
	}
	*f = flexString(n.String())
	return nil
}

// flexBool reads true, false, "true" or "false".
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		var v bool
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = flexBool(v)
		return nil
	}
	if s == "" {
		*f = false
		return nil
	}
	v, err := strconv.ParseBool(strings.ToLower(string(s)))
	if err != nil {
		return fmt.Errorf("expected true or false, got %s", b)
	}
	*f = flexBool(v)
	return nil
}

// rawJSON keeps a member's raw value: empty when the member is absent,
// "null" when it is null, so a handler can tell the two apart.
type rawJSON []byte

func (r *rawJSON) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

func (r rawJSON) present() bool { return len(r) > 0 }
func (r rawJSON) null() bool    { return string(bytes.TrimSpace(r)) == "null" }
func (r rawJSON) decode(v any) error {
	return json.Unmarshal(r, v)
}
