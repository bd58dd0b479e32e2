package ilms

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// UsersService covers the Users section of the document.
type UsersService service

// User is a user object as Get All Users and Get a User return it.
type User struct {
	ID         int64   `json:"ID"`
	UserStatus string  `json:"UserStatus"` // Active, Inactive or Deleted
	Profile    Profile `json:"Profile"`
}

// Profile holds the user profile fields by their data codes, exactly as the
// API spells them. F005 and F032 are dates that may be null; F016 (password)
// is always null when read.
type Profile struct {
	F001    string  `json:"F001"` // First Name
	F002    string  `json:"F002"` // Middle Name
	F003    string  `json:"F003"` // Last Name
	F004    string  `json:"F004"` // Employee ID
	F005    *Date   `json:"F005"` // Hire Date
	F006    string  `json:"F006"` // User Language
	F007    string  `json:"F007"` // Job Title
	F008    string  `json:"F008"` // Address 1
	F009    string  `json:"F009"` // Address 2
	F010    string  `json:"F010"` // City
	F011    string  `json:"F011"` // Country
	F012    string  `json:"F012"` // State (US or Canada)
	F013    string  `json:"F013"` // State/Province/Region (non US or Canadian)
	F014    string  `json:"F014"` // Zip Code/Postal Code
	F015    string  `json:"F015"` // Email ID
	F016    *string `json:"F016"` // Password: never returned
	F017    string  `json:"F017"` // Phone
	F018    string  `json:"F018"` // Fax
	F019    string  `json:"F019"` // Region
	F019_ID int64   `json:"F019_ID"`
	F020    string  `json:"F020"` // Division
	F020_ID int64   `json:"F020_ID"`
	F021    string  `json:"F021"` // Department
	F021_ID int64   `json:"F021_ID"`
	F022    string  `json:"F022"` // Company/Employer
	F023    string  `json:"F023"` // Time Zone
	F024    string  `json:"F024"` // Custom Field 1
	F025    string  `json:"F025"` // Custom Field 2
	F026    string  `json:"F026"` // Custom Field 3
	F027    string  `json:"F027"` // Custom Field 4
	F031    string  `json:"F031"` // Registration Type (read only)
	F032    *Date   `json:"F032"` // Registration Date (read only)
	F033    string  `json:"F033"` // Supervisor Name
	F034    string  `json:"F034"` // Supervisor Email
}

var profileIndex = sync.OnceValue(func() map[string]int {
	t := reflect.TypeFor[Profile]()
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		m[t.Field(i).Tag.Get("json")] = i
	}
	return m
})

// Get returns the value of field code ("F001", "F019_ID", …) as text: dates
// in DateLayout, IDs in decimal, null as "". An unknown code gives "".
func (p *Profile) Get(code string) string {
	i, ok := profileIndex()[code]
	if !ok {
		return ""
	}
	switch v := reflect.ValueOf(p).Elem().Field(i).Interface().(type) {
	case string:
		return v
	case *string:
		if v == nil {
			return ""
		}
		return *v
	case *Date:
		if v == nil {
			return ""
		}
		return v.String()
	case int64:
		if v == 0 {
			return ""
		}
		return strconv.FormatInt(v, 10)
	}
	return ""
}

// Set stores value in field code, parsing dates and IDs; it reports whether
// the code names a field and the value fits it. An empty value clears.
func (p *Profile) Set(code, value string) bool {
	i, ok := profileIndex()[code]
	if !ok {
		return false
	}
	f := reflect.ValueOf(p).Elem().Field(i)
	switch f.Interface().(type) {
	case string:
		f.SetString(value)
	case *string:
		if value == "" {
			f.Set(reflect.Zero(f.Type()))
		} else {
			f.Set(reflect.ValueOf(&value))
		}
	case *Date:
		if value == "" {
			f.Set(reflect.Zero(f.Type()))
			return true
		}
		d, err := ParseDate(value)
		if err != nil {
			return false
		}
		f.Set(reflect.ValueOf(&d))
	case int64:
		if value == "" {
			f.SetInt(0)
			return true
		}
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return false
		}
		f.SetInt(n)
	}
	return true
}

// ProfileField is one key/value pair of a create or update body.
type ProfileField struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// NewUser is the body of Create a User.
type NewUser struct {
	UserProfileData           []ProfileField `json:"userProfileData"`
	SendRegistrationMail      bool           `json:"sendRegistrationMail"`
	ChangePasswordAtNextLogin bool           `json:"changePasswordAtNextLogin"`
}

// UserStatus values for the userstatus filter.
const (
	StatusActive   = "active"
	StatusInactive = "inactive"
	StatusDeleted  = "deleted"
)

// List returns the users matching q (all active users when q is nil) as a
// pager. GET /organizations/{orgID}/users
func (s *UsersService) List(q *UserQuery) *Pager[User] {
	values, err := q.Values()
	return newPager[User](s.client, s.client.orgPath("users"), values, err)
}

