package fastcsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// same reads data with encoding/csv and with Reader and fails at the first
// difference in a record, an error, a field's position or the offset.
func same(t *testing.T, data []byte, comma rune, size int) {
	t.Helper()
	want := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), size))
	want.Comma = comma
	want.FieldsPerRecord = -1
	want.ReuseRecord = true
	got, err := NewReader(bufio.NewReaderSize(bytes.NewReader(data), size), comma)
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for step := 0; ; step++ {
		wrec, werr := want.Read()
		var grec []string
		var gerr error
		if step%2 == 0 {
			grec, gerr = got.Read()
		} else {
			// Into storage of the caller's, which it may outgrow.
			mine, gerr = got.ReadInto(mine[:0:min(cap(mine), 2)])
			grec = mine
		}
		if !reflect.DeepEqual(wrec, grec) && !(len(wrec) == 0 && len(grec) == 0) {
			t.Fatalf("%q, record %d: encoding/csv read %q, fastcsv %q", data, step, wrec, grec)
		}
		var wpe, gpe *csv.ParseError
		switch {
		case errors.As(werr, &wpe):
			if !errors.As(gerr, &gpe) || *wpe != *gpe {
				t.Fatalf("%q, record %d: encoding/csv failed with %#v, fastcsv with %#v", data, step, werr, gerr)
			}
		case werr != gerr:
			t.Fatalf("%q, record %d: encoding/csv failed with %v, fastcsv with %v", data, step, werr, gerr)
		}
		if w, g := want.InputOffset(), got.InputOffset(); w != g {
			t.Fatalf("%q, record %d: encoding/csv's offset is %d, fastcsv's %d", data, step, w, g)
		}
		if werr == nil {
			for i := range wrec {
				wl, wc := want.FieldPos(i)
				gl, gc := got.FieldPos(i)
				if wl != gl || wc != gc {
					t.Fatalf("%q, record %d field %d: encoding/csv puts it at %d:%d, fastcsv at %d:%d", data, step, i, wl, wc, gl, gc)
				}
			}
		}
		if werr != nil && wpe == nil {
			return // io.EOF, or the reader's own error
		}
	}
}

var cases = []string{
	"",
	"\n",
	"a",
	"a,b,c\n",
	"a,b,c",
	"a,b,c\r\n1,2,3\r\n",
	"a,b\r",
	"a,\"b\",c\n",
	",\n,,\n",
	"\"\"\n",
	"\"\",\"\"\n",
	"\"a,b\",c\n",
	"\"a\"\"b\",c\n",
	"\"a\nb\",c\nd,e\n",
	"\"a\r\nb\",c\r\n",
	"a\"b,c\n",
	"\"a\"b,c\n",
	"\"abc\n",
	"\"abc",
	"a,\"b\n\nc\"\n",
	"x\n\n\ny\n",
	"a\rb,c\n",
	"\"a\"\r\n",
	"\"a\"\r",
	"é,\"ü\",ß\n",
	"\xff,\"\xfe\"\n",
	"a,b\nc\"d\ne,f\n",
	"\"a\",\"b\"x\nq\n",
	"\"a\" ,b\n",
	" \"a\",b\n",
	"a,b,\n",
	"\"a\",\n",
	"\"\"\"\"\n",
	"\"a\"\"\"\n",
	"First Name,Time Zone\nBjörn,\"(GMT+05.30) Chennai, Kolkata, Mumbai, New Delhi\"\n",
	"a;b;\"c;d\"\n",
	"a\tb\t\"c\td\"\n",
}

func TestReadsAsEncodingCSVDoes(t *testing.T) {
	eachWay(t, func(t *testing.T) {
		for _, c := range cases {
			for _, comma := range []rune{',', ';', '\t', '|'} {
				for _, size := range []int{16, 4096} {
					data := strings.ReplaceAll(c, ",", string(comma))
					if comma == ',' {
						data = c
					}
					same(t, []byte(data), comma, size)
				}
			}
		}
	})
}

// eachWay runs test with the delimiters found 32 bytes at a time, where
// the processor can, and eight at a time.
func eachWay(t *testing.T, test func(t *testing.T)) {
	avx := haveAVX2
	t.Cleanup(func() { haveAVX2 = avx })
	if avx {
		t.Run("avx2", test)
	}
	haveAVX2 = false
	t.Run("swar", test)
}

