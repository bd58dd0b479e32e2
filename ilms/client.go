// Package ilms is a typed client for the iLMS REST API as documented in
// ilms-api.txt: one method per documented operation, the authentication
// headers on every request, pagination as iterators, typed errors, retries
// with backoff, and one shared rate limiter for every call. It knows
// nothing of spreadsheets.
package ilms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// DefaultBaseURL is the API host most of the document's examples use (it
// also shows api.inspirelms.com; see docs/api-notes.md).
const DefaultBaseURL = "https://api.inspiredlms.com"

// DefaultPerPage is the page size the API uses when none is asked for.
const DefaultPerPage = 100

// Credentials are the API login ID and transaction key from Settings > iLMS
// API. They print as redacted so that no log line or error can carry them.
type Credentials struct {
	APILoginID     string
	TransactionKey string
}

// String never shows the transaction key.
func (c Credentials) String() string {
	return fmt.Sprintf("ilms.Credentials{APILoginID: %q, TransactionKey: %s}", c.APILoginID, redacted(c.TransactionKey))
}

// GoString never shows the transaction key.
func (c Credentials) GoString() string { return c.String() }

// MarshalJSON never writes the transaction key.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"APILoginID": c.APILoginID, "TransactionKey": redacted(c.TransactionKey)})
}

func redacted(s string) string {
	if s == "" {
		return "<unset>"
	}
	return "<redacted>"
}

// Options configure a Client. The zero value of every field but BaseURL,
// OrgID and Credentials has a sensible default.
type Options struct {
	BaseURL     string // such as DefaultBaseURL, or a sandbox's URL; may carry a path prefix
	OrgID       string // the organization, sent as the OrgID header and in every path
	Credentials Credentials

	HTTPClient *http.Client // default: a pooled client with Timeout 60s
	// Pacer spaces every attempt. Share one between clients to share one
	// limit. Default: no limit.
	Pacer *Pacer

	MaxAttempts int           // attempts per request, first included; default 5
	MinBackoff  time.Duration // first retry delay; default 250ms
	MaxBackoff  time.Duration // cap on a retry delay; default 30s
	PerPage     int           // page size for list iterators; default 100

	// OnAttempt, when set, is told of every attempt once it has an outcome,
	// for counting requests and retries. It must be safe for concurrent use.
	OnAttempt func(Attempt)
}

// Attempt describes one HTTP attempt, reported through Options.OnAttempt.
type Attempt struct {
	Method     string
	Path       string
	Number     int           // 1 for the first attempt
	StatusCode int           // 0 when no answer came
	Err        error         // nil on a 2xx
	Retry      bool          // whether another attempt follows
	Elapsed    time.Duration // time on the wire
}

// Client talks to one iLMS organization. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	org       string
	creds     Credentials
	http      *http.Client
	pacer     *Pacer
	attempts  int
	minBack   time.Duration
	maxBack   time.Duration
	perPage   int
	onAttempt func(Attempt)
	now       func() time.Time
	forms     formMemo

	common service

	Users       *UsersService
	Groups      *GroupsService
	Hierarchy   *HierarchyService
	Transcripts *TranscriptsService
	Courses     *CoursesService
	Curricula   *CurriculaService
	Sessions    *SessionsService
	Enrollments *EnrollmentsService
	Reports     *ReportsService
}

type service struct{ client *Client }