// Find returns the user whose field code equals value, without regard to
// case, among the users q selects (nil: every status; q gains the term), or nil when there is
// none. It is Search Users with an exact term, one small page: a key such
// as an email or an employee ID belongs to one user.
func (s *UsersService) Find(ctx context.Context, q *UserQuery, code, value string) (*User, error) {
	if q == nil {
		q = NewUserQuery().WithStatus(StatusActive, StatusInactive, StatusDeleted)
	}
	users, _, err := s.List(q.Exact(code, value)).PerPage(10).Page(ctx, 1)
	if err != nil {
		return nil, err
	}
	for i := range users {
		if strings.EqualFold(users[i].Profile.Get(code), value) {
			return &users[i], nil
		}
	}
	return nil, nil
}

// Get returns one user. GET /organizations/{orgID}/users/{userid}
func (s *UsersService) Get(ctx context.Context, userID int64) (*User, error) {
	var u User
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("users", id(userID)), nil, nil, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Create creates a user and returns its ID. POST /organizations/{orgID}/users
func (s *UsersService) Create(ctx context.Context, u NewUser) (int64, error) {
	if u.UserProfileData == nil {
		u.UserProfileData = []ProfileField{}
	}
	return s.client.create(ctx, s.client.orgPath("users"), nil, u)
}

// Update changes only the fields given; the rest of the profile stays.
// Region, division and department (F019, F020, F021) change only together:
// an update that names one or two of them is refused with a
// *HierarchyError before anything is sent, since the API would answer 204
// and change none of them. PUT /organizations/{orgID}/users/{userid}
func (s *UsersService) Update(ctx context.Context, userID int64, fields []ProfileField) error {
	if fields == nil {
		fields = []ProfileField{}
	}
	if err := checkHierarchy(userID, fields); err != nil {
		return err
	}
	_, err := s.client.do(ctx, http.MethodPut, s.client.orgPath("users", id(userID)), nil, fields, nil)
	return err
}

// Activate activates a user account. PUT /organizations/{orgID}/users/{userID}/Activate
func (s *UsersService) Activate(ctx context.Context, userID int64) error {
	_, err := s.client.do(ctx, http.MethodPut, s.client.orgPath("users", id(userID), "Activate"), nil, nil, nil)
	return err
}

// Inactivate inactivates a user account. DELETE /organizations/{orgID}/users/{userID}/Activate
func (s *UsersService) Inactivate(ctx context.Context, userID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("users", id(userID), "Activate"), nil, nil, nil)
	return err
}

// Delete deletes a user account (it remains listable with
// userstatus=deleted). DELETE /organizations/{orgID}/users/{userID}
func (s *UsersService) Delete(ctx context.Context, userID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("users", id(userID)), nil, nil, nil)
	return err
}

// Purge removes a user account for good. DELETE /organizations/{orgID}/users/{userID}/purge
func (s *UsersService) Purge(ctx context.Context, userID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("users", id(userID), "purge"), nil, nil, nil)
	return err
}

// passwordBody is the document's example body: lower-case keys, and the
// flag as the string "true" or "false".
type passwordBody struct {
	NewPassword               string `json:"newpassword"`
	ChangePasswordAtNextLogin string `json:"changepasswordatnextlogin"`
}

// ResetPassword sets a new password and whether the user must change it at
// the next login. PUT /organizations/{orgID}/users/{userID}/password
func (s *UsersService) ResetPassword(ctx context.Context, userID int64, newPassword string, changeAtNextLogin bool) error {
	body := passwordBody{NewPassword: newPassword, ChangePasswordAtNextLogin: strconv.FormatBool(changeAtNextLogin)}
	_, err := s.client.do(ctx, http.MethodPut, s.client.orgPath("users", id(userID), "password"), nil, body, nil)
	return err
}

// hierarchyCodes are the fields that change only together (line 464 of the
// document: "Region(F019), Division(F020) and Department(F021) needs to be
// passed together").
var hierarchyCodes = []string{"F019", "F020", "F021"}

// HierarchyError is a user update that names one or two of Region (F019),
// Division (F020) and Department (F021) but not all three. The API answers
// such an update 204 and leaves the user where they were, so the client
// refuses it: send the user's current values for the ones that stay.
type HierarchyError struct {
	UserID  int64
	Given   []string // the codes the update names, in F019, F020, F021 order
	Missing []string // the codes it leaves out
}

func (e *HierarchyError) Error() string {
	return fmt.Sprintf("update user %d: region, division and department (F019, F020, F021) change only together; the update gives %s without %s",
		e.UserID, strings.Join(e.Given, " and "), strings.Join(e.Missing, " and "))
}

func checkHierarchy(userID int64, fields []ProfileField) error {
	var given, missing []string
	for _, code := range hierarchyCodes {
		if slices.ContainsFunc(fields, func(f ProfileField) bool { return strings.EqualFold(strings.TrimSpace(f.Key), code) }) {
			given = append(given, code)
		} else {
			missing = append(missing, code)
		}
	}
	if len(given) == 0 || len(missing) == 0 {
		return nil
	}
	return &HierarchyError{UserID: userID, Given: given, Missing: missing}
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// userRef is the body that names a user for membership, list and
// enrollment calls: {"userid":"444038"}, the ID as a string.
type userRef struct {
	UserID string `json:"userid"`
}

func refUser(userID int64) userRef { return userRef{UserID: id(userID)} }

// FormatID writes a numeric ID in decimal.
func FormatID(n int64) string { return strconv.FormatInt(n, 10) }
