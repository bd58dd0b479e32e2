// Package web is ilms-bulk serve: the local web page HR staff use instead
// of the command line, over the same library calls. It is served from the
// binary (templates and styles embedded; nothing is fetched from the
// internet), on loopback by default, and protected as Jupyter's server is:
// the URL it prints carries a random token, which sets a cookie for the
// server's life; any other request is refused with 403, the Host header
// must be the address it serves (no DNS rebinding), and every write needs
// the page's CSRF token.
package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/ilms-bulk/ilms-bulk/connect"
)

// Options are what a server serves and for whom.
type Options struct {
	// Addr is the address it is served at, host:port as a browser names
	// it: a request whose Host header names anything else is refused.
	Addr string
	// RunsDir holds the run folders, the command line's and the page's
	// alike (default ilms-bulk-runs).
	RunsDir string
	// Site and OrgID say which organization the page changes, shown on
	// every page; Sandbox marks the sandbox as such.
	Site, OrgID string
	Sandbox     bool
	// MaxUpload bounds an uploaded file, in bytes (default 4 GiB).
	MaxUpload int64
	// Conn is the connection every import of the page runs on; Hook,
	// its client's OnAttempt, counts each run's requests. Without Conn
	// the page only checks files.
	Conn *connect.Conn
	Hook *AttemptHook
}

// DefaultMaxUpload is the largest file a page takes unless told otherwise:
// a 1,000,000-row users file is about 265 MB.
const DefaultMaxUpload = 4 << 30

// Server is the web app. It is an http.Handler.
type Server struct {
	opts  Options
	token string
	csrf  string
	mux   *http.ServeMux
	pages *template.Template

	mu     sync.Mutex
	active *live            // the run changing the organization now
	lives  map[string]*live // the runs of this server, by folder
}

//go:embed templates/*.html static/*
var assets embed.FS

// cookie names the session's cookie by the port: browsers keep cookies
// by host, not port, and two servers side by side keep their own.
func (s *Server) cookie() string {
	_, port, _ := net.SplitHostPort(s.opts.Addr)
	return "ilms_bulk_session_" + port
}

// New makes a server with a fresh random token.
func New(opts Options) (*Server, error) {
	if opts.RunsDir == "" {
		opts.RunsDir = "ilms-bulk-runs"
	}
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = DefaultMaxUpload
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if opts.Hook == nil {
		opts.Hook = &AttemptHook{}
	}
	s := &Server{opts: opts, token: hex.EncodeToString(b), mux: http.NewServeMux(), lives: map[string]*live{}}
	mac := hmac.New(sha256.New, b)
	mac.Write([]byte("csrf"))
	s.csrf = hex.EncodeToString(mac.Sum(nil))
	pages, err := template.New("").Funcs(template.FuncMap{"thousands": thousands}).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s.pages = pages
	static, _ := fs.Sub(assets, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.routes()
	return s, nil
}

// URL is the address to open: the only way in, with the token.
func (s *Server) URL() string { return "http://" + s.opts.Addr + "/?token=" + s.token }

// ServeHTTP checks the Host, the token or its cookie and, for a write,
// the CSRF token and the origin, then serves the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostOK(r.Host) {
		s.refuse(w, fmt.Sprintf("This page answers only at http://%s: the request named %q.", s.opts.Addr, r.Host))
		return
	}
	if t := r.URL.Query().Get("token"); t != "" {
		if !same(t, s.token) {
			s.refuse(w, "The token in this address is not this server's.")
			return
		}
		http.SetCookie(w, &http.Cookie{Name: s.cookie(), Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		q := r.URL.Query()
		q.Del("token")
		next := url.URL{Path: path.Clean("/" + r.URL.Path), RawQuery: q.Encode()} // this site's, never //elsewhere
		http.Redirect(w, r, next.String(), http.StatusSeeOther)
		return
	}
	if c, err := r.Cookie(s.cookie()); err != nil || !same(c.Value, s.token) {
		s.refuse(w, "Open the address ilms-bulk serve printed when it started (it ends in ?token=…).")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
			s.refuse(w, "A page of another site cannot send this request.")
			return
		}
		if !same(r.URL.Query().Get("csrf"), s.csrf) {
			s.refuse(w, "This form is out of date: reload the page and send it again.")
			return
		}
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin") // "no-referrer" makes a form's Origin "null"
	s.mux.ServeHTTP(w, r)
}

// hostOK accepts the address served and, for a loopback one, localhost
// at the same port.
func (s *Server) hostOK(host string) bool {
	if strings.EqualFold(host, s.opts.Addr) {
		return true
	}
	h, port, err := net.SplitHostPort(s.opts.Addr)
	if err != nil {
		return false
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return strings.EqualFold(host, net.JoinHostPort("localhost", port))
	}
	return false
}

func same(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// refuse answers 403 with a page that says what to do; no login form.
func (s *Server) refuse(w http.ResponseWriter, why string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	s.pages.ExecuteTemplate(w, "forbidden.html", map[string]string{"Why": why})
}

// page is what every page shows: which organization it changes.
type page struct {
	Site, OrgID string
	Sandbox     bool
	CSRF        string
	Title       string
	Data        any
}

func (s *Server) render(w http.ResponseWriter, name, title string, data any) {
	p := page{Site: s.opts.Site, OrgID: s.opts.OrgID, Sandbox: s.opts.Sandbox, CSRF: s.csrf, Title: title, Data: data}
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, p); err != nil {
		http.Error(w, "the page cannot be drawn: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	b.WriteTo(w)
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// AddrError is an address the page cannot be served at.
type AddrError struct{ Err error }

func (e *AddrError) Error() string { return e.Err.Error() }
func (e *AddrError) Unwrap() error { return e.Err }

// Usage marks the error as the caller's mistake: nothing was sent.
func (e *AddrError) Usage() bool { return true }

// Serve serves the page of conn's organization at addr (port 0: any)
// until ctx ends, telling ready the address to open once it listens.
func Serve(ctx context.Context, addr string, conn *connect.Conn, hook *AttemptHook, ready func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &AddrError{fmt.Errorf("the page cannot be served at %s: %w", addr, err)}
	}
	s, err := New(Options{Addr: ln.Addr().String(), Site: conn.Site, OrgID: conn.OrgID, Sandbox: conn.Sandbox != nil, Conn: conn, Hook: hook})
	if err != nil {
		ln.Close()
		return err
	}
	ready(s.URL())
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second}
	go func() { <-ctx.Done(); hs.Close() }()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
