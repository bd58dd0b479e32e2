package validate

import (
	"hash/maphash"
	"strings"
	"testing"
)

// foldRef is KeyHash by its definition: the hash of the key trimmed and
// in lower case.
func foldRef(kind byte, key string) uint64 {
	key = strings.TrimSpace(key)
	if key == "" {
		return 0
	}
	if h := ofKind(kind, maphash.String(hashSeed, strings.ToLower(key))); h != 0 {
		return h
	}
	return 1
}

// KeyHash folds a capital or a non-ASCII letter wherever it is in keys
// of every length up to 19, and hashes a plain key as it stands.
func TestKeyHashFoldsWhereverTheCapitalIs(t *testing.T) {
	for n := 1; n < 20; n++ {
		plain := strings.Repeat("a", n)
		if got, want := KeyHash('e', plain), foldRef('e', plain); got != want {
			t.Fatalf("%q: %x, want %x", plain, got, want)
		}
		for i := range n {
			for _, c := range []string{"A", "Z", "@", "[", "`", "{", "É", "\x80", "\xff"} {
				s := plain[:i] + c + plain[i+1:]
				if got, want := KeyHash('e', s), foldRef('e', s); got != want {
					t.Fatalf("%q: %x, want %x", s, got, want)
				}
			}
		}
	}
	if KeyHash('e', "Ann.Lee@Example.com") != KeyHash('e', "ann.lee@example.com") {
		t.Fatal("an email in capitals hashes apart from its lower case")
	}
}

// FuzzKeyHash: KeyHash is the hash of the trimmed key in lower case.
func FuzzKeyHash(f *testing.F) {
	f.Add("patricia.anderson.3@example.com")
	f.Add("G1-000003")
	f.Add(" Björn.Müller@Example.COM ")
	f.Fuzz(func(t *testing.T, key string) {
		if got, want := KeyHash('e', key), foldRef('e', key); got != want {
			t.Fatalf("KeyHash(%q) = %x, want %x", key, got, want)
		}
	})
}
