package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ilms-bulk/ilms-bulk/connect"
	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/ilms/sandbox"
	"github.com/ilms-bulk/ilms-bulk/internal/sandboxtest"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
)

// serve starts a server on loopback over httptest and returns it, its
// base URL and a client that keeps cookies and does not follow
// redirects.
func serve(t *testing.T) (*Server, string, *http.Client) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	s, err := New(Options{Addr: ts.Listener.Addr().String(), RunsDir: t.TempDir(), Site: "the in-process sandbox (test)", OrgID: "99999", Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return s, ts.URL, c
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOnlyTheTokenGetsIn: without the token or its cookie every request
// is refused with a page saying what to do; the token sets a cookie
// (HttpOnly, SameSite=Strict) and leaves the address; a foreign Host is
// refused even with the cookie; a write needs the CSRF token and no
// foreign origin.
func TestOnlyTheTokenGetsIn(t *testing.T) {
	s, base, c := serve(t)
	for _, path := range []string{"/", "/runs/20261201-101010-validate", "/static/style.css", "/?token=wrong"} {
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "ilms-bulk serve prints its address") || strings.Contains(b, "<form") {
			t.Errorf("%s without the token: %d\n%s", path, resp.StatusCode, b)
		}
	}
	if len(s.token) < 32 || !strings.HasSuffix(s.URL(), "/?token="+s.token) {
		t.Fatalf("URL %s", s.URL())
	}
	resp, err := c.Get(base + "/?token=" + s.token)
	if err != nil {
		t.Fatal(err)
	}
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("the token: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") || strings.Contains(cookie, "Secure") {
		t.Errorf("cookie %q", cookie)
	}
	resp, _ = c.Get(base + "/")
	if b := body(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(b, "SANDBOX") || !strings.Contains(b, "99999") || !strings.Contains(b, `type="file"`) {
		t.Errorf("with the cookie: %d\n%s", resp.StatusCode, b)
	}

	// DNS rebinding: the same server reached under another name.
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Host = "evil.example:80"
	resp, _ = c.Do(req)
	if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "evil.example") {
		t.Errorf("a foreign Host: %d\n%s", resp.StatusCode, b)
	}

	// Writes: the CSRF token, and no other site's page.
	resp, _ = c.Post(base+"/upload", "text/plain", strings.NewReader("x"))
	if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "reload the page") {
		t.Errorf("a write without the CSRF token: %d\n%s", resp.StatusCode, b)
	}
	req, _ = http.NewRequest(http.MethodPost, base+"/upload?csrf="+s.csrf, strings.NewReader("x"))
	req.Header.Set("Origin", "http://evil.example")
	resp, _ = c.Do(req)
	if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "another site") {
		t.Errorf("a write from another origin: %d\n%s", resp.StatusCode, b)
	}
}

// upload sends the file at path as the page's form does and returns the
// response.
func upload(t *testing.T, c *http.Client, s *Server, base, path string) *http.Response {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return uploadFile(t, c, s, base, filepath.Base(path), b)
}

// uploadCSV uploads text as a file hires.csv.
func uploadCSV(t *testing.T, c *http.Client, s *Server, base, text string) *http.Response {
	t.Helper()
	return uploadFile(t, c, s, base, "hires.csv", []byte(text))
}

