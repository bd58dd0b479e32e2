package ordered

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// numbers yields 0 … n-1, then err if not nil.
func numbers(n int, err error) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := range n {
			if !yield(i, nil) {
				return
			}
		}
		if err != nil {
			yield(0, err)
		}
	}
}

// slowFirst makes the earlier items take longer, so that results arrive
// out of order and Map must put them back.
func slowFirst(n int) func(context.Context, int) (int, error) {
	return func(ctx context.Context, i int) (int, error) {
		select {
		case <-time.After(time.Duration(n-i) * 100 * time.Microsecond):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		return i * i, nil
	}
}

// TestMap: results come in the order of the inputs however the calls
// finish, with at most workers calls at once; the first error of the
// input, a call or the output ends it; and it returns with no goroutine
// left, whichever way it ends.
func TestMap(t *testing.T) {
	errIn, errCall, errOut := errors.New("in"), errors.New("call"), errors.New("out")
	for _, tc := range []struct {
		name    string
		in      iter.Seq2[int, error]
		workers int
		failAt  int   // the call for this input fails (-1: none)
		outErr  int   // out fails at this result (-1: none)
		wantErr error // nil: all of them in order
	}{
		{name: "in order", in: numbers(200, nil), workers: 8, failAt: -1, outErr: -1},
		{name: "one worker", in: numbers(20, nil), workers: 1, failAt: -1, outErr: -1},
		{name: "no workers means one", in: numbers(20, nil), workers: 0, failAt: -1, outErr: -1},
		{name: "nothing in", in: numbers(0, nil), workers: 4, failAt: -1, outErr: -1},
		{name: "the input fails", in: numbers(50, errIn), workers: 4, failAt: -1, outErr: -1, wantErr: errIn},
		{name: "a call fails", in: numbers(500, nil), workers: 4, failAt: 30, outErr: -1, wantErr: errCall},
		{name: "the output fails", in: numbers(500, nil), workers: 4, failAt: -1, outErr: 10, wantErr: errOut},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t)
			var inFlight, most atomic.Int32
			work := slowFirst(50)
			var got []int
			err := Map(t.Context(), tc.in, tc.workers, func(ctx context.Context, i int) (int, error) {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				if i == tc.failAt {
					return 0, errCall
				}
				return work(ctx, i%50)
			}, func(r int) error {
				if len(got) == tc.outErr {
					return errOut
				}
				got = append(got, r)
				return nil
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if int(most.Load()) > max(tc.workers, 1) {
				t.Errorf("%d calls at once with %d workers", most.Load(), tc.workers)
			}
			var want []int
			for i := range len(got) {
				want = append(want, (i%50)*(i%50))
			}
			if !slices.Equal(got, want) {
				t.Errorf("results out of order: %v", got)
			}
			if tc.wantErr == nil {
				n := 0
				for range tc.in {
					n++
				}
				if len(got) != n {
					t.Errorf("%d results of %d inputs", len(got), n)
				}
			}
		})
	}
}

// TestMapInterrupted: when the caller's context ends, Map returns its
// error and leaves nothing running.
func TestMapInterrupted(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	err := Map(ctx, numbers(1_000_000, nil), 4, func(ctx context.Context, i int) (int, error) {
		return i, nil
	}, func(int) error {
		if n++; n == 100 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