// Both ways of finding delimiters find every one, in order, whatever the
// line's length and wherever they fall against the 32- and 8-byte blocks.
func TestDelimitersEachWay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	eachWay(t, func(t *testing.T) {
		for n := range 300 {
			for _, comma := range []byte{',', ';', '\t', 0x80 - 1} {
				line := make([]byte, n)
				for i := range line {
					switch rng.IntN(4) {
					case 0:
						line[i] = comma
					case 1:
						line[i] = byte(rng.IntN(256)) // any byte, commas' neighbours too
					default:
						line[i] = 'a'
					}
				}
				var want []int32
				for i, b := range line {
					if b == comma {
						want = append(want, int32(i))
					}
				}
				ends := make([]int32, n)
				got := ends[:delimiters(line, comma, ends)]
				if !slices.Equal(got, want) {
					t.Fatalf("%q, delimiter %q: found %v, want %v", line, comma, got, want)
				}
			}
		}
	})
}

// A line longer than the reader's buffer goes through encoding/csv's
// raw buffer in both.
func TestALongLine(t *testing.T) {
	long := strings.Repeat("x", 100) + ",\"" + strings.Repeat("y,", 50) + "\"\n"
	same(t, []byte(long+long+"\"open\n"+long), ',', 16)
}

func TestRefusesADelimiterItCannotRead(t *testing.T) {
	for _, c := range []rune{0, '"', '\n', '\r', 'é', -1} {
		if _, err := NewReader(bufio.NewReader(strings.NewReader("")), c); !errors.Is(err, ErrDelimiter) {
			t.Errorf("delimiter %q: got %v, want ErrDelimiter", c, err)
		}
	}
}

func FuzzReadsAsEncodingCSVDoes(f *testing.F) {
	for _, c := range cases {
		f.Add([]byte(c), uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, delim, size uint8) {
		comma := []rune{',', ';', '\t', '|'}[delim%4]
		same(t, data, comma, 16+int(size))
	})
}

// The reader's records read a file as encoding/csv does; the benchmark
// shows by how much faster.
func BenchmarkRead(b *testing.B) {
	row := "Björn,M.,,G1-000001,2010-01-12,English,Financial Analyst,8061 Park Blvd,Suite 424,Mumbai,India,,Maharashtra,400523,bjoern.miller.1.g1@example.com,(889) 555-3408,North America,Corporate,Finance,Acme Corp,\"(GMT+05.30) Chennai, Kolkata, Mumbai, New Delhi\",Wei Martinez,wei.martinez.7920@example.com\n"
	data := []byte(strings.Repeat(row, 20000))
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			r := csv.NewReader(bufio.NewReaderSize(bytes.NewReader(data), 64<<10))
			r.ReuseRecord, r.FieldsPerRecord = true, -1
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				}
			}
		}
	})
	fast := func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			r, _ := NewReader(bufio.NewReaderSize(bytes.NewReader(data), 64<<10), ',')
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				}
			}
		}
	}
	b.Run("fastcsv", fast)
	if haveAVX2 {
		haveAVX2 = false
		b.Run("fastcsv-swar", fast)
		haveAVX2 = true
	}
}

// ReadInto fills the caller's storage when the cells fit in it, however
// many delimiters hide inside quotes: a batch reader relies on it to read
// a million rows without a slice a row.
func TestReadIntoKeepsTheCallersStorage(t *testing.T) {
	r, err := NewReader(bufio.NewReader(strings.NewReader("a,\"b,c,d,e\",f\n")), ',')
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]string, 0, 3)
	rec, err := r.ReadInto(dst)
	if err != nil || len(rec) != 3 || rec[1] != "b,c,d,e" {
		t.Fatalf("read %q, %v", rec, err)
	}
	if &rec[0] != &dst[:1][0] {
		t.Error("the cells went to a new slice, not to the caller's storage")
	}
}

// Cells are strings: they stay as read after later reads, though the
// lines share blocks of text, and a line longer than a block's quarter
// or a block's room is still read whole.
func TestCellsOutliveLaterReads(t *testing.T) {
	var data strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&data, "%d,%s,\"q,%d\"\n", i, strings.Repeat("x", i%97), i)
		if i%500 == 0 {
			fmt.Fprintf(&data, "long,%s\n", strings.Repeat("y", textBlock/3))
		}
	}
	std := csv.NewReader(strings.NewReader(data.String()))
	std.FieldsPerRecord = -1
	want, err := std.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bufio.NewReader(strings.NewReader(data.String())), ',')
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, slices.Clone(rec)) // the slice is reused, its strings are not
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("record %d is %q after the whole file was read, want %q", i, got[i], want[i])
			}
		}
		t.Fatalf("read %d records, want %d", len(got), len(want))
	}
}
