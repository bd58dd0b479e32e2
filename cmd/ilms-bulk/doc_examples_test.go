package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// docExample is one "CURL Request Example" of the API document with the
// answer the document shows for it.
type docExample struct {
	line       int // of the curl command in docs/ilms-api.txt
	method     string
	url        string
	body       string
	status     int
	headers    []string        // response headers the document shows
	keys       map[string]bool // JSON member names of the documented answer
	deferred   bool            // a removal, run after the examples that use what it removes
	isPurge    bool
	pathLength int
}

var (
	methodRe = regexp.MustCompile(`-X\s+(\w+)`)
	urlRe    = regexp.MustCompile(`"(https?://[^"]+)"`)
	statusRe = regexp.MustCompile(`HTTP/1\.1\s+(\d{3})`)
	// A member name ends in a quote before the colon (the document once
	// drops the opening one: >Status":); header lines have no quotes.
	keyRe  = regexp.MustCompile(`"?([A-Za-z][A-Za-z0-9_]*)"\s*:`)
	idTail = regexp.MustCompile(`/(\d+|Wert98k)$`)
)

// parseDocExamples reads every curl example of the document: method, URL
// and body file content, and, from the Response that follows, the status,
// the headers shown and the member names of the JSON answer.
func parseDocExamples(t *testing.T) []docExample {
	b, err := os.ReadFile("../../docs/ilms-api.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	var starts []int
	for i, l := range lines {
		if strings.TrimSpace(l) == "CURL Request Example:" {
			starts = append(starts, i)
		}
	}
	var out []docExample
	for n, start := range starts {
		end := len(lines)
		if n+1 < len(starts) {
			end = starts[n+1]
		}
		seg := lines[start+1 : end]
		ex := docExample{line: start + 2}
		var curl []string
		i := 0
		for ; i < len(seg); i++ {
			l := strings.TrimSpace(strings.Trim(strings.TrimSpace(seg[i]), "`"))
			if strings.HasPrefix(l, "here, content of") || l == "Response:" {
				break
			}
			if len(curl) > 0 || strings.Contains(l, "curl ") {
				curl = append(curl, l)
			}
		}
		cmd := strings.Join(curl, " ")
		if m := methodRe.FindStringSubmatch(cmd); m != nil {
			ex.method = m[1]
		} else {
			ex.method = "GET"
		}
		urls := urlRe.FindAllStringSubmatch(cmd, -1)
		if len(urls) == 0 {
			t.Fatalf("line %d: no URL in %q", ex.line, cmd)
		}
		// One example keeps the {groupID} placeholder; its neighbours all
		// use group 345.
		ex.url = strings.ReplaceAll(strings.Join(strings.Fields(urls[len(urls)-1][1]), ""), "{groupID}", "345")
		if i < len(seg) && strings.HasPrefix(strings.TrimSpace(seg[i]), "here, content of") {
			var body []string
			fenced := false
			for i++; i < len(seg); i++ {
				l := strings.TrimSpace(seg[i])
				if l == "Response:" {
					break
				}
				if l == "```" {
					if fenced {
						i++
						break
					}
					fenced = true
					continue
				}
				body = append(body, l)
			}
			ex.body = strings.TrimSpace(strings.Join(body, "\n"))
		}
		for ; i < len(seg) && strings.TrimSpace(seg[i]) != "Response:"; i++ {
		}
		var resp []string
		for i++; i < len(seg); i++ {
			l := strings.TrimSpace(seg[i])
			if l == "Description:" || l == "Status Codes" {
				break
			}
			resp = append(resp, l)
		}
		text := strings.Join(resp, "\n")
		m := statusRe.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("line %d: no documented status", ex.line)
		}
		ex.status, _ = strconv.Atoi(m[1])
		for _, h := range []string{"X-Total-Count", "Location", "first", "prev", "next", "last"} {
			if regexp.MustCompile(`(?m)^` + h + `:`).MatchString(text) {
				ex.headers = append(ex.headers, h)
			}
		}
		ex.keys = map[string]bool{}
		for _, k := range keyRe.FindAllStringSubmatch(text, -1) {
			ex.keys[k[1]] = true
		}
		u, _ := url.Parse(ex.url)
		ex.pathLength = len(strings.Split(u.Path, "/"))
		ex.isPurge = strings.HasSuffix(u.Path, "/purge")
		ex.deferred = ex.method == "DELETE" && (idTail.MatchString(u.Path) || ex.isPurge)
		out = append(out, ex)
	}
	return out
}

