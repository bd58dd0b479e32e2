//go:build gc && !purego

#include "textflag.h"

// func delimiters32(line []byte, comma byte, ends []int32) int
//
// Writes the index of every comma in the first len(line)&^31 bytes of line
// to ends, 32 bytes at a time, and returns how many it wrote.
TEXT ·delimiters32(SB), NOSPLIT, $0-64
	MOVQ    line_base+0(FP), SI
	MOVQ    line_len+8(FP), CX
	ANDQ    $~31, CX
	MOVBLZX comma+24(FP), AX
	MOVQ    ends_base+32(FP), DI
	MOVQ    AX, X0
	VPBROADCASTB X0, Y0
	XORQ    DX, DX // the block's start
	XORQ    R8, R8 // commas written

block:
	CMPQ    DX, CX
	JAE     done
	VPCMPEQB (SI)(DX*1), Y0, Y1
	VPMOVMSKB Y1, R10
	ADDQ    $32, DX

bits:
	TESTL   R10, R10
	JZ      block
	TZCNTL  R10, R11
	LEAL    -32(DX)(R11*1), R11
	MOVL    R11, (DI)(R8*4)
	INCQ    R8
	BLSRL   R10, R10
	JMP     bits

done:
	VZEROUPPER
	MOVQ    R8, ret+56(FP)
	RET
