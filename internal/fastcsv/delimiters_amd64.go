//go:build gc && !purego

package fastcsv

import "golang.org/x/sys/cpu"

// haveAVX2 says delimiters may use delimiters32: AVX2 for the compares,
// BMI1 for the bit walk.
var haveAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1

// delimiters32 writes the index of every comma of the first
// len(line)&^31 bytes of line to ends, comparing 32 bytes at a time, and
// returns how many it wrote.
//
//go:noescape
func delimiters32(line []byte, comma byte, ends []int32) int
