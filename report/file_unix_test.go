//go:build unix

package report

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A symbolic link is written through (its file replaced, the link kept,
// also when the file is still to be made), and a path that is no regular
// file, a named pipe or a device, is written straight to, not replaced.
func TestWriteFileThroughLinksAndPipes(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target.csv"), filepath.Join(dir, "link.csv")
	os.WriteFile(target, []byte("old"), 0o644)
	os.Symlink("target.csv", link)
	dangling := filepath.Join(dir, "later.csv")
	os.Symlink(filepath.Join(dir, "made-later.csv"), dangling)
	for path, file := range map[string]string{link: target, dangling: filepath.Join(dir, "made-later.csv")} {
		if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Lstat(path); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v", path, err)
		}
		if b, _ := os.ReadFile(file); string(b) != "new" {
			t.Errorf("%s holds %q, want what was written through %s", file, b, path)
		}
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if err := WriteFile(fifo, func(w io.Writer) error { _, err := io.WriteString(w, "through the pipe"); return err }); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("the pipe's reader got %q", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", st.Mode(), err)
	}
	if err := WriteFile(os.DevNull, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil {
		t.Errorf("writing %s: %v", os.DevNull, err)
	}
	if err := WriteFile(dir, func(w io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "it is a folder") {
		t.Errorf("writing a folder: %v", err)
	}
}
