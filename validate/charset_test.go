package validate

import "testing"

var sinkHash uint64

// BenchmarkKeyHash hashes a users row's two keys.
func BenchmarkKeyHash(b *testing.B) {
	for b.Loop() {
		sinkHash += KeyHash('e', "patricia.anderson.3@example.com") + KeyHash('i', "G1-000003")
	}
}
