package ilms

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"
)

// listServer serves total groups with the given header style:
//
//	plain  X-Total-Count and the document's first/prev/next/last headers
//	link   an RFC 8288 Link header only
//	total  X-Total-Count only
//	none   no pagination headers at all
//	whole  every item on every page, ignoring per_page, with no headers
func listServer(t *testing.T, style string, total int, requests *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if page < 1 || per < 1 {
			t.Errorf("bad page parameters %q", r.URL.RawQuery)
		}
		last := max(1, (total+per-1)/per)
		link := func(p int) string {
			// Like the document's own examples, the links point elsewhere:
			// only their page number is to be trusted.
			return fmt.Sprintf("http://api.ilsdev/organizations/824/groups?per_page=%d&page=%d", per, p)
		}
		switch style {
		case "plain":
			w.Header().Set("X-Total-Count", strconv.Itoa(total))
			if page < last {
				w.Header().Set("next", link(page+1))
				w.Header().Set("last", link(last))
			}
			if page > 1 {
				w.Header().Set("first", link(1))
				w.Header().Set("prev", link(page-1))
			}
		case "link":
			var parts []string
			if page < last {
				parts = append(parts, fmt.Sprintf(`<%s>; rel="next"`, link(page+1)), fmt.Sprintf(`<%s>; rel="last"`, link(last)))
			}
			if page > 1 {
				parts = append(parts, fmt.Sprintf(`<%s>; rel="first"`, link(1)), fmt.Sprintf(`<%s>; rel="prev"`, link(page-1)))
			}
			for _, p := range parts {
				w.Header().Add("Link", p)
			}
		case "total":
			w.Header().Set("X-Total-Count", strconv.Itoa(total))
		}
		items := []Group{}
		start, end := (page-1)*per, min(page*per, total)
		if style == "whole" {
			start, end = 0, total
		}
		for i := start; i < end; i++ {
			items = append(items, Group{ID: int64(i)})
		}
		json.NewEncoder(w).Encode(items)
	}
}

func TestPagination(t *testing.T) {
	for _, style := range []string{"plain", "link", "total", "none"} {
		for _, tc := range []struct{ total, per int }{
			{0, 100}, {1, 100}, {99, 100}, {100, 100}, {101, 100}, {200, 100}, {250, 100},
			{0, 1}, {1, 1}, {5, 1}, {14, 7}, {15, 7},
		} {
			t.Run(fmt.Sprintf("%s/%d-per-%d", style, tc.total, tc.per), func(t *testing.T) {
				c, mux := setup(t)
				var requests atomic.Int32
				mux.HandleFunc("GET /organizations/99999/groups", listServer(t, style, tc.total, &requests))
				var got []int64
				for g, err := range c.Groups.List("").PerPage(tc.per).All(ctx(t)) {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, g.ID)
				}
				if len(got) != tc.total {
					t.Fatalf("read %d items, want %d", len(got), tc.total)
				}
				for i, id := range got {
					if id != int64(i) {
						t.Fatalf("item %d has ID %d: pages out of order or repeated", i, id)
					}
				}
				pages := max(1, (tc.total+tc.per-1)/tc.per)
				switch {
				case style == "none" && tc.total > 0 && tc.total%tc.per == 0:
					pages++ // without headers a full last page needs one more look
				case style == "link" && tc.total == tc.per:
					pages++ // a single full page carries no links to tell it is the last
				}
				if int(requests.Load()) != pages {
					t.Errorf("%d requests, want %d", requests.Load(), pages)
				}
			})
		}
	}
}

func TestPaginationServerIgnoringPerPage(t *testing.T) {
	c, mux := setup(t)
	var requests atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups", listServer(t, "whole", 150, &requests))
	n := 0
	for _, err := range c.Groups.List("").PerPage(100).All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 150 || requests.Load() != 1 {
		t.Errorf("read %d items in %d requests, want 150 in 1", n, requests.Load())
	}
}

func TestPaginationStopsAtError(t *testing.T) {
	c, mux := setup(t, func(o *Options) { o.MaxAttempts = 1 })
	mux.HandleFunc("GET /organizations/99999/groups", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			http.Error(w, `{"Message":"boom"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Total-Count", "3")
		json.NewEncoder(w).Encode([]Group{{ID: 1}, {ID: 2}})
	})
	var ids []int64
	var errs []error
	for g, err := range c.Groups.List("").PerPage(2).All(ctx(t)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, g.ID)
	}
	if len(ids) != 2 || len(errs) != 1 || !IsBadRequest(errs[0]) {
		t.Errorf("ids %v, errors %v; want 2 items then one 400", ids, errs)
	}
}

func TestPagerCopiesTheQuery(t *testing.T) {
	c, mux := setup(t)
	var seen []string
	mux.HandleFunc("GET /organizations/99999/users", func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RawQuery)
		w.Header().Set("X-Total-Count", "0")
		w.Write([]byte("[]"))
	})
	q := NewUserQuery().StartsWith("F001", "Jo")
	p := c.Users.List(q)
	q.StartsWith("F001", "Changed") // after the pager was made
	if _, _, err := p.Page(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != "F001=Jo%2A&page=1&per_page=100" {
		t.Errorf("query %v, want the options as they were when the pager was made", seen)
	}
}

func TestLinkHeaderParsing(t *testing.T) {
	h := `<https://api.inspiredlms.com/organizations/99999/users?per_page=50&page=6>; rel="next", <https://api.inspiredlms.com/organizations/99999/users?per_page=50&page=40>; rel="last", <https://x/?a=1,2&page=1>; rel="first"`
	links := parseLinkHeader(h)
	if pageOf(links["next"]) != 6 || pageOf(links["last"]) != 40 || pageOf(links["first"]) != 1 {
		t.Errorf("parsed %v", links)
	}
}

func TestFetchConcurrentInOrder(t *testing.T) {
	for _, style := range []string{"plain", "link", "none"} {
		for _, tc := range []struct{ total, per, workers int }{{0, 10, 4}, {1, 10, 4}, {100, 10, 4}, {101, 10, 8}, {57, 1, 5}, {30, 10, 1}} {
			c, mux := setup(t)
			var requests atomic.Int32
			mux.HandleFunc("GET /organizations/99999/groups", listServer(t, style, tc.total, &requests))
			var got []int64
			for g, err := range c.Groups.List("").PerPage(tc.per).Fetch(ctx(t), tc.workers) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, g.ID)
			}
			if len(got) != tc.total {
				t.Fatalf("%s %+v: %d items", style, tc, len(got))
			}
			for i, id := range got {
				if id != int64(i) {
					t.Fatalf("%s %+v: item %d is %d", style, tc, i, id)
				}
			}
		}
	}
}

