package pipeline

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// JournalHeader is the journal's first line: what the run is, so that
// --resume finishes the same file with the same options.
type JournalHeader struct {
	Journal int    `json:"journal"` // format version
	Kind    string `json:"kind"`
	File    string `json:"file"`
	// SHA256 is the file's, when known before the run; otherwise a
	// "read" line gives it once the run has read the whole file, and
	// Size and Modified tell the file until then.
	SHA256   string    `json:"sha256,omitempty"`
	Size     int64     `json:"size,omitempty"`
	Modified time.Time `json:"modified,omitzero"`
	Args     []string  `json:"args"` // the command line's options
	// Site and OrgID are where the run writes (connect.Conn's): a resume
	// or a re-run of its failures writes there only.
	Site  string `json:"site,omitempty"`
	OrgID string `json:"org_id,omitempty"`
	// Plan is the saved plan the run applies (with Replan, --replan): a
	// resume applies it too.
	Plan   string `json:"plan,omitempty"`
	Replan bool   `json:"replan,omitempty"`
}

type journalLine struct {
	Row        int     `json:"row,omitempty"`
	State      string  `json:"state"` // started, done, or read (the file's SHA-256)
	SHA256     string  `json:"sha256,omitempty"`
	Email      string  `json:"email,omitempty"`
	EmployeeID string  `json:"employee_id,omitempty"`
	Result     *Result `json:"result,omitempty"`
	// Action is a write done (state applied), with what it changed as it
	// was, and ID the row's user then: what undo reverses.
	Action *Action `json:"action,omitempty"`
	ID     int64   `json:"id,omitempty"`
}

// Journal is journal.jsonl: one line per row as it starts its first write
// and when it is done, appended and synced to disk. Writes from many
// workers are committed together: one fsync covers every line waiting.
type Journal struct {
	f    *os.File
	reqs chan journalReq
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

type journalReq struct {
	line []byte
	ack  chan error // nil: do not wait
}

// CreateJournal starts a journal with its header, or opens an existing one
// for appending (resume, h nil). A last line a crash cut short is dropped
// first: appended to, it would spoil the line that follows it.
func CreateJournal(path string, h *JournalHeader) (*Journal, error) {
	flags := os.O_CREATE | os.O_RDWR | os.O_APPEND
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return nil, err
	}
	if h == nil {
		if err := dropTornLine(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	j := &Journal{f: f, reqs: make(chan journalReq, 1024)}
	if h != nil {
		b, _ := json.Marshal(h)
		if _, err := f.Write(append(b, '\n')); err != nil {
			f.Close()
			return nil, err
		}
	}
	j.wg.Add(1)
	go j.writer()
	return j, nil
}

// dropTornLine cuts a file after its last newline.
func dropTornLine(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	end := fi.Size()
	buf := make([]byte, 4096)
	for end > 0 {
		n := int64(len(buf))
		if end < n {
			n = end
		}
		if _, err := f.ReadAt(buf[:n], end-n); err != nil {
			return err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			end = end - n + int64(i) + 1
			break
		}
		end -= n
	}
	if end == fi.Size() {
		return nil
	}
	return f.Truncate(end)
}

func (j *Journal) writer() {
	defer j.wg.Done()
	var buf []byte
	var acks []chan error
	for req := range j.reqs {
		buf, acks = append(buf[:0], req.line...), acks[:0]
		if req.ack != nil {
			acks = append(acks, req.ack)
		}
	more:
		for {
			select {
			case r, ok := <-j.reqs:
				if !ok {
					break more
				}
				buf = append(buf, r.line...)
				if r.ack != nil {
					acks = append(acks, r.ack)
				}
			default:
				break more
			}
		}
		_, err := j.f.Write(buf)
		if err == nil {
			err = j.f.Sync()
		}
		if err != nil {
			j.mu.Lock()
			if j.err == nil {
				j.err = err
			}
			j.mu.Unlock()
		}
		for _, a := range acks {
			a <- err
		}
	}
}

func (j *Journal) send(l journalLine, wait bool) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	req := journalReq{line: append(b, '\n')}
	if wait {
		req.ack = make(chan error, 1)
	}
	j.reqs <- req
	if wait {
		return <-req.ack
	}
	return nil
}

// Started records, durably, that a row is about to send its first write.
func (j *Journal) Started(row int, email, employeeID string) error {
	return j.send(journalLine{Row: row, State: "started", Email: email, EmployeeID: employeeID}, true)
}

// Read records the SHA-256 of the file, once the run has read all of it.
func (j *Journal) Read(sha256 string) error {
	return j.send(journalLine{State: "read", SHA256: sha256}, true)
}

// Applied records one write of a row, done, for undo; it is on disk by
// the next sync.
func (j *Journal) Applied(row int, userID int64, a Action) {
	j.send(journalLine{Row: row, State: "applied", Action: &a, ID: userID}, false)
}

// Done records a row's result; it is on disk by the next sync.
func (j *Journal) Done(r Result) {
	j.send(journalLine{Row: r.Line, State: "done", Result: &r}, false)
}

// Close writes and syncs what is waiting and closes the file.
func (j *Journal) Close() error {
	close(j.reqs)
	j.wg.Wait()
	cerr := j.f.Close()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	return cerr
}

// JournalState is what a journal says of a run.
type JournalState struct {
	Header *JournalHeader
	// Done are the rows with a final result.
	Done map[int]Result
	// InFlight are rows that started writing and have no result: their
	// keys, to look the user up before anything else.
	InFlight map[int][2]string
	// Applied are the writes done, by row, in the order they were done
	// (a resume's after the first run's); Users are the rows' users.
	Applied map[int][]Action
	Users   map[int]int64
	// SHA256 is the file's, from the header or the "read" line.
	SHA256 string
}

// ReadJournal reads a journal; a last line cut short by a crash is
// ignored.
func ReadJournal(path string) (*JournalState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st := &JournalState{Done: map[int]Result{}, InFlight: map[int][2]string{}, Applied: map[int][]Action{}, Users: map[int]int64{}}
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			break // a partial last line is a write the crash cut
		}
		if err != nil {
			return nil, err
		}
		if n == 1 {
			var h JournalHeader
			if err := json.Unmarshal(line, &h); err != nil || h.Journal == 0 {
				return nil, fmt.Errorf("%s is not an ilms-bulk journal", path)
			}
			st.Header = &h
			continue
		}
		var l journalLine
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, fmt.Errorf("%s line %d: %v", path, n, err)
		}
		switch l.State {
		case "started":
			if _, done := st.Done[l.Row]; !done {
				st.InFlight[l.Row] = [2]string{l.Email, l.EmployeeID}
			}
		case "read":
			st.SHA256 = l.SHA256
		case "applied":
			if l.Action != nil {
				st.Applied[l.Row] = append(st.Applied[l.Row], *l.Action)
				st.Users[l.Row] = cmp.Or(l.ID, st.Users[l.Row])
			}
		case "done":
			if l.Result != nil {
				st.Done[l.Row] = *l.Result
				delete(st.InFlight, l.Row)
			}
		}
	}
	if st.Header == nil {
		return nil, fmt.Errorf("%s is empty", path)
	}
	if st.SHA256 == "" {
		st.SHA256 = st.Header.SHA256
	}
	return st, nil
}
