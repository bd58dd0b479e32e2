package validate

import (
	"hash/maphash"
	"math/bits"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Duplicates finds keys seen before in one file: emails, employee IDs,
// (user, course) pairs. It keeps a 64-bit hash of each key and the row
// that first had it — 12 bytes a key instead of the key itself — in an
// open-addressing table probed once per key. Two different keys sharing a
// hash, about one chance in 10^7 for a million rows, would be reported as
// a duplicate of the first.
type Duplicates struct {
	slots []slot
	n     int
	// ready brings the table Reserve is making, until it is taken up.
	ready chan []slot
}

// slot keeps a key's hash and first row side by side, in 12 bytes: the
// hash as two halves, so that no padding rounds a slot up to 16. The
// table of a million-row file is a quarter smaller for it, and so is the
// memory the process maps and the heap the collector lets grow.
type slot struct {
	lo, hi uint32 // the hash; 0: empty
	row    int32
}

func (s *slot) hash() uint64 { return uint64(s.hi)<<32 | uint64(s.lo) }

func (s *slot) set(h uint64, row int32) { s.lo, s.hi, s.row = uint32(h), uint32(h>>32), row }

// NewDuplicates returns an empty set.
func NewDuplicates() *Duplicates { return &Duplicates{} }

// Seen records key (compared without regard to case or surrounding spaces)
// for row, and returns the earlier row that had it, or 0.
func (d *Duplicates) Seen(kind byte, key string, row int) int {
	return d.SeenHash(KeyHash(kind, key), row)
}

// KeyHash is the hash Seen keeps of a key of a kind, 0 for a blank key. It
// may be computed anywhere (it is a pure function) and given to SeenHash in
// row order.
func KeyHash(kind byte, key string) uint64 {
	key = strings.TrimSpace(key)
	if key == "" {
		return 0
	}
	if h := foldHash(kind, key); h != 0 {
		return h
	}
	return 1
}

// ExactKeyHash is KeyHash for a key whose case counts: one holding a
// course ID, since Wert98k and WErt98k are two courses.
func ExactKeyHash(kind byte, key string) uint64 {
	key = strings.TrimSpace(key)
	if key == "" {
		return 0
	}
	if h := ofKind(kind, maphash.String(hashSeed, key)); h != 0 {
		return h
	}
	return 1
}

// Reserve makes room for n keys, sparing the table's growth. The room is
// made on another goroutine, since a table for millions of keys takes
// tens of milliseconds to map, and meanwhile the rows go on being checked
// in the table there is, which grows as it needs: the first Touch or
// growth after the new table is ready takes it up.
func (d *Duplicates) Reserve(n int) {
	size := n * 5 / 4
	if size <= len(d.slots) || d.ready != nil {
		return
	}
	ready := make(chan []slot, 1)
	d.ready = ready
	go func() { ready <- makeSlots(size) }()
}

// takeUp moves the keys into the table Reserve made, if it is ready and
// larger than the one in use.
func (d *Duplicates) takeUp() {
	select {
	case slots := <-d.ready: // a nil channel is never ready
		d.ready = nil
		if len(slots) > len(d.slots) {
			d.move(slots)
		}
	default:
	}
}

// full reports whether the table needs more room before the next key.
func (d *Duplicates) full() bool { return d.n >= len(d.slots)*4/5 }

// SeenHash is Seen for a key hashed by KeyHash; 0 is never a duplicate.
func (d *Duplicates) SeenHash(h uint64, row int) int {
	if h == 0 {
		return 0
	}
	if d.full() {
		d.takeUp()
		if d.full() {
			d.move(makeSlots(max(4096, len(d.slots)*2)))
		}
	}
	for i := d.home(h); ; {
		s := &d.slots[i]
		switch s.hash() {
		case h:
			return int(s.row)
		case 0:
			s.set(h, int32(row))
			d.n++
			return 0
		}
		if i++; i == len(d.slots) {
			i = 0
		}
	}
}

// Touch reads the home slot of each hash without changing anything. The
// table is far larger than the caches, so each lookup waits on memory; a
// batch of independent reads lets the processor fetch many slots at once,
// and the lookups that follow find them cached. The result only keeps the
// reads from being optimised away.
func (d *Duplicates) Touch(hs []uint64) uint64 {
	d.takeUp()
	var sum uint64
	if len(d.slots) == 0 {
		return 0
	}
	for _, h := range hs {
		if h != 0 {
			sum += d.slots[d.home(h)].hash()
		}
	}
	return sum
}

// home maps a hash to a slot of a table of any size (Lemire's fast range
// reduction), so the table need not be a power of two.
func (d *Duplicates) home(h uint64) int {
	hi, _ := bits.Mul64(h, uint64(len(d.slots)))
	return int(hi)
}

// makeSlots makes a table of size slots with its pages mapped for
// writing: at once (populate), or else by a write to each page, in order.
// Its first access would otherwise be Touch's read, which maps the shared
// zero page, and the first write after that a second fault, which
// interrupts the other processors to flush their page tables.
func makeSlots(size int) []slot {
	slots := make([]slot, size)
	n := size * int(unsafe.Sizeof(slot{}))
	if n >= 1<<20 && populate(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(slots))), n)) {
		return slots
	}
	const pageSlots = 4096 / int(unsafe.Sizeof(slot{}))
	for i := 0; i < size; i += pageSlots {
		slots[i].row = 0
	}
	return slots
}

// move puts every key into slots, the new table.
func (d *Duplicates) move(slots []slot) {
	old := d.slots
	d.slots = slots
	size := len(slots)
	for _, s := range old {
		if s.hash() == 0 {
			continue
		}
		i := d.home(s.hash())
		for d.slots[i].hash() != 0 {
			if i++; i == size {
				i = 0
			}
		}
		d.slots[i] = s
	}
}

var hashSeed = maphash.MakeSeed()

// ofKind sets the hash of a key of each kind apart, so that an email and
// an employee ID that read the same are two keys: the same key gives
// different hashes for two kinds, and two different keys collide no more
// often than the hash does.
func ofKind(kind byte, h uint64) uint64 { return h ^ (uint64(kind)+1)*0x9E3779B97F4A7C15 }

// foldHash hashes the case-folded key with the runtime's AES-based hash,
// set apart by kind (ofKind). A key without capitals or non-ASCII
// letters, the common one, is hashed as it stands; one with ASCII
// capitals is lowered into a stack buffer, without allocating.
func foldHash(kind byte, key string) uint64 {
	for i := 0; i < len(key); i++ {
		if b := key[i]; b >= utf8.RuneSelf || 'A' <= b && b <= 'Z' {
			return ofKind(kind, foldedHash(key, i))
		}
	}
	return ofKind(kind, maphash.String(hashSeed, key))
}

// foldedHash hashes the lower case of key, whose byte i is the first
// capital or non-ASCII one.
func foldedHash(key string, i int) uint64 {
	var buf [128]byte
	if len(key) > len(buf) {
		return maphash.String(hashSeed, strings.ToLower(key))
	}
	copy(buf[:], key[:i])
	for ; i < len(key); i++ {
		b := key[i]
		if b >= utf8.RuneSelf {
			return maphash.String(hashSeed, strings.ToLower(key))
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf[i] = b
	}
	return maphash.Bytes(hashSeed, buf[:len(key)])
}
