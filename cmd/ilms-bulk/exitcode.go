package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/pipeline"
	"github.com/ilms-bulk/ilms-bulk/remedy"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// ExitCode is the process status, the contract of DESIGN.md.
type ExitCode int

const (
	ExitOK      ExitCode = 0 // every row done
	ExitPartial ExitCode = 1 // finished, but some rows failed or were invalid
	ExitUsage   ExitCode = 2 // usage or unreadable input; nothing was sent
	ExitAborted ExitCode = 3 // bad credentials, server unreachable, interrupted: resumable
)

// The library's errors say what kind they are by a method, as rclone's
// fserrors do, so that this file alone turns kinds into exit codes. The
// first two kinds mean that nothing was sent.
type (
	// usageKind is an option or argument that is wrong.
	usageKind interface{ Usage() bool }
	// inputKind is a file that cannot be read as given.
	inputKind interface{ Input() bool }
	// partialKind is a run that finished with part of what was asked.
	partialKind interface{ Partial() bool }
)

// usageError is a mistake on the command line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }
func (e *usageError) Usage() bool   { return true }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// classify maps an error to its exit code and the one line a person reads.
// Every error of every command goes through here.
func classify(err error, baseURL string) (ExitCode, string) {
	var oe *validate.OptionError
	var fe *report.FormatError
	switch {
	case err == nil:
		return ExitOK, ""
	case isKind[partialKind](err, partialKind.Partial):
		return ExitPartial, remedy.Render(err, flagOf)
	case errors.As(err, &fe):
		return ExitUsage, fe.Text("--format", "-o")
	case errors.As(err, &oe):
		// The library's checks of options, run before the first request.
		return ExitUsage, oe.Text(optionFlag(oe.Option))
	case isKind[usageKind](err, usageKind.Usage):
		return ExitUsage, remedy.Render(err, flagOf)
	case isKind[inputKind](err, inputKind.Input):
		msg := remedy.Render(err, flagOf)
		for _, h := range pipeline.HintsOf(err) {
			msg += "\n  " + renderHint(h)
		}
		return ExitUsage, msg
	case errors.Is(err, context.Canceled):
		return ExitAborted, "interrupted"
	}
	msg, ok := ilms.Explain(err, baseURL)
	if !ok {
		return ExitAborted, remedy.Render(err, flagOf)
	} else if ilms.IsUnauthorized(err) {
		msg += " (ILMS_API_LOGIN_ID, ILMS_TRANSACTION_KEY, and --org or ILMS_ORG_ID)"
	}
	return ExitAborted, msg
}

// isKind reports whether err, or an error it wraps, is of a kind.
func isKind[K any](err error, is func(K) bool) bool {
	var k K
	return errors.As(err, &k) && is(k)
}
