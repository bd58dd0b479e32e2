package ilms

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// Redacted stands in for a secret in what the client says.
const Redacted = "<redacted>"

// secrets are the values a request carries that must never be said: the
// transaction key, and the passwords of its body. A server that echoes a
// request in its answer (a proxy, a validation message quoting the value
// it refused) would otherwise put them in an error, and from there in
// result sheets, journals and logs.
type secrets []string

// secretsOf lists the secrets of a request with body: the client's
// transaction key and the passwords the body sets (F016 of a user's
// create or update, a password reset's new password).
func (c *Client) secretsOf(body any) secrets {
	s := secrets{c.creds.TransactionKey}
	password := func(fields []ProfileField) {
		for _, f := range fields {
			if strings.EqualFold(f.Key, "F016") {
				s = append(s, f.Value)
			}
		}
	}
	switch b := body.(type) {
	case NewUser:
		password(b.UserProfileData)
	case []ProfileField:
		password(b)
	case passwordBody:
		s = append(s, b.NewPassword)
	}
	return s
}

// redact replaces every secret in text with Redacted: as written, and as
// a JSON encoder writes it (with "&", "<", ">" escaped or not, "/"
// escaped or not).
func (s secrets) redact(text string) string {
	for _, v := range s {
		if v == "" {
			continue
		}
		for _, form := range jsonForms(v) {
			text = strings.ReplaceAll(text, form, Redacted)
		}
	}
	return text
}

// jsonForms are the ways v may be written in a text: as is, and inside a
// JSON string as encoders escape it.
func jsonForms(v string) []string {
	forms := []string{v}
	var plain strings.Builder
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	html, _ := json.Marshal(v)
	for _, q := range []string{strings.TrimSpace(plain.String()), string(html)} {
		e := q[1 : len(q)-1]
		for _, form := range []string{e, strings.ReplaceAll(e, "/", `\/`)} {
			if !slices.Contains(forms, form) {
				forms = append(forms, form)
			}
		}
	}
	return forms
}

// RedactURL is raw with the password of its user information, if it has
// one, masked as url.URL.Redacted masks it: a base URL may carry
// credentials for a proxy, and it is said in messages and summaries.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil {
		if u.User == nil {
			return raw
		}
		return u.Redacted()
	}
	// Unparsable: mask what would be the user information.
	if i := strings.Index(raw, "://"); i >= 0 {
		if j := strings.LastIndex(raw, "@"); j > i {
			return raw[:i+3] + "xxxxx" + raw[j:]
		}
	}
	return raw
}
