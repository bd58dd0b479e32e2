package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := WriteFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "a,b\n")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a,b\n" {
		t.Errorf("wrote %q", b)
	}
	// The mode os.Create gives, as the CSVs beside it have.
	probe := filepath.Join(t.TempDir(), "probe")
	p, err := os.Create(probe)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	st, _ := os.Stat(path)
	pst, _ := os.Stat(probe)
	if st.Mode().Perm() != pst.Mode().Perm() {
		t.Errorf("mode %v, os.Create gives %v", st.Mode().Perm(), pst.Mode().Perm())
	}

	// A write that fails leaves the file as it was, and no temporary file.
	boom := errors.New("boom")
	err = WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 100<<10))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the write's", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "a,b\n" {
		t.Errorf("a failed write changed the file to %d bytes", len(b))
	}
	if names := files(t, dir); len(names) != 1 || names[0] != "out.csv" {
		t.Errorf("the folder holds %q", names)
	}
}

func TestFileCloseWithoutCommit(t *testing.T) {
	dir := t.TempDir()
	f, err := CreateFile(filepath.Join(dir, "out.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "partial")
	if names := files(t, dir); len(names) != 1 || !strings.HasPrefix(names[0], ".out.xlsx.") {
		t.Errorf("while written, the folder holds %q; want the temporary file alone", names)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if names := files(t, dir); len(names) != 0 {
		t.Errorf("after Close the folder holds %q", names)
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Close succeeded")
	}
}

func TestCreateFileInAMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "out.csv")
	if _, err := CreateFile(path); err == nil || !strings.Contains(err.Error(), "cannot write "+path) {
		t.Errorf("error %v, want one naming %s", err, path)
	}
}