// uploadFile sends data as a file of that name, as the page's form does.
func uploadFile(t *testing.T, c *http.Client, s *Server, base, name string, data []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/upload?csrf="+url.QueryEscape(s.csrf), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestUploadShowsEveryProblem: the messy cohort uploaded shows, row by
// row, the problems of exactly the rows its results call invalid, under
// the spreadsheet's row numbers, filterable on the server; its errors
// sheet downloads with the file's own cells.
func TestUploadShowsEveryProblem(t *testing.T) {
	s, base, c := serve(t)
	resp, _ := c.Get(base + "/?token=" + s.token)
	body(t, resp)
	resp = upload(t, c, s, base, "../testdata/messy-cohort.csv")
	body(t, resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/runs/") {
		t.Fatalf("upload: %d to %q", resp.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/runs/")
	dir := filepath.Join(s.opts.RunsDir, id)
	if _, err := os.Stat(filepath.Join(dir, "upload", "messy-cohort.csv")); err != nil {
		t.Errorf("the upload is not in its run folder: %v", err)
	}
	resp, _ = c.Get(base + loc)
	page := body(t, resp)
	if resp.StatusCode != http.StatusOK || !regexp.MustCompile(`id="rows">10<`).MatchString(page) || !regexp.MustCompile(`id="invalid">8<`).MatchString(page) {
		t.Fatalf("run page: %d\n%s", resp.StatusCode, page)
	}
	// The rows of the table are the invalid rows of results.csv.
	f, _ := os.Open(filepath.Join(dir, "results.csv"))
	results, _ := csv.NewReader(f).ReadAll()
	f.Close()
	var invalid []string
	for _, r := range results[1:] {
		if r[2] == "invalid" {
			invalid = append(invalid, r[0])
		}
	}
	var shown []string
	for _, m := range regexp.MustCompile(`<tr(?: class="warning")?><td class="num">(\d+)</td>`).FindAllStringSubmatch(page, -1) {
		if !slices.Contains(shown, m[1]) {
			shown = append(shown, m[1])
		}
	}
	for _, row := range invalid {
		if !slices.Contains(shown, row) {
			t.Errorf("invalid row %s is not in the table (rows shown %v)", row, shown)
		}
	}
	if !strings.Contains(page, `<td class="num">3</td><td>Country (F011)</td><td>Untied States</td>`) || !strings.Contains(page, "United States") {
		t.Errorf("row 3's country and its suggestion are not shown:\n%s", page)
	}
	// Filtered on the server.
	resp, _ = c.Get(base + loc + "?q=untied")
	if filtered := body(t, resp); strings.Count(filtered, `<td class="num">`) != 1 || !strings.Contains(filtered, "1 problems matching") {
		t.Errorf("filtered: %s", filtered)
	}
	// The errors sheet: the file's own rows, with an error column.
	resp, _ = c.Get(base + loc + "/files/errors.csv")
	got := body(t, resp)
	want, _ := os.ReadFile(filepath.Join(dir, "errors.csv"))
	golden, _ := os.ReadFile("../testdata/messy-cohort.errors.golden.csv")
	if resp.StatusCode != http.StatusOK || got != string(want) || cellsOf(t, got) != cellsOf(t, string(golden)) {
		t.Errorf("errors.csv: %d\n%s\nwant the cells of\n%s", resp.StatusCode, got, golden)
	}
	// The same as a workbook, though the file was CSV.
	resp, _ = c.Get(base + loc + "/files/errors.xlsx")
	xb := body(t, resp)
	x, err := excelize.OpenReader(strings.NewReader(xb))
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("errors.xlsx: %d %v", resp.StatusCode, err)
	}
	xrows, _ := x.GetRows("Errors")
	if len(xrows) != 9 || xrows[1][5] != "Untied States" {
		t.Errorf("errors.xlsx: %d rows, %v", len(xrows), xrows[:min(3, len(xrows))])
	}
	if !strings.Contains(page, `id="file-errors.xlsx"`) {
		t.Error("the run page offers no errors.xlsx")
	}
	resp, _ = c.Get(base + loc + "/files/..%2f..%2fetc%2fpasswd")
	if body(t, resp); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a path out of the run folder: %d", resp.StatusCode)
	}
}

// cellsOf is a sheet without its last (error) column.
func cellsOf(t *testing.T, sheet string) string {
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(sheet, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r[:len(r)-1], ",") + "\n")
	}
	return b.String()
}

// connected serves the page over a sandbox of the seed, as serve does.
func connected(t *testing.T) (*Server, string, *http.Client, *sandbox.Server) {
	t.Helper()
	return connectedTo(t, nil)
}

// connectedWith is connected with a handler in front of the sandbox.
func connectedWith(t *testing.T, wrap func(*sandbox.Server) http.Handler) (*Server, string, *http.Client) {
	t.Helper()
	s, base, c, _ := connectedTo(t, wrap)
	return s, base, c
}