// NewClient returns a client for opts. It fails when the base URL cannot be
// parsed or the organization is missing.
func NewClient(opts Options) (*Client, error) {
	if opts.BaseURL == "" {
		opts.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(opts.BaseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("ilms: base URL %q must be absolute, such as %s", RedactURL(opts.BaseURL), DefaultBaseURL)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	base.RawQuery, base.Fragment = "", ""
	if strings.TrimSpace(opts.OrgID) == "" {
		return nil, errors.New("ilms: organization ID is required")
	}
	c := &Client{
		base:      base,
		org:       strings.TrimSpace(opts.OrgID),
		creds:     opts.Credentials,
		http:      opts.HTTPClient,
		pacer:     opts.Pacer,
		attempts:  opts.MaxAttempts,
		minBack:   opts.MinBackoff,
		maxBack:   opts.MaxBackoff,
		perPage:   opts.PerPage,
		onAttempt: opts.OnAttempt,
		now:       time.Now,
	}
	if c.http == nil {
		c.http = NewHTTPClient(64)
	}
	if c.pacer == nil {
		c.pacer = NewPacer(nil)
	}
	if c.attempts <= 0 {
		c.attempts = 5
	}
	if c.minBack <= 0 {
		c.minBack = 250 * time.Millisecond
	}
	if c.maxBack <= 0 {
		c.maxBack = 30 * time.Second
	}
	if c.maxBack < c.minBack {
		c.maxBack = c.minBack
	}
	if c.perPage <= 0 {
		c.perPage = DefaultPerPage
	}
	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.Groups = (*GroupsService)(&c.common)
	c.Hierarchy = (*HierarchyService)(&c.common)
	c.Transcripts = (*TranscriptsService)(&c.common)
	c.Courses = (*CoursesService)(&c.common)
	c.Curricula = (*CurriculaService)(&c.common)
	c.Sessions = (*SessionsService)(&c.common)
	c.Enrollments = (*EnrollmentsService)(&c.common)
	c.Reports = (*ReportsService)(&c.common)
	return c, nil
}

// NewHTTPClient returns an HTTP client that keeps up to conns idle
// connections to the API host (the default of 2 would reopen connections
// under a worker pool) and gives up on a request after 60 seconds.
func NewHTTPClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns
	t.MaxIdleConnsPerHost = conns
	return &http.Client{Transport: t, Timeout: 60 * time.Second}
}

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return strings.TrimSuffix(c.base.Redacted(), "/") }

// OrgID returns the organization the client works on.
func (c *Client) OrgID() string { return c.org }

// PerPage returns the page size list iterators use.
func (c *Client) PerPage() int { return c.perPage }

// Pacer returns the pacer every attempt goes through.
func (c *Client) Pacer() *Pacer { return c.pacer }

// orgPath joins the organization prefix and the escaped segments.
func (c *Client) orgPath(segments ...string) string {
	var b strings.Builder
	b.WriteString("organizations/")
	b.WriteString(url.PathEscape(c.org))
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// Response is a decoded API answer with its pagination facts.
type Response struct {
	StatusCode int
	Header     http.Header
	// TotalCount is X-Total-Count, or -1 when the server sent none.
	TotalCount int
	// FirstPage, PrevPage, NextPage and LastPage are the page numbers of the
	// navigation links, 0 when absent. They are read from the document's
	// plain first/prev/next/last headers or from an RFC 8288 Link header.
	FirstPage, PrevPage, NextPage, LastPage int
	// Location is the Location header of a 201.
	Location string
}

// request is one API call before it is sent: everything needed to send it
// again on a retry.
type request struct {
	method string
	path   string // relative to the base URL, without query
	query  url.Values
	body   []byte // nil: no body
	// value is the body as given, whose secrets are masked in a refusal
	// (Client.secretsOf).
	value any
}

func (r *request) String() string {
	if len(r.query) == 0 {
		return "/" + r.path
	}
	return "/" + r.path + "?" + r.query.Encode()
}

// interruptKey carries the context of WithInterrupt.
type interruptKey struct{}

// WithInterrupt returns ctx for requests that are not to be cut once
// sent (ctx is often context.WithoutCancel of a run's), whose waits for a
// turn (the pace, a pause the server asked for, a retry's back-off) end
// when interrupt is done: after an interrupt nothing more is sent, and
// what is in flight finishes. A request that had not been sent then
// returns an *UnsentError; one retrying returns its last error.
func WithInterrupt(ctx, interrupt context.Context) context.Context {
	return context.WithValue(ctx, interruptKey{}, interrupt)
}

// waitContext is the context a request waits for its turns under: ctx,
// also ended by the interrupt of WithInterrupt.
func waitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	interrupt, ok := ctx.Value(interruptKey{}).(context.Context)
	if !ok {
		return ctx, func() {}
	}
	wctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(interrupt, cancel)
	return wctx, func() { stop(); cancel() }
}

