package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// bufSize is the buffer of every file report writes: 64 KB a write(2).
const bufSize = 64 << 10

// File is a file written whole or not at all: what is written goes to a
// temporary file in the same folder, which Commit syncs and renames to
// the path, so that a failed or interrupted write never leaves a file
// that looks complete, nor harms the one already there. The file has the
// permissions os.Create gives (0666 less the umask: 0644 as a rule), as
// every file the tool writes; os.CreateTemp's would be private, and a
// fixed mode would override the user's umask.
//
// A path that is a symbolic link is written through: the file it points
// to is replaced, and the link kept. A path that is not a regular file (a
// named pipe, a device such as /dev/stdout) is written straight to, as
// it cannot be replaced.
type File struct {
	path string
	tmp  *os.File
	bw   *bufio.Writer
	done bool // committed or closed
	// direct: tmp is the path itself, not a file renamed to it.
	direct bool
}

// CreateFile starts writing the file path.
func CreateFile(path string) (*File, error) { return createFile(path, 0o666) }

func createFile(path string, perm os.FileMode) (*File, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fmt.Errorf("cannot write %s: it is a folder: give a file name", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0) // through its links, /dev/stdout's to a pipe too
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", path, err)
		}
		return &File{path: path, tmp: f, bw: bufio.NewWriterSize(f, bufSize), direct: true}, nil
	}
	target, err := resolveLinks(path)
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	dir, base := filepath.Split(target)
	for try := 0; ; try++ {
		name := filepath.Join(dir, fmt.Sprintf(".%s.%d.tmp", base, rand.Uint32()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", path, err)
		}
		return &File{path: target, tmp: f, bw: bufio.NewWriterSize(f, bufSize)}, nil
	}
}

// resolveLinks follows path's symbolic links to the file they name,
// which need not exist yet (a link to a file to be made).
func resolveLinks(path string) (string, error) {
	for range 40 {
		st, err := os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", errors.New("too many levels of symbolic links")
}

// Write adds p to the file.
func (f *File) Write(p []byte) (int, error) { return f.bw.Write(p) }

// Commit flushes and syncs the file and renames it to its path. On an
// error the temporary file is removed and the path left as it was.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("cannot write %s: %w", f.path, fs.ErrClosed)
	}
	f.done = true
	err := f.bw.Flush()
	if err == nil && !f.direct {
		err = f.tmp.Sync()
	}
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if f.direct {
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", f.path, err)
		}
		return nil
	}
	if err == nil {
		err = os.Rename(f.tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("cannot write %s: %w", f.path, err)
	}
	return nil
}

// Close abandons a file not committed: the temporary file is removed.
// After Commit it does nothing, so it can be deferred.
func (f *File) Close() error {
	if f.done {
		return nil
	}
	f.done = true
	err := f.tmp.Close()
	if f.direct {
		return err
	}
	if rerr := os.Remove(f.tmp.Name()); err == nil {
		err = rerr
	}
	return err
}

// WriteFile writes the file path with write, whole or not at all.
func WriteFile(path string, write func(io.Writer) error) error {
	return writeFile(path, 0o666, write)
}

// WritePrivateFile is WriteFile for a file only its owner may read (mode
// 0600), such as a saved plan, which names people and their changes.
func WritePrivateFile(path string, write func(io.Writer) error) error {
	return writeFile(path, 0o600, write)
}

func writeFile(path string, perm os.FileMode, write func(io.Writer) error) error {
	f, err := createFile(path, perm)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

// IsStdout reports whether an output path means standard output: "" or
// "-".
func IsStdout(path string) bool { return path == "" || path == "-" }

// WriteOutput streams write into path, or into stdout for "-". A file is
// written whole or not at all (CreateFile), so a failed export never
// leaves a file that looks complete.
func WriteOutput(path string, stdout io.Writer, write func(io.Writer) (int, error)) (int, error) {
	if IsStdout(path) {
		bw := bufio.NewWriterSize(stdout, bufSize)
		n, err := write(bw)
		return n, errors.Join(err, bw.Flush())
	}
	f, err := CreateFile(path)
	if err != nil {
		return 0, &OutputError{Path: path, Err: err}
	}
	defer f.Close()
	n, err := write(f)
	if err != nil {
		return n, err
	}
	return n, f.Commit()
}

// OutputError is an output file that cannot be made.
type OutputError struct {
	Path string
	Err  error
}

func (e *OutputError) Error() string { return e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// Input marks the error as a file that cannot be written as given:
// nothing was sent.
func (e *OutputError) Input() bool { return true }
