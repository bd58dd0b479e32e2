package connect

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms"
)

// RateCachePath is where the rates auto found are kept, one per base URL
// and organization: ilms-bulk/rates.json in the user's cache directory
// (the system's temporary directory when there is none).
func RateCachePath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "ilms-bulk", "rates.json")
}

// foundRate is a server's rate as a run found it, and when.
type foundRate struct {
	Rate  float64   `json:"requests_per_second"`
	Found time.Time `json:"found"`
}

// rateCache is the file of the rates found, by base URL and organization.
type rateCache struct {
	path string
	key  string
}

func rateKey(baseURL, org string) string { return baseURL + " " + org }

// rateCacheStale is how old a rate found may be and still start a run:
// older, a server may well have changed.
const rateCacheStale = 30 * 24 * time.Hour

// start is the rate a run starts from: 90% of the one found last, so
// that the run climbs to it rather than from above, or 0 (AutoStart)
// when none was found lately or the file cannot be read.
func (c rateCache) start(now time.Time) float64 {
	rates := c.load()
	r, ok := rates[c.key]
	if !ok || r.Rate <= 0 || now.Sub(r.Found) > rateCacheStale {
		return 0
	}
	return r.Rate * 0.9
}

func (c rateCache) load() map[string]foundRate {
	rates := map[string]foundRate{}
	b, err := os.ReadFile(c.path)
	if err != nil {
		return rates
	}
	if json.Unmarshal(b, &rates) != nil {
		return map[string]foundRate{} // a damaged cache is only a lost start
	}
	return rates
}

// save records rate for the cache's key, writing a new file and renaming
// it over the old, so that two runs ending at once leave one whole file.
func (c rateCache) save(rate float64, now time.Time) error {
	rates := c.load()
	rates[c.key] = foundRate{Rate: rate, Found: now.UTC().Truncate(time.Second)}
	b, err := json.MarshalIndent(rates, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".rates-*.json")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(b, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}

// newPacer builds the pacer of a run's rate: none for ilms.Unlimited;
// for ilms.Auto, one that finds the server's rate from the cached start
// up to max; for a fixed rate, one that never exceeds it and adapts
// below it when the server refuses.
func newPacer(r ilms.Rate, max float64, cache *rateCache, now time.Time) *ilms.Pacer {
	switch {
	case r == ilms.Unlimited:
		return ilms.NewPacer(nil)
	case r == ilms.Auto:
		start := 0.0
		if cache != nil {
			start = cache.start(now)
		}
		return ilms.NewPacer(nil, ilms.WithAuto(ilms.NewAutoRate(start, max, now)))
	default:
		return ilms.NewPacer(nil, ilms.WithAuto(ilms.NewAutoRate(float64(r), float64(r), now)))
	}
}

// saveRate keeps the rate the run's pacer found, when it found one. A
// cache that cannot be written costs the next run only a slower start,
// so it is a warning.
func (c *Conn) saveRate() {
	if c.rates == nil || c.Client == nil {
		return
	}
	a := c.Client.Pacer().Auto()
	if a == nil {
		return
	}
	limit, found := a.Limit()
	if !found {
		return
	}
	if err := c.rates.save(limit, time.Now()); err != nil && c.warn != nil {
		c.warn(fmt.Sprintf("the rate found was not kept for the next run: %v", err))
	}
}
