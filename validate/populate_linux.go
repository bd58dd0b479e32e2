package validate

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// populate maps the pages of b that it holds whole, written to, in one
// call (madvise MADV_POPULATE_WRITE, Linux 5.14 on) instead of a page
// fault each; it reports whether the kernel did.
func populate(b []byte) bool {
	page := os.Getpagesize()
	start := (page - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))%uintptr(page))) % page
	if len(b)-start < page {
		return false
	}
	whole := b[start : start+(len(b)-start)/page*page]
	return unix.Madvise(whole, unix.MADV_POPULATE_WRITE) == nil
}
