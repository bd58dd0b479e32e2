// Package fastcsv reads CSV records exactly as encoding/csv does with the
// options the pipeline reads files with (ReuseRecord, FieldsPerRecord -1,
// no LazyQuotes, no Comment, no TrimLeadingSpace), and faster on the
// common record: one line whose quoted cells close on it with no doubled
// quote is cut into cells of a single string (its delimiters found 32
// bytes at a time with AVX2, eight without), without encoding/csv's copy
// into a record buffer. Any other record is parsed by a copy of
// encoding/csv's own algorithm. The records, the errors (the same
// *csv.ParseError values), FieldPos and InputOffset are encoding/csv's; a
// fuzz test holds the two readers to that.
//
// readLine and slow are encoding/csv's readLine and readRecord, with the
// options above fixed: Copyright 2011 The Go Authors, under the BSD-style
// license of the Go distribution (https://go.dev/LICENSE).
package fastcsv

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// Reader reads records from a bufio.Reader. It reuses the slice it returns.
type Reader struct {
	r     *bufio.Reader
	comma byte

	numLine int
	offset  int64
	// rawBuffer holds a line longer than r's buffer.
	rawBuffer []byte
	// recordBuffer holds the unquoted text of a record the slow path
	// parses; fieldIndexes the end of each field in it.
	recordBuffer []byte
	fieldIndexes []int
	positions    []position
	// cols are the column of each cell the fast path cut, when cut is set;
	// ends the delimiters it found.
	cols   []int32
	ncols  int
	ends   []int32
	cut    bool
	record []string
	// block holds the text of the lines the fast path cut.
	block strings.Builder
}

type position struct{ line, col int }

// ErrDelimiter is returned by NewReader for a delimiter it does not read:
// encoding/csv's rules, and ASCII only.
var ErrDelimiter = errors.New("fastcsv: the delimiter must be an ASCII character other than a quote, a newline or a carriage return")

// NewReader returns a reader of r's records separated by comma, or
// ErrDelimiter.
func NewReader(r *bufio.Reader, comma rune) (*Reader, error) {
	if comma <= 0 || comma >= utf8.RuneSelf || comma == '"' || comma == '\r' || comma == '\n' {
		return nil, ErrDelimiter
	}
	fr := &Reader{r: r, comma: byte(comma)}
	return fr, nil
}

// FieldPos returns the line and column (1-based, in bytes) where field
// field of the last record read starts, as encoding/csv's FieldPos does.
func (r *Reader) FieldPos(field int) (line, column int) {
	if r.cut {
		if field < 0 || field >= r.ncols {
			panic("out of range index passed to FieldPos")
		}
		return r.numLine, int(r.cols[field])
	}
	if field < 0 || field >= len(r.positions) {
		panic("out of range index passed to FieldPos")
	}
	p := &r.positions[field]
	return p.line, p.col
}

// InputOffset returns the input offset after the last record read.
func (r *Reader) InputOffset() int64 { return r.offset }

// readLine is encoding/csv's.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.rawBuffer = append(r.rawBuffer[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.r.ReadSlice('\n')
			r.rawBuffer = append(r.rawBuffer, line...)
		}
		line = r.rawBuffer
	}
	readSize := len(line)
	if readSize > 0 && err == io.EOF {
		err = nil
		// For backwards compatibility, drop trailing \r before EOF.
		if line[readSize-1] == '\r' {
			line = line[:readSize-1]
		}
	}
	r.numLine++
	r.offset += int64(readSize)
	// Normalize \r\n to \n on all input lines.
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// Read reads one record. Its slice is reused by the next call; its cells
// are strings that stay as read, but a cell the fast path cut shares a
// block of text (textBlock bytes) with the lines around it and keeps the
// whole block alive: what is kept longer than the rows in flight (a
// cache, a sheet held in memory) should be a strings.Clone of the cell.
func (r *Reader) Read() ([]string, error) {
	rec, err := r.ReadInto(r.record[:0])
	if rec != nil {
		r.record = rec
	}
	return rec, err
}