func TestFetchStopsEarlyWithoutLeaking(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) }) // after the server's cleanup
	c, mux := setup(t)
	var requests atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups", listServer(t, "plain", 1000, &requests))
	n := 0
	for _, err := range c.Groups.List("").PerPage(10).Fetch(ctx(t), 4) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 15 {
			break
		}
	}
	if requests.Load() > 10 {
		t.Errorf("%d pages requested after stopping at item 15 with 4 in flight", requests.Load())
	}
}

// TestFetchFailedPageWithoutLeaking: a page that fails while others are
// in flight ends the read with its error, nothing of the pages after it
// yielded, and leaves no request or goroutine behind.
func TestFetchFailedPageWithoutLeaking(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	c, mux := setup(t)
	var requests atomic.Int32
	pages := listServer(t, "plain", 1000, &requests)
	mux.HandleFunc("GET /organizations/99999/groups", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "5" {
			http.Error(w, `{"Message":"page 5 is gone"}`, http.StatusBadRequest)
			return
		}
		pages(w, r)
	})
	n := 0
	var last error
	for _, err := range c.Groups.List("").PerPage(10).Fetch(ctx(t), 4) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	var apiErr *APIError
	if !errors.As(last, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(last.Error(), "page 5") {
		t.Errorf("err = %v, want page 5's 400", last)
	}
	if n < 10 || n > 40 {
		t.Errorf("%d items before the error, want page 1's and at most pages 2-4's", n)
	}
}

// ignoringPageServer serves 250 groups to a client that asks per_page, but
// always from the first: it ignores page. With total it sends X-Total-Count,
// with next an always-present next header (it cannot know better). After
// 20 requests it answers 400, so that a pager that would loop forever
// fails instead.
func ignoringPageServer(t *testing.T, total, next bool, requests *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 20 {
			t.Error("the pager keeps asking a server that ignores page")
			http.Error(w, `{"Message":"enough"}`, http.StatusBadRequest)
			return
		}
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if total {
			w.Header().Set("X-Total-Count", "250")
		}
		if next {
			w.Header().Set("next", "https://api.inspiredlms.com/organizations/99999/groups?per_page=100&page=2")
		}
		items := []Group{}
		for i := range min(per, 250) {
			items = append(items, Group{ID: int64(i)})
		}
		json.NewEncoder(w).Encode(items)
	}
}

// TestPagerStopsOnARepeatedPage reads from a server that ignores page: it
// answers every page with the first. Without X-Total-Count the pager stops
// at the page that repeats the one before, having read each item once;
// with it, the total says the list goes on, and the pager says what is
// wrong instead of repeating items.
func TestPagerStopsOnARepeatedPage(t *testing.T) {
	for _, tc := range []struct {
		name        string
		total, next bool
	}{
		{"no headers", false, false},
		{"next header", false, true},
		{"X-Total-Count", true, false},
	} {
		for _, workers := range []int{0, 4} {
			t.Run(fmt.Sprintf("%s/workers %d", tc.name, workers), func(t *testing.T) {
				c, mux := setup(t, func(o *Options) { o.MaxAttempts = 1 })
				var requests atomic.Int32
				mux.HandleFunc("GET /organizations/99999/groups", ignoringPageServer(t, tc.total, tc.next, &requests))
				read := c.Groups.List("").PerPage(100).All(ctx(t))
				if workers > 0 {
					read = c.Groups.List("").PerPage(100).Fetch(ctx(t), workers)
				}
				var ids []int64
				var errs []error
				for g, err := range read {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					ids = append(ids, g.ID)
				}
				if len(ids) != 100 {
					t.Errorf("read %d items, want the 100 of the first page once", len(ids))
				}
				var rep *PageRepeatedError
				switch {
				case !tc.total && len(errs) != 0:
					t.Errorf("errors %v, want none: the list may have ended", errs)
				case tc.total && (len(errs) != 1 || !errors.As(errs[0], &rep) || rep.Page != 2 || rep.Total != 250):
					t.Errorf("errors %v, want one *PageRepeatedError for page 2 of 250", errs)
				}
			})
		}
	}
}

// TestPagerStopsOnAnEmptyPage: a full first page and an empty second one,
// with no headers, is a list of one page.
func TestPagerStopsOnAnEmptyPage(t *testing.T) {
	c, mux := setup(t)
	var requests atomic.Int32
	mux.HandleFunc("GET /organizations/99999/groups", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Query().Get("page") != "1" {
			io.WriteString(w, "[]")
			return
		}
		json.NewEncoder(w).Encode([]Group{{ID: 1}, {ID: 2}})
	})
	n := 0
	for _, err := range c.Groups.List("").PerPage(2).All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || requests.Load() != 2 {
		t.Errorf("read %d items in %d requests, want 2 in 2", n, requests.Load())
	}
}
