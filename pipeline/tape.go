package pipeline

import (
	"bytes"
	"io"
)

// maxKept bounds the text a tape keeps for one record. A record longer
// than this that then turns out to be broken cannot be read again from its
// second line, and the file is refused instead.
var maxKept = 256 << 20

// tape sits between the decoded text of a CSV file and its parser. It
// keeps the text from the start of the record being parsed, so that a
// record a stray quote ruined can be cut back to its first line and the
// lines after it parsed again; and it counts the file's lines as they go
// by, so that every line can be accounted for.
type tape struct {
	src io.Reader
	// replay is text to serve again before reading on from src.
	replay []byte
	// kept holds the text served from offset keptFrom on; buf[head:] is
	// kept, and buf's storage is reused as the window slides.
	buf      []byte
	head     int
	keptFrom int64
	// off is the offset of the next byte served.
	off int64
	// lost is set when kept outgrew maxKept: the record's start is gone
	// until the parser moves past it.
	lost bool

	newlines int   // '\n' bytes read from src
	last     byte  // the last byte read from src
	read     int64 // bytes read from src
	eof      bool
}

func (t *tape) Read(p []byte) (int, error) {
	var n int
	var err error
	if len(t.replay) > 0 {
		n = copy(p, t.replay)
		t.replay = t.replay[n:]
	} else {
		n, err = t.src.Read(p)
		if n > 0 {
			t.newlines += bytes.Count(p[:n], []byte{'\n'})
			t.last = p[n-1]
			t.read += int64(n)
		}
		if err == io.EOF {
			t.eof = true
		}
	}
	if n > 0 {
		if !t.lost {
			t.buf = append(t.buf, p[:n]...)
			if len(t.buf)-t.head > maxKept {
				t.lost = true
				t.buf, t.head = t.buf[:0], 0
			}
		}
		t.off += int64(n)
	}
	return n, err
}

// lines returns the physical lines read from the file so far, as wc -l
// counts them, plus one for a last line without a newline.
func (t *tape) lines() int {
	if t.eof && t.read > 0 && t.last != '\n' {
		return t.newlines + 1
	}
	return t.newlines
}

// keep forgets the text before offset from: the parser will not need it
// again. pending is the text the parser has read from the tape but not
// parsed yet (its reader's buffer); after the tape has lost a long
// record, keeping starts again from it.
func (t *tape) keep(from int64, pending []byte) {
	if t.lost {
		t.lost = false
		t.buf = append(t.buf[:0], pending...)
		t.head, t.keptFrom = 0, from
		return
	}
	if n := int(from - t.keptFrom); n > 0 {
		t.head += n
		t.keptFrom = from
	}
	if t.head > 64<<10 && t.head > len(t.buf)/2 {
		n := copy(t.buf, t.buf[t.head:])
		t.buf, t.head = t.buf[:n], 0
	}
}

// kept returns the text from offset from to what has been served, or nil
// when it is no longer kept.
func (t *tape) kept(from int64) []byte {
	if t.lost || from < t.keptFrom {
		return nil
	}
	i := t.head + int(from-t.keptFrom)
	if i > len(t.buf) {
		return nil
	}
	return t.buf[i:]
}

// rewind makes the tape serve again everything from offset from on; the
// text must be kept. It returns how many bytes will be served again.
func (t *tape) rewind(from int64) int {
	again := t.kept(from)
	replay := make([]byte, 0, len(again)+len(t.replay))
	replay = append(append(replay, again...), t.replay...)
	t.replay = replay
	t.buf, t.head, t.keptFrom, t.off = t.buf[:0], 0, from, from
	return len(again)
}
