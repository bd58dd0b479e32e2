// Package ordered runs calls concurrently and hands their results on in
// the order of their inputs.
package ordered

import (
	"context"
	"iter"

	"golang.org/x/sync/errgroup"
)

// Map applies f to every item of in with up to workers calls at once and
// hands the results to out in the order of in, holding at most workers
// results that wait for an earlier one. It stops at the first error of in,
// f or out, and returns it.
func Map[T, R any](ctx context.Context, in iter.Seq2[T, error], workers int, f func(context.Context, T) (R, error), out func(R) error) error {
	g, ctx := errgroup.WithContext(ctx)
	type slot = chan R
	queue := make(chan slot, max(workers, 1))
	g.Go(func() error {
		defer close(queue)
		sem := make(chan struct{}, max(workers, 1))
		for item, err := range in {
			if err != nil {
				return err
			}
			s := make(slot, 1)
			select {
			case queue <- s:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			g.Go(func() error {
				defer func() { <-sem }()
				r, err := f(ctx, item)
				if err != nil {
					return err
				}
				s <- r
				return nil
			})
		}
		return nil
	})
	g.Go(func() error {
		for s := range queue {
			select {
			case r := <-s:
				if err := out(r); err != nil {
					return err
				}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	return g.Wait()
}
