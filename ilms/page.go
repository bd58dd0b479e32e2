package ilms

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ilms-bulk/ilms-bulk/internal/ordered"
)

// Pager reads a paginated list: page by page, or as one iterator over every
// item. It owns a copy of the query, so the caller's options are never
// changed. A Pager does no I/O until asked.
type Pager[T any] struct {
	client  *Client
	path    string
	query   url.Values
	perPage int
	err     error // an option error, reported by the first read
}

func newPager[T any](c *Client, path string, query url.Values, err error) *Pager[T] {
	q := url.Values{}
	for k, v := range query {
		q[k] = append([]string(nil), v...)
	}
	return &Pager[T]{client: c, path: path, query: q, perPage: c.perPage, err: err}
}

// PerPage sets the page size (per_page) and returns the pager.
func (p *Pager[T]) PerPage(n int) *Pager[T] {
	if n > 0 {
		p.perPage = n
	}
	return p
}

// Size returns the page size in use.
func (p *Pager[T]) Size() int { return p.perPage }

// Page fetches page n (from 1).
func (p *Pager[T]) Page(ctx context.Context, n int) ([]T, *Response, error) {
	pg, err := p.fetch(ctx, n)
	return pg.items, pg.resp, err
}

// page is one page read: its items, the answer's pagination facts, and a
// digest of its body, by which a page that repeats the one before is told.
type page[T any] struct {
	items []T
	resp  *Response
	sum   [sha256.Size]byte
}

func (p *Pager[T]) fetch(ctx context.Context, n int) (page[T], error) {
	if p.err != nil {
		return page[T]{}, p.err
	}
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	q.Set("per_page", strconv.Itoa(p.perPage))
	var raw rawBody
	resp, err := p.client.do(ctx, http.MethodGet, p.path, q, nil, &raw)
	if err != nil {
		return page[T]{resp: resp}, err
	}
	pg := page[T]{resp: resp, sum: sha256.Sum256(raw)}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &pg.items); err != nil {
			req := &request{method: http.MethodGet, path: p.path, query: q}
			return page[T]{resp: resp}, fmt.Errorf("ilms: decode GET %s: %w", req, err)
		}
	}
	return pg, nil
}

// PageRepeatedError is a page the server answered with exactly the items of
// the page before although its X-Total-Count says more remain: it ignores
// the page parameter, and reading on would only repeat them. (Without a
// total the pager stops there instead: the list may well have ended.)
type PageRepeatedError struct {
	Path    string // the list's path, relative to the base URL
	Page    int    // the page that repeated its predecessor
	PerPage int
	Total   int // X-Total-Count
}

func (e *PageRepeatedError) Error() string {
	return fmt.Sprintf("GET /%s: page %d repeats page %d although the server counts %d items (X-Total-Count): it seems to ignore the page parameter; pages of at least %d items (per_page) would hold the whole list",
		e.Path, e.Page, e.Page-1, e.Total, e.Total)
}

// repeated checks a page against the one read before it: a non-empty page
// with the same body means the server ignored page. It returns whether to
// stop, and an error when the server's total says the list goes on.
func (p *Pager[T]) repeated(prev, cur page[T], n int) (bool, error) {
	if n == 1 || len(cur.items) == 0 || cur.sum != prev.sum {
		return false, nil
	}
	if cur.resp.TotalCount >= 0 {
		return true, &PageRepeatedError{Path: p.path, Page: n, PerPage: p.perPage, Total: cur.resp.TotalCount}
	}
	return true, nil
}

// All iterates over every item of every page, in order. It stops after the
// last page, known from X-Total-Count, from the next/last headers (plain or
// RFC 8288), or, when the server sends neither, from a short or empty page,
// or a page that repeats the one before (a server that ignores page would
// otherwise be read forever). An error is yielded once, and ends the
// iteration.
func (p *Pager[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) { p.follow(ctx, page[T]{}, 1, 0, yield) }
}

// follow yields the items of page n and of every page after it, one
// request after another; seen items came before n, prev is page n-1.
func (p *Pager[T]) follow(ctx context.Context, prev page[T], n, seen int, yield func(T, error) bool) {
	var zero T
	for ; ; n++ {
		pg, err := p.fetch(ctx, n)
		if err != nil {
			yield(zero, fmt.Errorf("page %d: %w", n, err))
			return
		}
		if stop, err := p.repeated(prev, pg, n); stop {
			if err != nil {
				yield(zero, err)
			}
			return
		}
		if !yieldAll(pg.items, yield) {
			return
		}
		seen += len(pg.items)
		if !morePages(pg.resp, n, len(pg.items), seen, p.perPage) {
			return
		}
		prev = pg
	}
}

func yieldAll[T any](items []T, yield func(T, error) bool) bool {
	for _, it := range items {
		if !yield(it, nil) {
			return false
		}
	}
	return true
}

// Pages returns how many pages hold total items at this page size.
func (p *Pager[T]) Pages(total int) int {
	if total <= 0 {
		return 0
	}
	return (total + p.perPage - 1) / p.perPage
}

// morePages decides, after reading page (holding n items, seen in all),
// whether another page exists.
func morePages(resp *Response, page, n, seen, perPage int) bool {
	if n == 0 {
		return false
	}
	if n > perPage {
		// The server ignored per_page and sent the whole list.
		return false
	}
	if resp.TotalCount >= 0 {
		return seen < resp.TotalCount
	}
	if resp.NextPage > 0 || resp.LastPage > 0 || resp.FirstPage > 0 || resp.PrevPage > 0 {
		// Navigation links are present: the last page is the one without
		// next and last.
		return resp.NextPage > page || resp.LastPage > page
	}
	return n == perPage
}

// Fetch reads every item with up to workers pages in flight at once, in
// order: page 1 first (its X-Total-Count says how many pages there are),
// then the rest concurrently, yielded as each next page in order arrives.
// Every request goes through the client's shared pacer. Without a total it
// reads one page after another, as All does. Memory holds at most the
// pages in flight.
func (p *Pager[T]) Fetch(ctx context.Context, workers int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		first, err := p.fetch(ctx, 1)
		if err != nil {
			yield(zero, fmt.Errorf("page 1: %w", err))
			return
		}
		resp := first.resp
		if !yieldAll(first.items, yield) || !morePages(resp, 1, len(first.items), len(first.items), p.perPage) {
			return
		}
		if resp.TotalCount < 0 || workers < 2 {
			// No total to plan with: follow the pages one by one.
			p.follow(ctx, first, 2, len(first.items), yield)
			return
		}
		pages := func(yield func(int, error) bool) {
			for n := 2; n <= p.Pages(resp.TotalCount) && yield(n, nil); n++ {
			}
		}
		stopped := false
		prev, n := first, 1
		err = ordered.Map(ctx, pages, workers, func(ctx context.Context, n int) (page[T], error) {
			pg, err := p.fetch(ctx, n)
			if err != nil {
				return pg, fmt.Errorf("page %d: %w", n, err)
			}
			return pg, nil
		}, func(pg page[T]) error {
			n++
			if stop, err := p.repeated(prev, pg, n); stop {
				if err == nil {
					stopped = true
					return errStopped
				}
				return err
			}
			prev = pg
			if !yieldAll(pg.items, yield) {
				stopped = true
				return errStopped
			}
			return nil
		})
		if err != nil && !stopped {
			yield(zero, err)
		}
	}
}

// errStopped ends a concurrent read whose consumer stopped early.
var errStopped = errors.New("ilms: the reader stopped")