func connectedTo(t *testing.T, wrap func(*sandbox.Server) http.Handler) (*Server, string, *http.Client, *sandbox.Server) {
	t.Helper()
	srv, _, url := sandboxtest.Serve(t, sandboxtest.Options{Wrap: wrap})
	hook := &AttemptHook{}
	env := map[string]string{"ILMS_API_LOGIN_ID": srv.APILoginID(), "ILMS_TRANSACTION_KEY": srv.TransactionKey()}
	cfg := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(cfg, []byte("{}"), 0o600)
	conn, err := connect.Open(context.Background(), connect.Options{BaseURL: url, OrgID: srv.OrgID(), ConfigPath: cfg,
		Rate: ilms.Unlimited, RateCache: filepath.Join(t.TempDir(), "rates.json"), OnAttempt: hook.Observe, Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	s, err := New(Options{Addr: ts.Listener.Addr().String(), RunsDir: t.TempDir(), Site: conn.Site, OrgID: conn.OrgID, Conn: conn, Hook: hook})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = s
	ts.Start()
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, _ := c.Get(ts.URL + "/?token=" + s.token)
	body(t, resp)
	return s, ts.URL, c, srv
}

// TestRunsAndExports: the runs list shows the page's runs with their
// counts; deleting one removes its folder, upload included; an export
// from the page is the file the command line would write, its drop-downs
// filled from the organization; a template downloads.
func TestRunsAndExports(t *testing.T) {
	s, base, c, _ := connected(t)
	resp := upload(t, c, s, base, "../testdata/messy-cohort.csv")
	body(t, resp)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/runs/")
	resp, _ = c.Get(base + "/runs")
	if page := body(t, resp); !strings.Contains(page, `id="run-`+id+`"`) || !strings.Contains(page, "messy-cohort.csv") || !strings.Contains(page, "8 invalid, 2 valid") {
		t.Errorf("the runs list:\n%s", page)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/runs/"+id+"/delete?csrf="+url.QueryEscape(s.csrf), nil)
	resp, _ = c.Do(req)
	body(t, resp)
	if _, err := os.Stat(filepath.Join(s.opts.RunsDir, id)); resp.StatusCode != http.StatusSeeOther || !os.IsNotExist(err) {
		t.Errorf("delete: %d, the folder: %v", resp.StatusCode, err)
	}

	resp, _ = c.Get(base + "/export")
	if page := body(t, resp); !strings.Contains(page, `<option value="404">Compliance Champions</option>`) || !strings.Contains(page, "Security (p1gyJg4a)") {
		t.Errorf("the export page's drop-downs are not filled from the org:\n%s", page)
	}
	form := url.Values{"kind": {"users"}, "group": {"404"}, "format": {"csv"}}
	req, _ = http.NewRequest(http.MethodPost, base+"/export?csrf="+url.QueryEscape(s.csrf), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = c.Do(req)
	got := body(t, resp)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(got, "\ufeff"))).ReadAll()
	if resp.StatusCode != http.StatusOK || err != nil || len(rows) < 2 || rows[0][2] != "First Name" || !strings.Contains(resp.Header.Get("Content-Disposition"), "users-") {
		t.Fatalf("export: %d %v\n%s", resp.StatusCode, err, got)
	}
	resp, _ = c.Get(base + "/templates/users.xlsx")
	if b := body(t, resp); resp.StatusCode != http.StatusOK || !strings.HasPrefix(b, "PK") {
		t.Errorf("template: %d, %d bytes", resp.StatusCode, len(b))
	}
}

// TestColumnsAreMappedFirst: a file with a column the page does not know
// goes to the mapping step first, the closest field suggested; the
// choice is saved as a mapping file and the file checked with it.
func TestColumnsAreMappedFirst(t *testing.T) {
	s, base, c := serve(t)
	resp, _ := c.Get(base + "/?token=" + s.token)
	body(t, resp)
	resp = uploadCSV(t, c, s, base, "Frist Name,Last Name,Email,Employee ID,Nickname\nAda,Lovelace,ada@example.com,A-1,Countess\n")
	body(t, resp)
	loc := resp.Header.Get("Location")
	if !strings.HasSuffix(loc, "/columns") {
		t.Fatalf("upload of unknown columns went to %q", loc)
	}
	resp, _ = c.Get(base + loc)
	page := body(t, resp)
	if !strings.Contains(page, `<option value="F001" selected>First Name (F001)</option>`) || !strings.Contains(page, "Email ID (F015)") {
		t.Fatalf("the mapping step:\n%s", page)
	}
	form := url.Values{"col0": {"F001"}, "col4": {"ignore"}}
	req, _ := http.NewRequest(http.MethodPost, base+loc+"?csrf="+url.QueryEscape(s.csrf), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = c.Do(req)
	body(t, resp)
	run := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || strings.HasSuffix(run, "/columns") {
		t.Fatalf("saving the mapping: %d to %q", resp.StatusCode, run)
	}
	resp, _ = c.Get(base + run + "/files/mapping.json")
	var spec struct {
		Columns map[string]string
		Ignore  []string
	}
	if err := json.Unmarshal([]byte(body(t, resp)), &spec); err != nil || spec.Columns["Frist Name"] != "F001" || !slices.Equal(spec.Ignore, []string{"Nickname"}) {
		t.Errorf("mapping.json: %+v %v", spec, err)
	}
	resp, _ = c.Get(base + run)
	if page := body(t, resp); !strings.Contains(page, `id="rows">1<`) {
		t.Errorf("the check with the mapping:\n%s", page)
	}
}

// post sends a form of the page (its CSRF token added) and returns where
// it leads.
func post(t *testing.T, c *http.Client, s *Server, base, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path+"?csrf="+url.QueryEscape(s.csrf), nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d\n%s", path, resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}

// finished waits for the run at loc to end, as its page's events say,
// and returns its page.
func finished(t *testing.T, c *http.Client, base, loc string) string {
	t.Helper()
	resp, err := c.Get(base + loc + "/events")
	if err != nil {
		t.Fatal(err)
	}
	if events := body(t, resp); !strings.Contains(events, `"finished":true`) || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %s", events)
	}
	resp, _ = c.Get(base + loc)
	return body(t, resp)
}

// TestImportRunAndRetry: a file checked, planned and run from the page;
// the rows iLMS failed past its retries are re-run by the page's button,
// in a run of their own, and end done.
func TestImportRunAndRetry(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	s, base, c := connectedWith(t, func(srv *sandbox.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if failing.Load() && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/users") {
				b, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(b))
				if bytes.Contains(b, []byte("ian.wright")) {
					http.Error(w, `{"message":"unavailable"}`, http.StatusServiceUnavailable)
					return
				}
			}
			srv.ServeHTTP(w, r)
		})
	})
	resp := upload(t, c, s, base, "../testdata/messy-cohort.fixed.csv")
	body(t, resp)
	checked := resp.Header.Get("Location")
	plan := post(t, c, s, base, checked+"/plan")
	resp, _ = c.Get(base + plan)
	if page := body(t, resp); !strings.Contains(page, `id="count-create">8<`) {
		t.Fatalf("the plan:\n%s", page)
	}
	run := post(t, c, s, base, plan+"/apply")
	page := finished(t, c, base, run)
	if !strings.Contains(page, `id="count-created">7<`) || !strings.Contains(page, `id="count-failed">1<`) || !strings.Contains(page, `id="retry"`) {
		t.Fatalf("the run:\n%s", page)
	}
	failing.Store(false)
	again := post(t, c, s, base, run+"/retry")
	page = finished(t, c, base, again)
	if !strings.Contains(page, `id="rows">1<`) || !strings.Contains(page, `id="count-created">1<`) {
		t.Fatalf("the re-run of the failures:\n%s", page)
	}
}