// ReadInto reads one record into dst's storage (append(dst[:0], cells...)):
// a caller that keeps records in storage of its own spares a copy. Its
// cells are Read's: see there what keeping one keeps.
func (r *Reader) ReadInto(dst []string) ([]string, error) {
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue // Skip empty lines
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	if errRead == nil {
		if rec, ok := r.fast(line, dst[:0]); ok {
			return rec, nil
		}
	}
	return r.slow(line, errRead, dst[:0])
}

// fast cuts a record that is one line, whose quoted cells close just
// before a delimiter or the line's end and hold no doubled quote, and
// whose other cells hold no quote. It reports false for any other line,
// having changed nothing the caller sees but dst's storage.
//
// It finds the delimiters 32 or eight bytes at a time, then walks the
// cells with the quotes found by bytes.IndexByte (a line has few).
func (r *Reader) fast(line []byte, dst []string) ([]string, bool) {
	n := len(line) - lengthNL(line)
	line = line[:n]
	if cap(r.ends) < n {
		r.ends = make([]int32, n+n/2)
	}
	ends := r.ends[:delimiters(line, r.comma, r.ends[:n])] // quoted ones too

	// The cells are cut from one string of the line; a line the fast
	// path gives up on (rare) wastes it. A line has at most one cell more
	// than delimiters: the cells' columns are written into room for that
	// many. (dst is not grown so: delimiters inside quotes would make it
	// outgrow the caller's storage.)
	str := r.text(line)
	if len(r.cols) <= len(ends) {
		r.cols = make([]int32, len(ends)+len(ends)/2+1)
	}
	cols := r.cols
	k := 0
	q := nextQuote(line, 0)
	for s, e := 0, 0; ; {
		if q == s && s < n { // a quoted cell
			j := bytes.IndexByte(line[s+1:], '"')
			if j < 0 {
				return nil, false // runs on to the next line, or never closes
			}
			end := s + 1 + j
			if end+1 < n && line[end+1] != r.comma {
				return nil, false // doubled, or not closed before a delimiter
			}
			dst = append(dst, str[s+1:end])
			cols[k] = int32(s + 1)
			k++
			if end+1 >= n {
				break
			}
			for int(ends[e]) < end {
				e++ // delimiters inside the quotes
			}
			// ends[e] is the delimiter just after the closing quote.
			s, e = end+2, e+1
			q = nextQuote(line, s)
			continue
		}
		end := n
		if e < len(ends) {
			end = int(ends[e])
		}
		if q < end {
			return nil, false // a bare quote
		}
		dst = append(dst, str[s:end])
		cols[k] = int32(s + 1)
		k++
		if e >= len(ends) {
			break
		}
		s, e = end+1, e+1
	}
	r.ncols, r.cut = k, true
	return dst, true
}

// textBlock is the size of the blocks text copies lines into: about 60
// lines of a users file.
const textBlock = 16 << 10

// text returns a copy of line as a string. Lines are copied one after
// another into a block of textBlock bytes, and a new block is made when
// one is full: one allocation for some tens of lines instead of one a
// line. The block is a strings.Builder, which neither zeroes its room
// nor changes what a string it gave holds; it is freed when no cell of
// its lines is left. A line longer than a quarter block gets its own
// string. The block is small enough that a cell kept by mistake keeps
// 16 KB, not the file: the benchmark loses a few percent against 64 KB.
func (r *Reader) text(line []byte) string {
	if len(line) > r.block.Cap()-r.block.Len() {
		if len(line) > textBlock/4 {
			return string(line)
		}
		r.block = strings.Builder{}
		r.block.Grow(textBlock)
	}
	start := r.block.Len()
	r.block.Write(line)
	return r.block.String()[start:]
}

// delimiters writes the index of every comma in line to ends, which has
// room for as many as line has bytes, and returns how many it wrote. Where
// the processor has AVX2 it compares 32 bytes at a time (delimiters32),
// and the bytes after the last whole block eight at a time.
func delimiters(line []byte, comma byte, ends []int32) int {
	k, base := 0, 0
	if haveAVX2 && len(line) >= 32 {
		k, base = delimiters32(line, comma, ends[:len(line)]), len(line)&^31
	}
	commas := uint64(comma) * ones
	for ; base+8 <= len(line); base += 8 {
		w := binary.LittleEndian.Uint64(line[base:])
		for m := zeroBytes(w ^ commas); m != 0; m &= m - 1 {
			ends[k] = int32(base + bits.TrailingZeros64(m)>>3)
			k++
		}
	}
	for ; base < len(line); base++ {
		if line[base] == comma {
			ends[k] = int32(base)
			k++
		}
	}
	return k
}

