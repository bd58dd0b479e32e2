package validate

import (
	"strings"
	"sync"
)

// Candidates are the valid values a suggestion is chosen from, folded once.
type Candidates struct {
	names  []string
	folded [][]rune

	mu    sync.Mutex
	cache map[string]string // value → suggestion, for mistakes that repeat
}

// NewCandidates prepares names for Suggest.
func NewCandidates(names []string) *Candidates {
	c := &Candidates{names: names, folded: make([][]rune, len(names)), cache: map[string]string{}}
	for i, n := range names {
		c.folded[i] = []rune(fold(n))
	}
	return c
}

// Suggest returns the candidate closest to v, or "" when none is close
// enough to be a likely intent: a candidate that contains v (at least four
// characters) when exactly one does, else the one at the smallest edit
// distance (a swap of neighbours counting one), if that distance is at
// most a third of v's length.
func Suggest(v string, names []string) string { return NewCandidates(names).Suggest(v) }

// Suggest is the package Suggest over prepared candidates; it is safe for
// concurrent use.
func (c *Candidates) Suggest(v string) string {
	c.mu.Lock()
	s, ok := c.cache[v]
	c.mu.Unlock()
	if ok {
		return s
	}
	s = c.suggest(v)
	c.mu.Lock()
	if len(c.cache) > 10000 {
		clear(c.cache)
	}
	c.cache[strings.Clone(v)] = s // v may share its memory with a whole block of the file
	c.mu.Unlock()
	return s
}

func (c *Candidates) suggest(v string) string {
	k := fold(v)
	if k == "" {
		return ""
	}
	if len(k) >= 4 {
		hit, n := -1, 0
		for i, f := range c.folded {
			if strings.Contains(string(f), k) {
				hit = i
				n++
			}
		}
		if n == 1 {
			return c.names[hit]
		}
	}
	kr := []rune(k)
	best, bestD := -1, len(kr)/3+1
	if bestD < 2 {
		bestD = 2
	}
	prev2, prev, cur := make([]int, 64), make([]int, 64), make([]int, 64)
	for i, f := range c.folded {
		if d := distance(kr, f, bestD, &prev2, &prev, &cur); d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return ""
	}
	return c.names[best]
}

// distance is the edit distance of a and b, counting a swap of two
// neighbouring letters as one edit (optimal string alignment), or limit
// when it is at least limit (the rows stop early). The rows are scratch
// space, grown as needed.
func distance(a, b []rune, limit int, prev2, prev, cur *[]int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	n := len(b) + 1
	for _, row := range []*[]int{prev2, prev, cur} {
		if cap(*row) < n {
			*row = make([]int, n)
		}
		*row = (*row)[:n]
	}
	p2, p, c := *prev2, *prev, *cur
	for j := range p {
		p[j] = j
	}
	for i := 1; i <= len(a); i++ {
		c[0] = i
		rowMin := c[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			c[j] = min(p[j]+1, c[j-1]+1, p[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				c[j] = min(c[j], p2[j-2]+1)
			}
			rowMin = min(rowMin, c[j])
		}
		if rowMin >= limit {
			return limit
		}
		p2, p, c = p, c, p2
	}
	return min(p[len(b)], limit)
}
