package wiki

import (
	"errors"
	"fmt"
)

// Error codes. They are the vocabulary shared between storage, tenant and
// web: a layer that fails says what kind of failure it is, and web alone
// decides which HTTP status that becomes.
const (
	ECONFLICT           = "conflict"            // the thing changed under the caller (merge conflict, lost CAS)
	EINTERNAL           = "internal"            // a bug or an I/O failure; details go to the log, not the user
	EINVALID            = "invalid"             // malformed input: bad slug, bad page path, bad JSON
	ENOTFOUND           = "not_found"           // no such wiki, page or revision (or not visible to the caller)
	EUNAUTHORIZED       = "unauthorized"        // credentials are needed or were wrong
	EFORBIDDEN          = "forbidden"           // the caller is known but lacks the role
	EPRECONDITION       = "precondition_failed" // If-Match named a revision that is no longer current
	EPRECONDITIONNEEDED = "precondition_required"
	ETOOLARGE           = "too_large"            // a body, blob or push over its limit
	ETIMEOUT            = "timeout"              // the request (its body) did not arrive in time
	EUNAVAILABLE        = "unavailable"          // this wiki cannot be served now (corrupt or too-new wiki.db)
	EEXISTS             = "exists"               // creating something that is already there
	EMETHOD             = "method_not_allowed"   // the resource does not offer this operation
	EQUOTA              = "quota_exceeded"       // the write would take the wiki past its quota
	ETHROTTLED          = "too_many_requests"    // the caller's write rate is used up for now
	ENOSPACE            = "insufficient_storage" // the disk (or the OS quota) is full: nothing was written
)

// Error is an application error: a code for machines and a message that is
// safe to show to the user who caused it.
type Error struct {
	Code    string
	Message string
}

// Error renders the error for logs.
func (e *Error) Error() string {
	return fmt.Sprintf("wiki error: code=%s message=%s", e.Code, e.Message)
}

// Errorf builds an application error so callers can return a user-facing
// message together with the code that decides the HTTP status.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode unwraps err to the application code, so that any wrapped
// failure that is not ours is treated as internal rather than leaked.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message; internal errors get a generic
// text so that paths and driver messages never reach a browser.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// NoSpaceMessage is what a writer is told when the disk is full, whichever
// layer noticed it first.
const NoSpaceMessage = "The server's disk is full, so nothing was saved. Reading still works; try again once space has been freed."
