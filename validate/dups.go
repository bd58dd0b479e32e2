package validate

import (
	"strings"
	"unicode/utf8"
)

// Duplicates finds keys seen before in one file: emails, employee IDs,
// (user, course) pairs. It keeps a 64-bit hash of each key and the row
// that first had it, a tenth of the memory of the keys themselves; two
// different keys sharing a hash, about one chance in 10^7 for a million
// rows, would be reported as a duplicate of the first.
type Duplicates struct {
	seen map[uint64]int32
}

// NewDuplicates returns an empty set.
func NewDuplicates() *Duplicates { return &Duplicates{seen: map[uint64]int32{}} }

// Seen records key (compared without regard to case or surrounding spaces)
// for row, and returns the earlier row that had it, or 0.
func (d *Duplicates) Seen(kind byte, key string, row int) int {
	key = strings.TrimSpace(key)
	if key == "" {
		return 0
	}
	h := foldHash(kind, key)
	if first, ok := d.seen[h]; ok {
		return int(first)
	}
	d.seen[h] = int32(row)
	return 0
}

// foldHash is FNV-1a over kind and the case-folded key, without
// allocating for ASCII keys.
func foldHash(kind byte, key string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(key); i++ {
		b := key[i]
		if b >= utf8.RuneSelf {
			lower := strings.ToLower(key[i:])
			for j := 0; j < len(lower); j++ {
				h = (h ^ uint64(lower[j])) * prime
			}
			return h
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		h = (h ^ uint64(b)) * prime
	}
	return h
}
