package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
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
// fserrors do, so that this file alone turns kinds into exit codes. Both
// kinds mean that nothing was sent.
type (
	// usageKind is an option or argument that is wrong.
	usageKind interface{ Usage() bool }
	// inputKind is a file that cannot be read as given.
	inputKind interface{ Input() bool }
)

// usageError is a mistake on the command line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

// inputError is input the tool cannot read: a missing or malformed file.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// partialError says the run finished with some rows failed; its message is
// already printed in the summary.
type partialError struct{ msg string }

func (e *partialError) Error() string { return e.msg }

// classify maps an error to its exit code and the one line a person reads.
// Every error of every command goes through here.
func classify(err error, baseURL string) (ExitCode, string) {
	var ue *usageError
	var ie *inputError
	var pe *partialError
	var oe *validate.OptionError
	var unsent *ilms.UnsentError
	var netErr net.Error
	switch {
	case err == nil:
		return ExitOK, ""
	case errors.As(err, &pe):
		return ExitPartial, pe.msg
	case errors.As(err, &oe):
		// The library's checks of options, run before the first request.
		return ExitUsage, oe.Text(optionFlag(oe.Option))
	case errors.As(err, &ue):
		return ExitUsage, ue.Error()
	case errors.As(err, &ie):
		return ExitUsage, withHints(ie.Error(), err)
	case isKind[usageKind](err, usageKind.Usage):
		return ExitUsage, err.Error()
	case isKind[inputKind](err, inputKind.Input):
		return ExitUsage, withHints(err.Error(), err)
	case ilms.IsUnauthorized(err):
		return ExitAborted, "the iLMS API refused the credentials (401 Unauthorized): check ILMS_API_LOGIN_ID, ILMS_TRANSACTION_KEY and the organization ID (--org or ILMS_ORG_ID)"
	case ilms.IsForbidden(err):
		return ExitAborted, fmt.Sprintf("this feature is not available to the organization (403 Forbidden): %v", err)
	case errors.Is(err, context.Canceled):
		return ExitAborted, "interrupted"
	case errors.As(err, &unsent):
		return ExitAborted, fmt.Sprintf("cannot reach the iLMS API at %s: %v", baseURL, rootCause(err))
	case errors.As(err, &netErr):
		return ExitAborted, fmt.Sprintf("lost the connection to the iLMS API at %s: %v", baseURL, rootCause(err))
	}
	return ExitAborted, err.Error()
}

// rootCause is the innermost error's message, such as "connection
// refused".
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			msg := err.Error()
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				return msg[i+2:]
			}
			return msg
		}
		err = next
	}
}

// isKind reports whether err, or an error it wraps, is of a kind.
func isKind[K any](err error, is func(K) bool) bool {
	var k K
	return errors.As(err, &k) && is(k)
}