// nextQuote returns the index of the first quote of line at or after
// from, or len(line).
func nextQuote(line []byte, from int) int {
	if from >= len(line) {
		return len(line)
	}
	if i := bytes.IndexByte(line[from:], '"'); i >= 0 {
		return from + i
	}
	return len(line)
}

const ones = 0x0101010101010101

// zeroBytes has the high bit of each byte of x that is zero set, and no
// other bit.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7F7F7F7F7F7F7F7F
	return ^((x&low7 + low7) | x | low7)
}

// slow is encoding/csv's readRecord from its first line on.
func (r *Reader) slow(line []byte, errRead error, dst []string) ([]string, error) {
	var err error
	const quoteLen = len(`"`)
	const commaLen = 1
	comma := r.comma
	recLine := r.numLine // Starting line for record
	r.recordBuffer = r.recordBuffer[:0]
	r.fieldIndexes = r.fieldIndexes[:0]
	r.positions = r.positions[:0]
	r.cut = false
	pos := position{line: r.numLine, col: 1}
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// Non-quoted string field
			i := bytes.IndexByte(line, comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			// Check to make sure a quote does not appear in field.
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				col := pos.col + j
				err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: col, Err: csv.ErrBareQuote}
				break parseField
			}
			r.recordBuffer = append(r.recordBuffer, field...)
			r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
			r.positions = append(r.positions, pos)
			if i >= 0 {
				line = line[i+commaLen:]
				pos.col += i + commaLen
				continue parseField
			}
			break parseField
		} else {
			// Quoted string field
			fieldPos := pos
			line = line[quoteLen:]
			pos.col += quoteLen
			for {
				i := bytes.IndexByte(line, '"')
				if i >= 0 {
					// Hit next quote.
					r.recordBuffer = append(r.recordBuffer, line[:i]...)
					line = line[i+quoteLen:]
					pos.col += i + quoteLen
					switch {
					case len(line) > 0 && line[0] == '"':
						// `""` sequence (append quote).
						r.recordBuffer = append(r.recordBuffer, '"')
						line = line[quoteLen:]
						pos.col += quoteLen
					case len(line) > 0 && line[0] == comma:
						// `",` sequence (end of field).
						line = line[commaLen:]
						pos.col += commaLen
						r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
						r.positions = append(r.positions, fieldPos)
						continue parseField
					case lengthNL(line) == len(line):
						// `"\n` sequence (end of line).
						r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
						r.positions = append(r.positions, fieldPos)
						break parseField
					default:
						// `"*` sequence (invalid non-escaped quote).
						err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: pos.col - quoteLen, Err: csv.ErrQuote}
						break parseField
					}
				} else if len(line) > 0 {
					// Hit end of line (copy all data so far).
					r.recordBuffer = append(r.recordBuffer, line...)
					if errRead != nil {
						break parseField
					}
					pos.col += len(line)
					line, errRead = r.readLine()
					if len(line) > 0 {
						pos.line++
						pos.col = 1
					}
					if errRead == io.EOF {
						errRead = nil
					}
				} else {
					// Abrupt end of file (EOF or error).
					if errRead == nil {
						err = &csv.ParseError{StartLine: recLine, Line: pos.line, Column: pos.col, Err: csv.ErrQuote}
						break parseField
					}
					r.fieldIndexes = append(r.fieldIndexes, len(r.recordBuffer))
					r.positions = append(r.positions, fieldPos)
					break parseField
				}
			}
		}
	}
	if err == nil {
		err = errRead
	}

	// Create a single string and create slices out of it.
	str := string(r.recordBuffer)
	var preIdx int
	for _, idx := range r.fieldIndexes {
		dst = append(dst, str[preIdx:idx])
		preIdx = idx
	}
	return dst, err
}
