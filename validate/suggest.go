package validate

import "strings"

// Suggest returns the candidate closest to v, or "" when none is close
// enough to be a likely intent: a candidate that contains v (at least four
// characters) when exactly one does, else the one at the smallest edit
// distance, if that distance is at most a third of v's length.
func Suggest(v string, candidates []string) string {
	k := fold(v)
	if k == "" {
		return ""
	}
	if len(k) >= 4 {
		var hit string
		n := 0
		for _, c := range candidates {
			if strings.Contains(fold(c), k) {
				hit = c
				n++
			}
		}
		if n == 1 {
			return hit
		}
	}
	best, bestD := "", len(k)/3+1
	if bestD < 2 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := levenshtein(k, fold(c), bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein returns the edit distance of a and b, counting a swap of
// two neighbouring letters as one edit (optimal string alignment), or limit
// when it is at least limit (the rows stop early).
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit)
}