// do sends req, retrying as the policy allows, and decodes a 2xx body into
// out when out is not nil.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) (*Response, error) {
	req := &request{method: method, path: path, query: query, value: body}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("ilms: encode %s %s: %w", method, req, err)
		}
		req.body = b
	}
	var lastErr error
	wctx, done := waitContext(ctx)
	defer done()
	// attempt counts the attempts that failed; n all of them, and
	// refusals those that were the pace (see shouldRetry).
	n, refusals := 0, 0
	for attempt := 1; attempt <= c.attempts; attempt++ {
		turn, err := c.pacer.Wait(wctx)
		if err != nil {
			if lastErr != nil {
				return nil, lastErr
			}
			return nil, &UnsentError{Err: err}
		}
		n++
		resp, sent, err := c.send(ctx, req, out)
		turn.Done(answerOf(resp, err))
		retry, wait, paced := c.shouldRetry(ctx, req, sent, err, attempt, refusals)
		if paced {
			refusals++
			attempt-- // the pace, not a failed attempt
		}
		if c.onAttempt != nil {
			a := Attempt{Method: method, Path: req.String(), Number: n, Err: err, Retry: retry}
			if resp != nil {
				a.StatusCode = resp.StatusCode
			}
			c.onAttempt(a)
		}
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if !retry {
			return resp, err
		}
		if wait > 0 {
			if err := c.pacer.sleep(wctx, wait); err != nil {
				return nil, lastErr
			}
		}
	}
	return nil, lastErr
}

// maxRefusals is how many refusals for load one request takes, paced by
// an automatic pacer, before they count as failures: a server that
// refuses a request this often is not asking it to slow down.
const maxRefusals = 50

// paced says whether err is a refusal for load that an automatic pacer
// answers with its pace (429, or a 503 from a server that never says
// 429, and not for a POST, which a 503 may have acted on), and its
// Retry-After.
func (c *Client) paced(req *request, err error) (time.Duration, bool) {
	var apiErr *APIError
	if c.pacer.Auto() == nil || !errors.As(err, &apiErr) || !c.pacer.loadStatus(apiErr.StatusCode) || mayHaveActed(req, apiErr.StatusCode) {
		return 0, false
	}
	return apiErr.RetryAfter, true
}

// mayHaveActed says whether a request answered status may have done its
// work: only a 429 is a refusal before any, and only a POST's work would
// be done twice by trying it again.
func mayHaveActed(req *request, status int) bool {
	return req.method == http.MethodPost && status != http.StatusTooManyRequests
}

// send performs one attempt. sent reports whether the request may have
// reached the server: false only when no connection was ever obtained.
func (c *Client) send(ctx context.Context, req *request, out any) (resp *Response, sent bool, err error) {
	target := c.base.String() + req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	var gotConn bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { gotConn = true }}
	hreq, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), req.method, target, body)
	if err != nil {
		return nil, false, fmt.Errorf("ilms: build %s %s: %w", req.method, req, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("APILoginID", c.creds.APILoginID)
	hreq.Header.Set("TransactionKey", c.creds.TransactionKey)
	hreq.Header.Set("OrgID", c.org)

	hresp, err := c.http.Do(hreq)
	if err != nil {
		// url.Error carries the URL, never headers; strip it to keep the
		// message short and relative.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		err = fmt.Errorf("%s %s: %w", req.method, req, err)
		if !gotConn {
			return nil, false, &UnsentError{Err: err}
		}
		return nil, true, err
	}
	defer hresp.Body.Close()
	resp = newResponse(hresp)
	if err := checkResponse(hresp, req.method, req.String(), c.now()); err != nil {
		err.Message = c.secretsOf(req.value).redact(err.Message)
		return resp, true, err
	}
	if out != nil {
		if err := decodeBody(hresp.Body, out); err != nil {
			return resp, true, fmt.Errorf("ilms: decode %s %s: %w", req.method, req, err)
		}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(hresp.Body, 1<<20)) // reuse the connection
	return resp, true, nil
}

func decodeBody(r io.Reader, out any) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if u, ok := out.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(b)
	}
	return json.Unmarshal(b, out)
}

// answerOf is the status and the Retry-After of an attempt's answer, for
// the pacer: 0 when no answer came.
func answerOf(resp *Response, err error) (status int, retryAfter time.Duration) {
	if resp != nil {
		status = resp.StatusCode
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		retryAfter = apiErr.RetryAfter
	}
	return status, retryAfter
}

// retryStatus are the answers worth another attempt: the server is
// overloaded, restarting or behind a failing gateway.
var retryStatus = map[int]bool{
	http.StatusTooManyRequests:    true,
	http.StatusBadGateway:         true,
	http.StatusServiceUnavailable: true,
	http.StatusGatewayTimeout:     true,
}

