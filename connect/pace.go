package connect

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// DefaultWorkers is enough requests in flight for a server of 100
// requests a second answering in half a second.
const DefaultWorkers = 64

// AddPaceFlags names the options of how a run spends the API: requests
// in flight, and per second.
func (o *Options) AddPaceFlags(f *pflag.FlagSet) {
	o.Rate = ilms.Auto
	f.IntVar(&o.Workers, "workers", DefaultWorkers, "requests in flight at most (the run keeps as many as its rate needs)")
	f.Var(&o.Rate, "rate", "requests per second: auto (find the rate iLMS accepts and hold it), a ceiling the run never exceeds (it slows down when iLMS answers 429 or 503), or unlimited")
	f.Float64Var(&o.MaxRate, "max-rate", ilms.AutoMax, "the highest rate auto climbs to, in requests per second")
}

// CheckPace checks the pace options before anything is contacted.
func (o *Options) CheckPace() error {
	bad := func(option string, value any, detail string) error {
		return &validate.OptionError{Option: option, Value: fmt.Sprint(value), Rule: validate.ErrInvalid, Detail: detail, Number: true}
	}
	switch {
	case o.Workers < 1:
		return bad("workers", o.Workers, "give at least 1 request in flight")
	case o.MaxRate <= 0:
		return bad("max-rate", o.MaxRate, "give a positive number of requests a second, such as 100")
	}
	return nil
}
