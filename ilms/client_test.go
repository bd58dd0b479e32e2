package ilms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// twoFormCase is an operation the document prints with two paths, the
// call that sends it, and both forms as a request URI.
type twoFormCase struct {
	name    string
	call    func(context.Context, *Client) error
	method  string
	first   string // the form the client sends first
	other   string // the document's other form
	missing int    // what a server serving only the other form answers the first: 404, or 405 where the path has other methods
}

func twoFormCases() []twoFormCase {
	days := 30
	return []twoFormCase{
		{"Curricula.SetDueDate", func(ctx context.Context, c *Client) error {
			return c.Curricula.SetDueDate(ctx, "dHg6Kdl8", DueDateSettings{DaysAfterEnrollment: &days})
		}, "PUT", "/organizations/99999/curriculum/dHg6Kdl8/DueDate", "/organizations/99999/curricula/dHg6Kdl8/DueDate", 404},
		{"Courses.Inactivate", func(ctx context.Context, c *Client) error { return c.Courses.Inactivate(ctx, "p1gyJg4a") },
			"DELETE", "/organizations/99999/courses/p1gyJg4a/Activate", "/organizations/99999/courses/p1gyJg4a", 405},
		{"Transcripts.UpdateCourse", func(ctx context.Context, c *Client) error {
			return c.Transcripts.UpdateCourse(ctx, 123456, "fO1uIKJO", docTranscriptUpdate())
		}, "PUT", "/organizations/99999/users/123456/courses/fO1uIKJO/transcripts", "/organizations/99999/users/123456/transcripts?courseid=fO1uIKJO", 404},
		{"Transcripts.UpdateCurriculum", func(ctx context.Context, c *Client) error {
			return c.Transcripts.UpdateCurriculum(ctx, 123456, "PP1uIKJO", docTranscriptUpdate())
		}, "PUT", "/organizations/99999/users/123456/curricula/PP1uIKJO/transcripts", "/organizations/99999/users/123456/transcripts?courseid=PP1uIKJO", 405},
		{"Groups.SetCourseSettings", func(ctx context.Context, c *Client) error {
			return c.Groups.SetCourseSettings(ctx, 345, "Wert98k", GroupCourseSettings{RequirementType: "mandatory", DefaultDueDateSettings: DueDateSettings{DaysAfterEnrollment: &days}})
		}, "PUT", "/organizations/99999/groups/345/groupcourses/Wert98k/settings", "/organizations/99999/groups/345/groupcourses/Wert98k", 404},
	}
}

// formServer answers as a server that serves only the form serve of tc:
// 204 there (or answer, when set), and what an ASP.NET server answers for
// a path it lacks everywhere else. It records each request URI and body.
type formServer struct {
	mu     sync.Mutex
	seen   []string
	bodies []string
	answer int
}

func (fs *formServer) handler(tc twoFormCase, serve string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fs.mu.Lock()
		fs.seen = append(fs.seen, r.Method+" "+r.URL.RequestURI())
		fs.bodies = append(fs.bodies, string(b))
		answer := fs.answer
		fs.mu.Unlock()
		switch {
		case r.Method == tc.method && r.URL.RequestURI() == serve && answer != 0:
			w.WriteHeader(answer)
			io.WriteString(w, `{"Message":"as told"}`)
		case r.Method == tc.method && r.URL.RequestURI() == serve:
			w.WriteHeader(http.StatusNoContent)
		case serve == tc.other && tc.missing == http.StatusMethodNotAllowed && r.URL.RequestURI() == tc.first:
			w.WriteHeader(http.StatusMethodNotAllowed)
			io.WriteString(w, `{"Message":"The requested resource does not support http method '`+r.Method+`'."}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"Message":"No HTTP resource was found that matches the request URI."}`)
		}
	}
}

func (fs *formServer) requests() []string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return slices.Clone(fs.seen)
}

func (fs *formServer) body(i int) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.bodies[i]
}

func (fs *formServer) answerWith(status int) {
	fs.mu.Lock()
	fs.answer = status
	fs.mu.Unlock()
}