// shouldRetry decides whether the attempt that ended in err is tried again,
// and after how long; paced says it is the pace, not a failed attempt.
//
// A refusal for load heard by an automatic pacer (see paced) is tried
// again after the pacer's pause, up to maxRefusals times, whatever the
// attempts left. Otherwise GET, PUT and DELETE are retried on 429, 502,
// 503, 504 and transport errors. A POST is retried only when it provably
// did not act: no connection was made, or the server answered 429 (a
// refusal before any work). A POST that got a 5xx or lost its connection
// after being sent is returned to the caller, who resolves the unknown
// outcome by looking the resource up.
func (c *Client) shouldRetry(ctx context.Context, req *request, sent bool, err error, attempt, refusals int) (retry bool, wait time.Duration, paced bool) {
	if err == nil || ctx.Err() != nil {
		return false, 0, false
	}
	if ra, ok := c.paced(req, err); ok && refusals < maxRefusals {
		return true, c.pacer.RetryWait(ra), true
	}
	if attempt >= c.attempts {
		return false, 0, false
	}
	backoff := c.backoff(attempt)
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if !retryStatus[apiErr.StatusCode] {
			return false, 0, false
		}
		if mayHaveActed(req, apiErr.StatusCode) {
			return false, 0, false
		}
		if apiErr.RetryAfter > 0 {
			// The pacer heard it too (Turn.Done): see RetryWait.
			return true, c.pacer.RetryWait(apiErr.RetryAfter), false
		}
		return true, backoff, false
	}
	if req.method == http.MethodPost && sent {
		return false, 0, false
	}
	return true, backoff, false
}

// backoff is exponential from MinBackoff, capped at MaxBackoff, with jitter
// over its upper half so that workers that failed together spread out.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.minBack
	for i := 1; i < attempt && d < c.maxBack; i++ {
		d *= 2
	}
	if d > c.maxBack {
		d = c.maxBack
	}
	half := d / 2
	return half + rand.N(half+1)
}

func newResponse(h *http.Response) *Response {
	r := &Response{StatusCode: h.StatusCode, Header: h.Header, TotalCount: -1, Location: h.Header.Get("Location")}
	if v := strings.TrimSpace(h.Header.Get("X-Total-Count")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			r.TotalCount = n
		}
	}
	// The document's form: one header per relation ("next: <url>").
	r.FirstPage = pageOf(h.Header.Get("first"))
	r.PrevPage = pageOf(h.Header.Get("prev"))
	r.NextPage = pageOf(h.Header.Get("next"))
	r.LastPage = pageOf(h.Header.Get("last"))
	// RFC 8288: Link: <url>; rel="next", <url>; rel="last"
	for _, link := range h.Header.Values("Link") {
		for rel, target := range parseLinkHeader(link) {
			switch rel {
			case "first":
				r.FirstPage = pageOf(target)
			case "prev", "previous":
				r.PrevPage = pageOf(target)
			case "next":
				r.NextPage = pageOf(target)
			case "last":
				r.LastPage = pageOf(target)
			}
		}
	}
	return r
}

// pageOf returns the page query parameter of a navigation link, or 0. Only
// the number is used: the document's own examples point next/last links at
// other hosts and even other resources, so the client never follows a link
// as given but asks its own base URL for that page.
func pageOf(link string) int {
	link = strings.Trim(strings.TrimSpace(link), "<>`")
	if link == "" {
		return 0
	}
	u, err := url.Parse(link)
	if err != nil {
		return 0
	}
	n, err := strconv.Atoi(u.Query().Get("page"))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// parseLinkHeader reads an RFC 8288 Link header into rel → target.
func parseLinkHeader(h string) map[string]string {
	links := map[string]string{}
	for _, part := range splitLinks(h) {
		part = strings.TrimSpace(part)
		if !strings.HasPrefix(part, "<") {
			continue
		}
		end := strings.Index(part, ">")
		if end < 0 {
			continue
		}
		target := part[1:end]
		for _, param := range strings.Split(part[end+1:], ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
				continue
			}
			for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
				links[strings.ToLower(rel)] = target
			}
		}
	}
	return links
}

