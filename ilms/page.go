package ilms

import (
	"context"
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
	if p.err != nil {
		return nil, nil, p.err
	}
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	q.Set("per_page", strconv.Itoa(p.perPage))
	var items []T
	resp, err := p.client.do(ctx, http.MethodGet, p.path, q, nil, &items)
	if err != nil {
		return nil, resp, err
	}
	return items, resp, nil
}

// All iterates over every item of every page, in order. It stops after the
// last page, known from X-Total-Count, from the next/last headers (plain or
// RFC 8288), or, when the server sends neither, from a short page. An error
// is yielded once, and ends the iteration.
func (p *Pager[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) { p.follow(ctx, 1, 0, yield) }
}

// follow yields the items of page and of every page after it, one request
// after another; seen items came before page.
func (p *Pager[T]) follow(ctx context.Context, page, seen int, yield func(T, error) bool) {
	for ; ; page++ {
		items, resp, err := p.Page(ctx, page)
		if err != nil {
			var zero T
			yield(zero, fmt.Errorf("page %d: %w", page, err))
			return
		}
		if !yieldAll(items, yield) {
			return
		}
		seen += len(items)
		if !morePages(resp, page, len(items), seen, p.perPage) {
			return
		}
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
		items, resp, err := p.Page(ctx, 1)
		if err != nil {
			yield(zero, fmt.Errorf("page 1: %w", err))
			return
		}
		if !yieldAll(items, yield) || !morePages(resp, 1, len(items), len(items), p.perPage) {
			return
		}
		if resp.TotalCount < 0 || workers < 2 {
			// No total to plan with: follow the pages one by one.
			p.follow(ctx, 2, len(items), yield)
			return
		}
		pages := func(yield func(int, error) bool) {
			for page := 2; page <= p.Pages(resp.TotalCount) && yield(page, nil); page++ {
			}
		}
		stopped := false
		err = ordered.Map(ctx, pages, workers, func(ctx context.Context, page int) ([]T, error) {
			items, _, err := p.Page(ctx, page)
			if err != nil {
				return nil, fmt.Errorf("page %d: %w", page, err)
			}
			return items, nil
		}, func(items []T) error {
			if !yieldAll(items, yield) {
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