// jsonKeys collects every member name of a JSON document.
func jsonKeys(v any, into map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			into[k] = true
			jsonKeys(val, into)
		}
	case []any:
		for _, val := range x {
			jsonKeys(val, into)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSandboxAnswersTheDocumentsCurlExamples starts `ilms-bulk sandbox`
// and replays every curl example of the document against it (its host
// replaced, the sandbox's credentials sent), checking the documented
// status, the headers the document shows, and that the answer has exactly
// the JSON members of the documented one. The examples run in the
// document's order on one sandbox, except that removals run last (deepest
// path first, the purge at the very end), so that every example finds what
// the document assumes exists.
func TestSandboxAnswersTheDocumentsCurlExamples(t *testing.T) {
	base := startSandboxBinary(t)
	examples := parseDocExamples(t)
	if len(examples) != 63 {
		t.Fatalf("parsed %d curl examples, want the document's 63", len(examples))
	}
	order := slices.Clone(examples)
	slices.SortStableFunc(order, func(a, b docExample) int {
		switch {
		case a.deferred != b.deferred:
			if a.deferred {
				return 1
			}
			return -1
		case !a.deferred:
			return 0
		case a.isPurge != b.isPurge:
			if a.isPurge {
				return 1
			}
			return -1
		}
		return b.pathLength - a.pathLength
	})
	for _, ex := range order {
		u, _ := url.Parse(ex.url)
		target := base + u.Path
		if u.RawQuery != "" {
			target += "?" + u.RawQuery
		}
		req, err := http.NewRequest(ex.method, target, strings.NewReader(ex.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("APILoginID", "YBA3hyozzqWGeA2koTvI1Q==")
		req.Header.Set("TransactionKey", seedKey)
		req.Header.Set("OrgID", "99999")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		name := ex.method + " " + u.Path
		if resp.StatusCode != ex.status {
			t.Errorf("line %d %s: status %d, the document says %d (%s)", ex.line, name, resp.StatusCode, ex.status, body)
			continue
		}
		for _, h := range ex.headers {
			switch h {
			case "X-Total-Count", "Location":
				if resp.Header.Get(h) == "" {
					t.Errorf("line %d %s: no %s header", ex.line, name, h)
				}
			}
		}
		if loc := resp.Header.Get("Location"); loc != "" && !strings.HasPrefix(loc, base+"/organizations/99999/") {
			t.Errorf("line %d %s: Location %q is not an absolute URL of the sandbox", ex.line, name, loc)
		}
		for _, h := range []string{"first", "prev", "next", "last"} {
			if v := resp.Header.Get(h); v != "" {
				lu, err := url.Parse(v)
				if err != nil || !strings.HasPrefix(v, base+u.Path+"?") || lu.Query().Get("page") == "" || lu.Query().Get("per_page") == "" {
					t.Errorf("line %d %s: %s header %q is not the document's form", ex.line, name, h, v)
				}
			}
		}
		if slices.Contains(ex.headers, "next") && resp.Header.Get("X-Total-Count") != "" {
			total, _ := strconv.Atoi(resp.Header.Get("X-Total-Count"))
			per, _ := strconv.Atoi(cmpOr(u.Query().Get("per_page"), "100"))
			page, _ := strconv.Atoi(cmpOr(u.Query().Get("page"), "1"))
			if total > page*per && resp.Header.Get("next") == "" {
				t.Errorf("line %d %s: %d items, page %d of %d: no next header", ex.line, name, total, page, per)
			}
		}
		if len(ex.keys) == 0 {
			continue
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("line %d %s: answer is not JSON: %s", ex.line, name, body)
			continue
		}
		got := map[string]bool{}
		jsonKeys(v, got)
		if !maps(got, ex.keys) {
			t.Errorf("line %d %s: answer members\n%v\nthe document's\n%v", ex.line, name, sortedKeys(got), sortedKeys(ex.keys))
		}
	}
}

func maps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
