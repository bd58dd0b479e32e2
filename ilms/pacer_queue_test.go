package ilms

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

// TestAPauseCostsOneTurnNotTheQueue: turns queued for tokens when a pause
// is set go, after it, at the rate from its end, one after another: the
// pause costs the token of the one turn held while it waited, not one of
// every turn queued (which all took their tokens again after it, and sent
// nothing for as long as the tokens they had spent). Time is the bubble's
// (testing/synctest): no sleeping.
func TestAPauseCostsOneTurnNotTheQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := NewPacer(rate.NewLimiter(20, 1)) // a turn every 50 ms
		start := time.Now()
		var mu sync.Mutex
		var sent []time.Duration
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				turn, err := p.Wait(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				sent = append(sent, time.Since(start))
				mu.Unlock()
				turn.Done(http.StatusOK, 0)
			})
		}
		time.Sleep(10 * time.Millisecond)
		p.Pause(200 * time.Millisecond) // a refusal heard: nothing until 210 ms
		wg.Wait()
		slices.Sort(sent)
		ms := time.Millisecond
		want := []time.Duration{0, 210 * ms, 260 * ms, 310 * ms, 360 * ms, 410 * ms}
		if !slices.Equal(sent, want) {
			t.Errorf("turns sent at %v, want %v: the first at once, the rest from the pause's end, 50 ms apart", sent, want)
		}
	})
}

// TestAPacerAtAHugeRate: a rate past any a server takes (--rate 1e20)
// sends at once; the requests in flight it asks for overflowed an int,
// and every turn waited for a slot that never came.
func TestAPacerAtAHugeRate(t *testing.T) {
	p := NewPacer(nil, WithAuto(NewAutoRate(1e20, 1e20, time.Now())))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	turn, err := p.Wait(ctx)
	if err != nil {
		t.Fatalf("at 1e20 a second, a turn waits: %v", err)
	}
	turn.Done(http.StatusOK, 0)
}
