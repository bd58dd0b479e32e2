package ilms

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// APIError is a non-2xx answer from the API. It names the request by method
// and path only: headers, and with them the credentials, are never kept.
type APIError struct {
	StatusCode int    // HTTP status, such as 400
	Method     string // request method
	Path       string // request path with its query, relative to the base URL
	Message    string // the server's own explanation, verbatim where it gave one, secrets masked
	// RetryAfter is the wait the server asked for with Retry-After (429,
	// 503), zero when it asked for none.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	status := fmt.Sprintf("%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message == "" {
		return fmt.Sprintf("%s %s: %s", e.Method, e.Path, status)
	}
	return fmt.Sprintf("%s %s: %s: %s", e.Method, e.Path, status, e.Message)
}

// checkResponse returns nil for a 2xx response and an *APIError otherwise,
// reading at most maxErrorBody bytes of the body. The caller masks the
// request's secrets in its message.
func checkResponse(resp *http.Response, method, path string, now time.Time) *APIError {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return &APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		Path:       path,
		Message:    errorMessage(body),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now),
	}
}

// errorMessage extracts the server's explanation: the Message (or message,
// error, ExceptionMessage) member of a JSON object, a JSON string, or the
// text of the body, trimmed.
func errorMessage(body []byte) string {
	var obj map[string]any
	if json.Unmarshal(body, &obj) == nil {
		for k, v := range obj {
			switch strings.ToLower(k) {
			case "message", "error", "exceptionmessage", "error_description":
				if s, ok := v.(string); ok && s != "" {
					return s
				}
			}
		}
	}
	var s string
	if json.Unmarshal(body, &s) == nil {
		return s
	}
	text := strings.TrimSpace(string(body))
	if !utf8.ValidString(text) {
		return ""
	}
	return text
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && fmt.Sprint(secs) == v {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func statusIs(err error, codes ...int) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.StatusCode == c {
			return true
		}
	}
	return false
}

// IsNotFound reports whether err is a 404 from the API.
func IsNotFound(err error) bool { return statusIs(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is a 401: wrong credentials or an
// OrgID that does not match the organization in the path.
func IsUnauthorized(err error) bool { return statusIs(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is a 403: the feature is not available to
// the organization.
func IsForbidden(err error) bool { return statusIs(err, http.StatusForbidden) }

// IsBadRequest reports whether err is a 400: missing or invalid data.
func IsBadRequest(err error) bool { return statusIs(err, http.StatusBadRequest) }

// IsRateLimited reports whether err is a 429 Too Many Requests.
func IsRateLimited(err error) bool { return statusIs(err, http.StatusTooManyRequests) }

// IsUnavailable reports whether err is a 503 Service Unavailable.
func IsUnavailable(err error) bool { return statusIs(err, http.StatusServiceUnavailable) }

// StatusCode returns the HTTP status of an *APIError in err's chain, or 0.
func StatusCode(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// UnsentError wraps a failure that provably happened before the request
// reached the server (no connection could be made), so even a POST may be
// sent again.
type UnsentError struct{ Err error }

func (e *UnsentError) Error() string { return "request not sent: " + e.Err.Error() }
func (e *UnsentError) Unwrap() error { return e.Err }

// OutcomeUnknown reports whether err leaves it unknown whether the server
// acted on the request: it was sent, and no definite answer came back (a
// timeout, a dropped connection, or a 5xx). Callers resolve such a create by
// looking the resource up before trying again.
func OutcomeUnknown(err error) bool {
	if err == nil {
		return false
	}
	var unsent *UnsentError
	if errors.As(err, &unsent) {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		// A 429 is a refusal before any work; other answers are definite
		// except the server-side failures.
		return apiErr.StatusCode >= 500
	}
	// A transport error after the connection was made: a timeout, a reset,
	// or the caller's cancellation while the request was in flight.
	return true
}

// Explain says, for a person, why a run against baseURL stopped: the
// credentials or the feature refused, the API out of reach or the
// connection lost. ok is false for an error that is none of these.
func Explain(err error, baseURL string) (msg string, ok bool) {
	var unsent *UnsentError
	var netErr net.Error
	switch {
	case IsUnauthorized(err):
		return "the iLMS API refused the credentials (401 Unauthorized): check the API login ID, the transaction key and the organization ID", true
	case IsForbidden(err):
		return fmt.Sprintf("this feature is not available to the organization (403 Forbidden): %v", err), true
	case errors.As(err, &unsent):
		return fmt.Sprintf("cannot reach the iLMS API at %s: %v", baseURL, rootCause(err)), true
	case errors.As(err, &netErr):
		return fmt.Sprintf("lost the connection to the iLMS API at %s: %v", baseURL, rootCause(err)), true
	}
	return "", false
}

// rootCause is the innermost error's message, such as "connection
// refused".
func rootCause(err error) string {
	for next := errors.Unwrap(err); next != nil; next = errors.Unwrap(err) {
		err = next
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}
