package export

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/ilms-bulk/ilms-bulk/ilms"
	"github.com/ilms-bulk/ilms-bulk/internal/ordered"
	"github.com/ilms-bulk/ilms-bulk/mapping"
	"github.com/ilms-bulk/ilms-bulk/org"
	"github.com/ilms-bulk/ilms-bulk/report"
	"github.com/ilms-bulk/ilms-bulk/validate"
)

// UsersOptions are the options of a users export.
type UsersOptions struct {
	UserFilter
	// Fields are the columns, in order, by code or name: ID, UserStatus,
	// F001 … F034 but F016 (the password, which the API never returns);
	// none: all of them.
	Fields []string
	// Headers heads the columns with the field codes (F001, …: "codes"
	// or "") or with the document's names (First Name, …: "names").
	Headers string
	Reading
}

// Check checks the options without a request.
func (o UsersOptions) Check() error {
	if o.Headers != "" && o.Headers != HeaderCodes && o.Headers != HeaderNames {
		return &validate.OptionError{Option: OptionHeaders, Value: o.Headers, Rule: validate.ErrInvalid, Detail: "give codes or names"}
	}
	if _, err := columns(o.Fields); err != nil {
		return err
	}
	_, err := o.query()
	return err
}

// Users exports the users the filter chooses, one row each: the ID, the
// status and the profile fields asked for. Such a file imports again as
// it is: its ID column names each user. It returns how many rows it
// wrote.
func Users(ctx context.Context, c *ilms.Client, opts UsersOptions, out Sink) (int, error) {
	if err := opts.Check(); err != nil {
		return 0, err
	}
	cols, _ := columns(opts.Fields)
	q, err := opts.Query(ctx, c, opts.workers())
	if err != nil {
		return 0, err
	}
	if err := out.Header(report.UserHeader(cols, opts.Headers == HeaderNames)); err != nil {
		return 0, err
	}
	n := 0
	var vals []any
	for u, err := range c.Users.List(q).Fetch(ctx, opts.workers()) {
		if err != nil {
			return n, fmt.Errorf("reading users: %w", err)
		}
		vals = report.UserValues(vals, &u, cols)
		if err := out.Row(vals); err != nil {
			return n, err
		}
		n++
		opts.rowDone()
	}
	return n, nil
}

// The headers of a users export.
const (
	HeaderCodes = "codes"
	HeaderNames = "names"
)

