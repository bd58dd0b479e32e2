package sandbox

import (
	"strconv"
	"strings"
)

// paginate writes one page of items with the document's pagination
// headers: X-Total-Count, and first/prev/next/last as plain headers holding
// absolute URLs (first and prev left out on the first page, next and last
// on the last), exactly as the Pagination section shows them.
func paginate[T any](q *request, items []T) error {
	return paginateN(q, len(items), func(start, end int) any {
		out := make([]T, 0, end-start)
		return append(out, items[start:end]...)
	})
}

// paginateN is paginate over total items of which render builds the
// window [start, end) only.
func paginateN(q *request, total int, render func(start, end int) any) error {
	page, perPage := 1, 100
	if v := q.query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badRequest("The value '%s' is not valid for page; use a number from 1.", v)
		}
		page = n
	}
	if v := q.query("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return badRequest("The value '%s' is not valid for per_page; use a number from 1.", v)
		}
		perPage = n
	}
	last := (total + perPage - 1) / perPage
	if last < 1 {
		last = 1
	}
	h := q.w.Header()
	h.Set("X-Total-Count", strconv.Itoa(total))
	if page > 1 {
		h.Set("first", q.pageURL(1, perPage))
		h.Set("prev", q.pageURL(min(page-1, last), perPage))
	}
	if page < last {
		h.Set("next", q.pageURL(page+1, perPage))
		h.Set("last", q.pageURL(last, perPage))
	}
	start := min((page-1)*perPage, total)
	end := min(start+perPage, total)
	q.ok(render(start, end))
	return nil
}

// pageURL is this request's URL at another page, other parameters kept,
// per_page and page last as in the document's examples.
func (q *request) pageURL(page, perPage int) string {
	var parts []string
	for _, kv := range strings.Split(q.r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if kv == "" || strings.EqualFold(k, "page") || strings.EqualFold(k, "per_page") {
			continue
		}
		parts = append(parts, kv)
	}
	parts = append(parts, "per_page="+strconv.Itoa(perPage), "page="+strconv.Itoa(page))
	return q.absolute(q.r.URL.EscapedPath()) + "?" + strings.Join(parts, "&")
}

// writeAll writes a whole list with X-Total-Count, for the lists the
// document does not paginate (regions, divisions, departments, curricula).
func writeAll[T any](q *request, items []T) {
	q.w.Header().Set("X-Total-Count", strconv.Itoa(len(items)))
	if items == nil {
		items = []T{}
	}
	q.ok(items)
}