// TestSheetIsChosen: a workbook of several sheets asks which one to read;
// the columns shown and the check are of the sheet chosen.
func TestSheetIsChosen(t *testing.T) {
	s, base, c := serve(t)
	resp, _ := c.Get(base + "/?token=" + s.token)
	body(t, resp)
	wb := excelize.NewFile()
	wb.SetSheetName("Sheet1", "Read me")
	wb.SetCellValue("Read me", "A1", "New hires, November")
	wb.NewSheet("Staff")
	wb.SetSheetRow("Staff", "A1", &[]any{"First Name", "Last Name", "Email", "Employee ID"})
	wb.SetSheetRow("Staff", "A2", &[]any{"Ada", "Lovelace", "ada@example.com", "A-1"})
	wb.SetSheetRow("Staff", "A3", &[]any{"Alan", "Turing", "alan@example.com", "A-2"})
	file := filepath.Join(t.TempDir(), "hires.xlsx")
	if err := wb.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	resp = upload(t, c, s, base, file)
	body(t, resp)
	loc := resp.Header.Get("Location")
	if !strings.HasSuffix(loc, "/columns") {
		t.Fatalf("a workbook of two sheets went to %q", loc)
	}
	// Not checked yet: there is nothing to plan.
	req, _ := http.NewRequest(http.MethodPost, base+strings.TrimSuffix(loc, "/columns")+"/plan?csrf="+url.QueryEscape(s.csrf), nil)
	if resp, err := c.Do(req); err != nil {
		t.Fatalf("a plan of a file not checked: %v", err)
	} else if b := body(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(b, "check it first") {
		t.Fatalf("a plan of a file not checked: %d\n%s", resp.StatusCode, b)
	}
	resp, _ = c.Get(base + loc + "?sheet=Staff")
	if page := body(t, resp); !strings.Contains(page, `<option selected>Staff</option>`) || !strings.Contains(page, "Email ID (F015)") {
		t.Fatalf("the columns of Staff:\n%s", page)
	}
	form := url.Values{"sheet": {"Staff"}}
	req, _ = http.NewRequest(http.MethodPost, base+loc+"?csrf="+url.QueryEscape(s.csrf), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = c.Do(req)
	body(t, resp)
	resp, _ = c.Get(base + resp.Header.Get("Location"))
	if page := body(t, resp); !strings.Contains(page, `id="rows">2<`) {
		t.Errorf("the check of sheet Staff:\n%s", page)
	}
}

// TestOneRunAtATime: while a run changes the organization, starting
// another says so and starts nothing; the plan downloads as a sheet.
func TestOneRunAtATime(t *testing.T) {
	s, base, c, srv := connected(t)
	resp := upload(t, c, s, base, "../testdata/messy-cohort.fixed.csv")
	body(t, resp)
	plan := post(t, c, s, base, resp.Header.Get("Location")+"/plan")
	resp, _ = c.Get(base + plan + "/plan.xlsx")
	if b := body(t, resp); resp.StatusCode != http.StatusOK || !strings.HasPrefix(b, "PK") {
		t.Errorf("the plan sheet: %d", resp.StatusCode)
	}
	s.mu.Lock()
	s.active = &live{id: "20261201-120000-import"}
	s.mu.Unlock()
	srv.ResetStats()
	req, _ := http.NewRequest(http.MethodPost, base+plan+"/apply?csrf="+url.QueryEscape(s.csrf), nil)
	resp, _ = c.Do(req)
	if page := body(t, resp); resp.StatusCode != http.StatusConflict || !strings.Contains(page, "Run 20261201-120000-import is changing the organization now: one run at a time") || srv.Stats().Writes != 0 {
		t.Errorf("a second run: %d, %d writes\n%s", resp.StatusCode, srv.Stats().Writes, page)
	}
}

// TestAmbiguousDatesAreChosenOnThePage: dates that read two ways send the
// person to the columns page, where the date format chosen makes the
// check pass.
func TestAmbiguousDatesAreChosenOnThePage(t *testing.T) {
	s, base, c := serve(t)
	resp, _ := c.Get(base + "/?token=" + s.token)
	body(t, resp)
	resp = uploadCSV(t, c, s, base, "First Name,Last Name,Email,Employee ID,Hire Date\nAda,Lovelace,ada@example.com,A-1,03/04/2024\n")
	body(t, resp)
	run := resp.Header.Get("Location")
	resp, _ = c.Get(base + run)
	if page := body(t, resp); !strings.Contains(page, `id="date-hint"`) || !strings.Contains(page, `id="invalid">1<`) {
		t.Fatalf("no hint to choose the date format:\n%s", page)
	}
	form := url.Values{"date-format": {"dd/MM/yyyy"}}
	req, _ := http.NewRequest(http.MethodPost, base+run+"/columns?csrf="+url.QueryEscape(s.csrf), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = c.Do(req)
	body(t, resp)
	resp, _ = c.Get(base + resp.Header.Get("Location"))
	if page := body(t, resp); !strings.Contains(page, `id="invalid">0<`) || strings.Contains(page, `id="date-hint"`) {
		t.Errorf("with the date format chosen:\n%s", page)
	}
}

// TestProblemsNameThePagesControls: a problem whose remedy is an option
// names the page's control for it, not the command line's flag.
func TestProblemsNameThePagesControls(t *testing.T) {
	s, base, c := serve(t)
	resp, _ := c.Get(base + "/?token=" + s.token)
	body(t, resp)
	resp = uploadCSV(t, c, s, base, "First Name,Last Name,Email,Employee ID,Hire Date\nAda,Lovelace,ada@example.com,A-1,03/04/2024\n")
	body(t, resp)
	resp, _ = c.Get(base + resp.Header.Get("Location"))
	page := html.UnescapeString(body(t, resp))
	if want := `give the columns page's "Dates such as 03/04/2024 are written" as dd/MM/yyyy or MM/dd/yyyy, or write yyyy-MM-dd`; !strings.Contains(page, want) || strings.Contains(page, "--date-format") {
		t.Errorf("the problem does not name the page's control (%q):\n%s", want, page)
	}
}

// TestUploadNamedAsASheet: an upload named as the sheets a check writes
// (errors.csv, as the page tells people to fix and check again) is kept
// apart from them: checked whole, and planned as itself.
func TestUploadNamedAsASheet(t *testing.T) {
	s, base, c, _ := connected(t)
	for _, name := range []string{"errors.csv", "results.csv"} {
		file := filepath.Join(t.TempDir(), name)
		b, _ := os.ReadFile("../testdata/messy-cohort.fixed.csv")
		os.WriteFile(file, b, 0o644)
		resp := upload(t, c, s, base, file)
		body(t, resp)
		checked := resp.Header.Get("Location")
		resp, _ = c.Get(base + checked)
		if page := body(t, resp); !strings.Contains(page, `id="rows">8<`) || !strings.Contains(page, `id="invalid">0<`) {
			t.Fatalf("%s checked: %s", name, page)
		}
		plan := post(t, c, s, base, checked+"/plan")
		resp, _ = c.Get(base + plan)
		if page := body(t, resp); !strings.Contains(page, "The plan: "+name) || !strings.Contains(page, `id="count-create">8<`) {
			t.Errorf("%s planned: %s", name, page)
		}
	}
}

// TestResumeGoesOnAsTheRunBegan: a run begun on the command line with
// options of its own (--mode update-only), interrupted before its first
// row, is finished from the page with those options: the people the
// organization does not have are skipped, not created.
func TestResumeGoesOnAsTheRunBegan(t *testing.T) {
	s, base, c, srv := connected(t)
	set := pipeline.NewSettings(mapping.Users)
	if err := set.Set("mode", "update-only"); err != nil {
		t.Fatal(err)
	}
	job, err := set.Job(mapping.Users)
	if err != nil {
		t.Fatal(err)
	}
	id := "20261201-120000-users"
	job.Path, _ = filepath.Abs("../testdata/messy-cohort.fixed.csv")
	job.Out, job.Command, job.Connect = filepath.Join(s.opts.RunsDir, id), "import users", s.connectFor
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as a Ctrl-C before the first row
	if rep, err := job.Run(ctx); rep == nil || rep.Summary.ByOutcome["pending"] != 8 {
		t.Fatalf("the interrupted run: %v, %+v", err, rep)
	}
	users := len(srv.Snapshot().Users)
	resp, _ := c.Get(base + "/runs/" + id)
	if stopped := body(t, resp); !strings.Contains(stopped, `action="/runs/`+id+`/resume?csrf=`) || !strings.Contains(stopped, `id="resume">Finish it</button>`) {
		t.Errorf("the stopped run's page has no way to finish it:\n%s", stopped)
	}
	page := finished(t, c, base, post(t, c, s, base, "/runs/"+id+"/resume"))
	if !strings.Contains(page, `id="count-skipped">8<`) || strings.Contains(page, `id="count-created"`) || len(srv.Snapshot().Users) != users {
		t.Fatalf("the run finished from the page (users %d → %d):\n%s", users, len(srv.Snapshot().Users), page)
	}
}

// TestReadingIsSetOnTheColumnsPage: a file the page cannot read as it is
// (a Windows-1252 header, a title row above the header) goes to the
// columns page, which says why in the words of its own controls, and
// those controls read it: the check then finds every row.
func TestReadingIsSetOnTheColumnsPage(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
		form             url.Values
	}{
		{"a Windows-1252 header", "Pr\xe9nom,Last Name,Email,Employee ID\nJos\xe9,Lovelace,ada@example.com,A-1\n",
			`read it with the columns page's "The file's text is written in" set to windows-1252`, url.Values{"encoding": {"windows-1252"}, "header-row": {""}, "col0": {"F001"}}},
		{"a title above the header", "Staff list for Q3,,,\nFirst Name,Last Name,Email,Employee ID\nAda,Lovelace,ada@example.com,A-1\n",
			`row 2 looks like the header; use the columns page's "The header is on row" set to 2`, url.Values{"header-row": {"2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, base, c := serve(t)
			resp, _ := c.Get(base + "/?token=" + s.token)
			body(t, resp)
			resp = uploadCSV(t, c, s, base, tc.text)
			body(t, resp)
			loc := resp.Header.Get("Location")
			if !strings.HasSuffix(loc, "/columns") {
				t.Fatalf("the upload went to %q", loc)
			}
			resp, _ = c.Get(base + loc)
			page := html.UnescapeString(body(t, resp))
			if !strings.Contains(page, tc.want) || strings.Contains(page, "--") || strings.Contains(page, s.opts.RunsDir) {
				t.Fatalf("the columns page does not say %q (in the page's words, naming the file as uploaded):\n%s", tc.want, page)
			}
			for _, control := range []string{`<label for="header-row">The header is on row</label>`, `<label for="encoding">The file's text is written in</label>`} {
				if !strings.Contains(page, control) {
					t.Errorf("the page lacks %s", control)
				}
			}
			// The reading form, then the columns form as it posts.
			q := url.Values{}
			for k, v := range tc.form {
				if k == "encoding" || k == "header-row" {
					q[k] = v
				}
			}
			resp, _ = c.Get(base + loc + "?" + q.Encode())
			if page := html.UnescapeString(body(t, resp)); !strings.Contains(page, `id="save-columns"`) || !strings.Contains(page, "Email ID (F015)") {
				t.Fatalf("read again with %v:\n%s", q, page)
			}
			req, _ := http.NewRequest(http.MethodPost, base+loc+"?csrf="+url.QueryEscape(s.csrf), strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, _ = c.Do(req)
			b := body(t, resp)
			run := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || strings.HasSuffix(run, "/columns") {
				t.Fatalf("saving the columns: %d to %q\n%s", resp.StatusCode, run, b)
			}
			resp, _ = c.Get(base + run)
			if page := body(t, resp); !strings.Contains(page, `id="rows">1<`) {
				t.Errorf("the check read as set:\n%s", page)
			}
		})
	}
}

// postForm sends a form of the page with values (its CSRF token added)
// and returns where it leads.
func postForm(t *testing.T, c *http.Client, s *Server, base, path string, form url.Values) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path+"?csrf="+url.QueryEscape(s.csrf), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s %v: %d\n%s", path, form, resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}

// TestPlanOptionsAreThePlanForms: a plan over a safety limit says so in
// the words of the plan form's control for it, links back to the form,
// and planned again with the limit raised there, is not blocked; a
// department iLMS lacks is created when the form says so.
func TestPlanOptionsAreThePlanForms(t *testing.T) {
	s, base, c, srv := connected(t)
	resp := upload(t, c, s, base, "../testdata/messy-cohort.fixed.csv")
	body(t, resp)
	checked := resp.Header.Get("Location")
	resp, _ = c.Get(base + checked)
	if page := body(t, resp); !strings.Contains(page, `<label for="opt-max-creates">At most this many new users</label>`) || !strings.Contains(page, `id="opt-create-hierarchy"`) {
		t.Fatalf("the check's page has no plan form:\n%s", page)
	}
	resp, _ = c.Get(base + postForm(t, c, s, base, checked+"/plan", url.Values{"max-creates": {"2"}}))
	page := html.UnescapeString(body(t, resp))
	if want := `the plan form's "At most this many new users" allows 2`; !strings.Contains(page, want) || !strings.Contains(page, `href="`+checked+`#plan-form"`) || strings.Contains(page, "max-creates") {
		t.Fatalf("the blocked plan does not say %q with a way back to the form:\n%s", want, page)
	}
	resp, _ = c.Get(base + postForm(t, c, s, base, checked+"/plan", url.Values{"max-creates": {"10"}}))
	if page := body(t, resp); strings.Contains(page, `id="blocked"`) || !strings.Contains(page, `id="count-create">8<`) || !strings.Contains(page, `id="run"`) {
		t.Fatalf("planned again with the limit raised:\n%s", page)
	}
	req, _ := http.NewRequest(http.MethodPost, base+checked+"/plan?csrf="+url.QueryEscape(s.csrf), strings.NewReader("max-creates=lots"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = c.Do(req)
	if page := html.UnescapeString(body(t, resp)); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `"At most this many new users": "lots" is not a value it takes`) {
		t.Errorf("a limit that is no number: %d\n%s", resp.StatusCode, page)
	}

	// A department iLMS lacks: named as the form's control, then created.
	file := filepath.Join(t.TempDir(), "night.csv")
	os.WriteFile(file, []byte("First Name,Last Name,Employee ID,Email ID,Region,Division,Department\nAnn,Lee,Emp900,ann.lee@example.com,Region 1,Division 1,Night Shift\n"), 0o644)
	resp = upload(t, c, s, base, file)
	body(t, resp)
	checked = resp.Header.Get("Location")
	plan := postForm(t, c, s, base, checked+"/plan", url.Values{})
	resp, _ = c.Get(base + plan + "/files/plan.csv")
	if got := body(t, resp); !strings.Contains(got, `use the plan form's ""Create the regions, divisions and departments the file names that iLMS lacks""`) {
		t.Errorf("plan.csv does not name the form's control:\n%s", got)
	}
	plan = postForm(t, c, s, base, checked+"/plan", url.Values{"create-hierarchy": {"on"}})
	resp, _ = c.Get(base + plan)
	if page := body(t, resp); !strings.Contains(page, `id="count-create">1<`) {
		t.Fatalf("planned with the hierarchy created:\n%s", page)
	}
	page = finished(t, c, base, post(t, c, s, base, plan+"/apply"))
	st := srv.Snapshot()
	night := int64(0)
	for _, r := range st.Regions {
		for _, d := range r.Divisions {
			for _, dep := range d.Departments {
				if dep.Name == "Night Shift" {
					night = dep.ID
				}
			}
		}
	}
	found := false
	for _, u := range st.Users {
		found = found || u.Profile["F015"] == "ann.lee@example.com" && night != 0 && u.DepartmentID == night
	}
	if !found {
		t.Errorf("the run did not create Ann in Night Shift:\n%s", page)
	}
}
