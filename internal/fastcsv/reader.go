// Package fastcsv reads CSV records exactly as encoding/csv does with the
// options the pipeline reads files with (ReuseRecord, FieldsPerRecord -1,
// no LazyQuotes, no Comment, no TrimLeadingSpace), and faster on the
// common record: one line whose quoted cells close on it with no doubled
// quote is cut in one pass into cells of a single string, without
// encoding/csv's copy into a record buffer. Any other record is parsed by
// a copy of encoding/csv's own algorithm. The records, the errors (the
// same *csv.ParseError values), FieldPos and InputOffset are encoding/csv's;
// a fuzz test holds the two readers to that.
package fastcsv

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
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
	// cols are the column of each cell the fast path cut, when cut is set.
	cols   []int32
	cut    bool
	record []string
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
		if field < 0 || field >= len(r.cols) {
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

// Read reads one record. Its slice is reused by the next call.
func (r *Reader) Read() ([]string, error) {
	rec, err := r.ReadInto(r.record[:0])
	if rec != nil {
		r.record = rec
	}
	return rec, err
}

// ReadInto reads one record into dst's storage (append(dst[:0], cells...)):
// a caller that keeps records in storage of its own spares a copy.
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
// whose other cells hold no quote. It reports false, having changed
// nothing the caller sees, for any other line.
//
// It looks at the line eight bytes at a time for delimiters and quotes,
// and at nothing else.
func (r *Reader) fast(line []byte, dst []string) ([]string, bool) {
	n := len(line) - lengthNL(line)
	line = line[:n]
	// The cells are cut from one string of the line. A line the fast path
	// gives up on (rare) wastes it.
	str := string(line)
	cols := r.cols[:0] // each cell's column
	comma := r.comma
	commas := uint64(comma) * ones
	const quotes = uint64('"') * ones
	const (
		plain  = iota // in a cell that began without a quote
		quoted        // in a quoted cell whose quote has not closed
		closed        // just after a quoted cell: at its delimiter, or the end
	)
	state, s := plain, 0 // s: the current cell's first byte
	for base := 0; base < n; base += 8 {
		var w uint64
		if base+8 <= n {
			w = binary.LittleEndian.Uint64(line[base:])
		} else {
			var tail [8]byte // zero bytes are neither delimiter nor quote
			copy(tail[:], line[base:])
			w = binary.LittleEndian.Uint64(tail[:])
		}
		mq := zeroBytes(w ^ quotes)
		for m := zeroBytes(w^commas) | mq; m != 0; m &= m - 1 {
			bit := m & -m
			p := base + bits.TrailingZeros64(m)>>3
			switch state {
			case plain:
				if mq&bit != 0 {
					if p != s {
						return nil, false // a bare quote
					}
					state = quoted
					continue
				}
				dst = append(dst, str[s:p])
				cols = append(cols, int32(s+1))
				s = p + 1
			case quoted:
				if mq&bit == 0 {
					continue // a delimiter inside the quotes
				}
				if p+1 < n && line[p+1] != comma {
					return nil, false // doubled, or not closed before a delimiter
				}
				dst = append(dst, str[s+1:p])
				cols = append(cols, int32(s+1))
				state = closed
			case closed:
				// The byte after the closing quote is the delimiter.
				s = p + 1
				state = plain
			}
		}
	}
	switch state {
	case plain:
		dst = append(dst, str[s:])
		cols = append(cols, int32(s+1))
	case quoted:
		return nil, false // runs on to the next line, or never closes
	}
	r.cols, r.cut = cols, true
	return dst, true
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