// columns reads the fields of a users export: codes or names of profile
// fields, ID and status.
func columns(fields []string) ([]string, error) {
	if len(fields) == 0 {
		return report.UserColumns(), nil
	}
	var cols []string
	for _, name := range fields {
		fail := func(format string, args ...any) ([]string, error) {
			return nil, &validate.OptionError{Option: OptionFields, Rule: validate.ErrUnknownField, Detail: fmt.Sprintf(format, args...)}
		}
		i := mapping.Resolve(mapping.Users, name)
		if i < 0 {
			hint := ""
			if s := mapping.Suggest(mapping.Users, name); s != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", s)
			}
			return fail("%q is not a user field%s; give codes F001 … F034, ID and UserStatus, or the document's names", name, hint)
		}
		col := mapping.FieldsOf(mapping.Users)[i].ID
		switch col {
		case mapping.UserID:
			col = report.ColumnID
		case mapping.Status:
			col = report.ColumnUserStatus
		case "F016":
			return fail("the API never returns passwords (F016)")
		case mapping.Groups, mapping.Courses:
			return fail("%q is not part of a user record; export enrollments for courses", name)
		}
		if slices.Contains(cols, col) {
			return nil, &validate.OptionError{Option: OptionFields, Rule: validate.ErrDuplicate,
				Detail: fmt.Sprintf("%q names %s, which is already a column", name, col)}
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// TranscriptsOptions are the options of a transcripts export: the users
// named, or else the users the filter chooses.
type TranscriptsOptions struct {
	UserFilter
	Users []string // users by iLMS ID, email or employee ID
	Reading
	// OnUnknown is called, before any transcript is read, with each of
	// Users that names nobody; may be nil.
	OnUnknown func(key string)
}

// Check checks the options without a request.
func (o TranscriptsOptions) Check() error {
	if len(o.Users) > 0 && !o.empty() {
		return &validate.OptionError{Option: OptionUser, Rule: validate.ErrConflict,
			Detail: "name users, or choose them by status, group and search, not both"}
	}
	_, err := o.query()
	return err
}

// Transcripts exports the transcripts of the users named or chosen: one
// row per user and course, curriculum or session, in the users' order,
// several users' transcripts read at once. When some named users are not
// in iLMS it exports the others and returns an *UnknownUsersError.
func Transcripts(ctx context.Context, c *ilms.Client, opts TranscriptsOptions, out Records) (int, error) {
	if err := opts.Check(); err != nil {
		return 0, err
	}
	var users iter.Seq2[ilms.User, error]
	var unknown []string
	if len(opts.Users) > 0 {
		found, missing, err := findUsers(ctx, c, opts.Users)
		if err != nil {
			return 0, err
		}
		for _, key := range missing {
			if opts.OnUnknown != nil {
				opts.OnUnknown(key)
			}
		}
		users, unknown = seqOf(found), missing
	} else {
		q, err := opts.Query(ctx, c, opts.workers())
		if err != nil {
			return 0, err
		}
		users = c.Users.List(q).Fetch(ctx, opts.workers())
	}
	type lines struct {
		u  ilms.User
		ts []ilms.Transcript
	}
	n := 0
	err := ordered.Map(ctx, users, opts.workers(), func(ctx context.Context, u ilms.User) (lines, error) {
		ts, err := c.Transcripts.OfUser(ctx, u.ID)
		if err != nil {
			return lines{}, fmt.Errorf("reading the transcript of user %d: %w", u.ID, err)
		}
		return lines{u, ts}, nil
	}, func(l lines) error {
		for i := range l.ts {
			if err := out.Write(report.NewTranscriptRecord(&l.u, &l.ts[i])); err != nil {
				return err
			}
			n++
			opts.rowDone()
		}
		return nil
	})
	if err == nil && len(unknown) > 0 {
		err = &UnknownUsersError{Keys: unknown}
	}
	return n, err
}

// findUsers looks up the users keys name, in order: a number is an iLMS
// ID (or else an employee ID), a value with @ an email, anything else an
// employee ID. Keys that name nobody are returned in unknown.
func findUsers(ctx context.Context, c *ilms.Client, keys []string) (users []ilms.User, unknown []string, err error) {
	for _, key := range keys {
		key = strings.TrimSpace(key)
		u, err := findUser(ctx, c, key)
		switch {
		case err != nil:
			return nil, nil, err
		case u == nil:
			unknown = append(unknown, key)
		default:
			users = append(users, *u)
		}
	}
	return users, unknown, nil
}

func findUser(ctx context.Context, c *ilms.Client, key string) (*ilms.User, error) {
	if isID(key) {
		if u, err := org.Find(ctx, c, org.Key{Field: org.KeyID, Value: key}, nil); u != nil || err != nil {
			return u, wrapLookup(key, err)
		}
	}
	code := "F004"
	if strings.Contains(key, "@") {
		code = "F015"
	}
	u, err := org.Find(ctx, c, org.Key{Field: code, Value: key}, ilms.NewUserQuery().WithStatus(ilms.StatusActive, ilms.StatusInactive))
	return u, wrapLookup(key, err)
}

func wrapLookup(key string, err error) error {
	if err != nil {
		return fmt.Errorf("looking up user %q: %w", key, err)
	}
	return nil
}

// UnknownUsersError says that some of the users a transcripts export
// names (by ID, email or employee ID) are not in iLMS; the others were
// exported.
type UnknownUsersError struct {
	Keys []string
}

func (e *UnknownUsersError) Error() string {
	q := make([]string, len(e.Keys))
	for i, k := range e.Keys {
		q[i] = strconv.Quote(k)
	}
	return "no user has the ID, email or employee ID " + strings.Join(q, ", ") + "; the others were exported"
}

// Partial marks the error as a run that finished with part of what was
// asked: the others were exported.
func (e *UnknownUsersError) Partial() bool { return true }