// TestTwoFormPathsFallBackOnceAndRemember runs each operation the document
// prints two ways against a server that serves only the other form: the
// first call tries the client's form, meets a 404 or 405, and sends the
// same request in the other form; later calls of that client send only the
// other form. A new client learns afresh.
func TestTwoFormPathsFallBackOnceAndRemember(t *testing.T) {
	for _, tc := range twoFormCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, mux := setup(t)
			fs := &formServer{}
			mux.HandleFunc("/", fs.handler(tc, tc.other))
			for i := range 2 {
				if err := tc.call(ctx(t), c); err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
			}
			first, other := tc.method+" "+tc.first, tc.method+" "+tc.other
			if got := fs.requests(); !slices.Equal(got, []string{first, other, other}) {
				t.Errorf("requests %q, want %q, %q, then %q only", got, first, other, other)
			}
			if fs.body(0) != fs.body(1) {
				t.Errorf("the other form sent %s, the first %s: the request must be the same", fs.body(1), fs.body(0))
			}
			fresh, err := NewClient(Options{BaseURL: c.BaseURL(), OrgID: testOrg, Credentials: c.creds})
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.call(ctx(t), fresh); err != nil {
				t.Fatal(err)
			}
			if got := fs.requests()[3:]; !slices.Equal(got, []string{first, other}) {
				t.Errorf("a new client sent %q, want %q then %q", got, first, other)
			}
		})
	}
}

// TestTwoFormPathsTryTheOtherOnlyOnAMissingPath: a server that serves the
// client's form answers it; once it has, a 404 (say, a course that does not
// exist) is that resource's answer and the other form is not tried. Nor is
// it on any answer but 404 and 405, when the server may have acted; and
// when both forms are missing, the first form's answer is returned.
func TestTwoFormPathsTryTheOtherOnlyOnAMissingPath(t *testing.T) {
	for _, tc := range twoFormCases() {
		t.Run(tc.name, func(t *testing.T) {
			first, other := tc.method+" "+tc.first, tc.method+" "+tc.other

			c, mux := setup(t, func(o *Options) { o.MaxAttempts = 1 })
			fs := &formServer{}
			mux.HandleFunc("/", fs.handler(tc, tc.first))
			if err := tc.call(ctx(t), c); err != nil {
				t.Fatal(err)
			}
			fs.answerWith(http.StatusNotFound)
			if err := tc.call(ctx(t), c); !IsNotFound(err) {
				t.Errorf("err = %v, want the 404", err)
			}
			if got := fs.requests(); !slices.Equal(got, []string{first, first}) {
				t.Errorf("requests %q, want %q twice", got, first)
			}

			for _, status := range []int{400, 401, 403, 409, 500, 503} {
				c, mux := setup(t, func(o *Options) { o.MaxAttempts = 1 })
				fs := &formServer{answer: status}
				mux.HandleFunc("/", fs.handler(tc, tc.first))
				if err := tc.call(ctx(t), c); StatusCode(err) != status {
					t.Errorf("%d: err = %v", status, err)
				}
				if got := fs.requests(); !slices.Equal(got, []string{first}) {
					t.Errorf("answered %d: requests %q, want %q only", status, got, first)
				}
			}

			c, mux = setup(t)
			fs = &formServer{}
			mux.HandleFunc("/", fs.handler(tc, "nowhere"))
			for range 2 {
				err := tc.call(ctx(t), c)
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Path != tc.first {
					t.Errorf("both forms missing: err = %v, want the first form's 404", err)
				}
			}
			if got := fs.requests(); !slices.Equal(got, []string{first, other, first, other}) {
				t.Errorf("both forms missing: requests %q; nothing works, so nothing is remembered", got)
			}
		})
	}
}

// TestTwoFormPathsNeverSendAPostTwice: the document prints no POST two
// ways, and a POST is never sent again in another form, even on a 404.
func TestTwoFormPathsNeverSendAPostTwice(t *testing.T) {
	c, mux := setup(t)
	var n atomic.Int32
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, `{"Message":"No HTTP resource was found."}`, http.StatusNotFound)
	})
	_, err := c.doForms(ctx(t), "test.post", http.MethodPost, [2]pathForm{{path: c.orgPath("a")}, {path: c.orgPath("b")}}, map[string]string{"userid": "1"}, nil)
	if !IsNotFound(err) || n.Load() != 1 {
		t.Errorf("err = %v after %d requests, want the 404 after one", err, n.Load())
	}
}

// TestTwoFormPathsReportTheOtherFormsAnswerAfterA405: a 405 says the first
// form is surely not the path for this method, so when the other form then
// answers 404 (the course does not exist), that is the answer returned.
func TestTwoFormPathsReportTheOtherFormsAnswerAfterA405(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/organizations/99999/courses/nOsUchId/Activate", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Message":"The requested resource does not support http method 'DELETE'."}`, http.StatusMethodNotAllowed)
	})
	mux.HandleFunc("DELETE /organizations/99999/courses/nOsUchId", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Message":"Course 'nOsUchId' does not exist."}`, http.StatusNotFound)
	})
	err := c.Courses.Inactivate(ctx(t), "nOsUchId")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Path != "/organizations/99999/courses/nOsUchId" || apiErr.Message != "Course 'nOsUchId' does not exist." {
		t.Errorf("err = %v, want the other form's 404", err)
	}
}
