package ilms

import (
	"strings"
	"testing"
	"time"
)

func TestUserQueryEncoding(t *testing.T) {
	jan := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	dec := time.Date(2012, 12, 31, 23, 59, 59, 0, time.UTC)
	for _, tc := range []struct {
		name string
		q    *UserQuery
		want string
	}{
		{"nil", nil, ""},
		{"exact", NewUserQuery().Exact("F001", "John"), `F001=%22John%22`},
		{"contains", NewUserQuery().Contains("F001", "John"), `F001=John`},
		{"starts", NewUserQuery().StartsWith("F001", "Jo"), `F001=Jo%2A`},
		{"ends", NewUserQuery().EndsWith("F001", "hn"), `F001=%2Ahn`},
		{"range", NewUserQuery().Between("F005", jan, dec), `F005=%28From%3A2012-01-01T00%3A00%3A00To%3A2012-12-31T23%3A59%3A59%29`},
		{"from only", NewUserQuery().Between("F005", jan, time.Time{}), `F005=%28From%3A2012-01-01T00%3A00%3A00%29`},
		{"to only", NewUserQuery().Between("F005", time.Time{}, dec), `F005=%28To%3A2012-12-31T23%3A59%3A59%29`},
		{"plus and at", NewUserQuery().Exact("F015", "john+1@email.com"), `F015=%22john%2B1%40email.com%22`},
		{"ampersand", NewUserQuery().Contains("F022", "Smith & Sons"), `F022=Smith+%26+Sons`},
		{"groups", NewUserQuery().InGroups(363, 370, 384), `groupids=363%2C370%2C384`},
		{"status", NewUserQuery().WithStatus("active", "Inactive"), `userstatus=active%2Cinactive`},
		{"sort desc", NewUserQuery().SortBy("f019", true), `sort=-F019`},
		{"same field twice keeps the last", NewUserQuery().Contains("F001", "a").StartsWith("F001", "b"), `F001=b%2A`},
		{"combined", NewUserQuery().StartsWith("F003", "Do").WithStatus("deleted").SortBy("F001", false), `F003=Do%2A&sort=F001&userstatus=deleted`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.q.Values()
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Encode(); got != tc.want {
				t.Errorf("got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestUserQueryErrors(t *testing.T) {
	for name, q := range map[string]*UserQuery{
		"unsupported sort": NewUserQuery().SortBy("F005", false),
		"bad status":       NewUserQuery().WithStatus("gone"),
		"not a field code": NewUserQuery().Contains("FirstName", "x"),
		"empty date range": NewUserQuery().Between("F005", time.Time{}, time.Time{}),
	} {
		if _, err := q.Values(); err == nil || !strings.HasPrefix(err.Error(), "ilms: ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	c, _ := setup(t)
	for _, err := range c.Users.List(NewUserQuery().SortBy("F099", false)).All(ctx(t)) {
		if err == nil {
			t.Error("a pager over a bad query yielded no error")
		}
	}
}
