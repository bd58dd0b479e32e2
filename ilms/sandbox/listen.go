package sandbox

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Endpoint is a Server answering on a TCP address, and keeping its state
// in a file when it has one.
type Endpoint struct {
	// URL is the base URL the server answers at, such as
	// http://127.0.0.1:8089.
	URL string

	srv   *Server
	hs    *http.Server
	state string
	done  chan struct{}
	wg    sync.WaitGroup
	once  sync.Once
	err   error
}

// saveEvery is how often an Endpoint saves a state that changed.
const saveEvery = time.Second

// Listen serves s on addr (127.0.0.1:0 picks a free port) until Close.
// When statePath is not empty, the state is written there every second
// while it changes, and once more on Close, so that a run killed midway
// loses at most a second of it.
func (s *Server) Listen(addr, statePath string) (*Endpoint, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	e := &Endpoint{
		URL:   "http://" + ln.Addr().String(),
		srv:   s,
		hs:    &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
		state: statePath,
		done:  make(chan struct{}),
	}
	go e.hs.Serve(ln)
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		t := time.NewTicker(saveEvery)
		defer t.Stop()
		for {
			select {
			case <-e.done:
				return
			case <-t.C:
				_ = e.save()
			}
		}
	}()
	return e, nil
}

// save writes the state when it changed since the last save.
func (e *Endpoint) save() error {
	if e.state == "" || !e.srv.Changed() {
		return nil
	}
	return e.srv.Snapshot().WriteFile(e.state)
}

// Close stops serving, letting requests in flight finish for up to five
// seconds, and saves the state. Calling it again returns the first
// call's error.
func (e *Endpoint) Close() error {
	e.once.Do(func() {
		close(e.done)
		e.wg.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = e.hs.Shutdown(ctx)
		if err := e.save(); err != nil {
			e.err = fmt.Errorf("saving the sandbox state: %w", err)
		}
	})
	return e.err
}