// splitLinks splits a Link header on the commas between links, not on
// commas inside a <URL>.
func splitLinks(h string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range h {
		switch r {
		case '<':
			depth++
		case '>':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				parts = append(parts, h[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, h[start:])
}

// createdID reads the ID of a created resource from the body (the document
// shows the bare number) or, failing that, from the last segment of
// Location. What it says of an answer it cannot read, it says through
// redact (which masks the request's secrets).
func createdID(body []byte, location string, redact func(string) string) (int64, error) {
	text := strings.Trim(strings.TrimSpace(string(body)), `"`)
	if id, err := strconv.ParseInt(text, 10, 64); err == nil {
		return id, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) == nil {
		for k, v := range obj {
			if strings.EqualFold(k, "ID") {
				if id, err := strconv.ParseInt(strings.Trim(string(v), `"`), 10, 64); err == nil {
					return id, nil
				}
			}
		}
	}
	loc := strings.TrimRight(strings.Trim(strings.TrimSpace(location), "<>`"), "/")
	if i := strings.LastIndex(loc, "/"); i >= 0 {
		if id, err := strconv.ParseInt(loc[i+1:], 10, 64); err == nil {
			return id, nil
		}
	}
	return 0, fmt.Errorf("ilms: the server created the resource but sent no ID (body %q, Location %q)", redact(text), redact(location))
}

// pathForm is one of the paths the document prints for an operation.
type pathForm struct {
	path  string
	query url.Values
}

// formMemo remembers, for each operation the document prints with two
// paths, the one this client's server answers: once known, it is the only
// one sent.
type formMemo struct {
	mu    sync.Mutex
	known map[string]int
}

func (m *formMemo) get(op string) (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.known[op]
	return i, ok
}

func (m *formMemo) set(op string, i int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.known == nil {
		m.known = map[string]int{}
	}
	m.known[op] = i
}

// pathMissing reports whether err says the server has no such path: 404 Not
// Found, or 405 Method Not Allowed (the path exists, for other methods).
func pathMissing(err error) bool {
	return statusIs(err, http.StatusNotFound, http.StatusMethodNotAllowed)
}

// pathServed reports whether an answer shows the server serves the path:
// it acted, or it read the request and refused its content.
func pathServed(err error) bool { return err == nil || statusIs(err, http.StatusBadRequest) }

// doForms sends an operation the document prints with two paths
// (docs/api-notes.md lists them): forms[0], the form the client prefers,
// and, when the server answers it 404 or 405 (no such path), forms[1] once.
// The form the server serves is remembered for the client's life, so later
// calls send only it. Nothing but 404 and 405 leads to the other form, so
// a request the server may have acted on is never sent twice; and a POST,
// which the document never prints two ways, is sent in its first form
// only.
func (c *Client) doForms(ctx context.Context, op, method string, forms [2]pathForm, body, out any) (*Response, error) {
	if i, ok := c.forms.get(op); ok {
		return c.do(ctx, method, forms[i].path, forms[i].query, body, out)
	}
	resp, err := c.do(ctx, method, forms[0].path, forms[0].query, body, out)
	if pathServed(err) {
		c.forms.set(op, 0)
	}
	if !pathMissing(err) || method == http.MethodPost {
		return resp, err
	}
	altResp, altErr := c.do(ctx, method, forms[1].path, forms[1].query, body, out)
	if pathServed(altErr) {
		c.forms.set(op, 1)
	}
	if altErr == nil || !pathMissing(altErr) || statusIs(err, http.StatusMethodNotAllowed) {
		// The other form answered, or the first one surely has no such
		// path (405): its answer is the one that says what happened.
		return altResp, altErr
	}
	return resp, err
}

// rawBody captures a response body as is.
type rawBody []byte

func (r *rawBody) UnmarshalJSON(b []byte) error { *r = append((*r)[:0], b...); return nil }

// create POSTs body to path and returns the new resource's ID.
func (c *Client) create(ctx context.Context, path string, query url.Values, body any) (int64, error) {
	var raw rawBody
	resp, err := c.do(ctx, http.MethodPost, path, query, body, &raw)
	if err != nil {
		return 0, err
	}
	return createdID(raw, resp.Location, func(s string) string { return c.secretsOf(body).redact(s) })
}

// Limiter returns a limiter of at most r requests per second with a burst
// of one, the shape that holds a server-side per-second limit (a larger
// burst draws 429s). It spaces requests for 99% of r: sends jitter by a few
// milliseconds, and at exactly r the (r+1)-th request of a second can land
// in the server's same second and cost a Retry-After pause for everyone;
// 1% leaves 10 ms of slack a second. r <= 0 means no limit.
func Limiter(r float64) *rate.Limiter {
	if r <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(r*limiterSlack), 1)
}

// limiterSlack is the share of the asked rate a Limiter spaces for.
const limiterSlack = 0.99

// String describes the client without its credentials.
func (c *Client) String() string {
	return fmt.Sprintf("ilms.Client{BaseURL: %q, OrgID: %q, Credentials: %s}", c.BaseURL(), c.org, c.creds)
}

// GoString describes the client without its credentials.
func (c *Client) GoString() string { return c.String() }
