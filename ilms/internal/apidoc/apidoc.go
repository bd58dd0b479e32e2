// Package apidoc reads the operations of the iLMS API document
// (docs/ilms-api.txt) with the JSON answers it prints, so that tests hold
// the client's types and the sandbox's answers to the document itself
// rather than to each other.
package apidoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Operation is one documented call: its title, method, the URL of its curl
// example, and the JSON answers its Response section prints.
type Operation struct {
	Title    string // the section title, such as "Get All Users / Search Users"
	Line     int    // of the title
	Method   string // from the Method section
	CurlURL  string // the URL the curl example requests, host included
	Examples []Example
}

// Example is one JSON answer of the document.
type Example struct {
	Line int    // where the JSON starts
	JSON []byte // valid JSON, repaired where the document's page breaks damaged it
}

// repair is one fix of the document's text, applied by line before the
// answers are read: the PDF the document was converted from broke some
// examples across pages, leaving a closing bracket too many or an elision.
// Each names the line and the text it expects there, so that a change of
// the document cannot be mended by accident.
type repair struct {
	line int    // 1-based
	want string // the line's text, trimmed
	with string // its replacement; drop removes the line
	drop bool
}

var repairs = []repair{
	// Get All Users: the second user's closing "}," is followed by an
	// elided "{ ..... ..... }" element.
	{line: 226, want: "},", with: "}"},
	{line: 227, want: "{", drop: true},
	{line: 228, want: ".....", drop: true},
	{line: 229, want: ".....", drop: true},
	{line: 230, want: "}", drop: true},
	// Get a User: the page breaks after "F008": "" and drops its comma.
	{line: 318, want: `"F008": ""`, with: `"F008": "",`},
	// Get Transcripts Of A User For A Specific Session: the opening quote
	// of Status became ">".
	{line: 3100, want: `>Status": "Not Started",`, with: `"Status": "Not Started",`},
	// Get All Sessions of a ILT/Event: the last session closes twice.
	{line: 3978, want: "}", drop: true},
	// Get All The Enrollments Of A Course: the second record's User closes
	// twice.
	{line: 4172, want: "}", drop: true},
	// Get All The Enrollments Of A Curriculum: the page ends with "}" and
	// "]" inside the first record, which goes on after the break.
	{line: 4432, want: "}", drop: true},
	{line: 4433, want: "]", drop: true},
	// Get All The Enrollments Of A Session: the page ends by closing the
	// second record and the list; the next page closes its Profile_Basic
	// and User again and goes on.
	{line: 4725, want: "}", drop: true},
	{line: 4726, want: "}", drop: true},
	{line: 4727, want: "}", drop: true},
	{line: 4728, want: "]", drop: true},
}

var urlRe = regexp.MustCompile(`"(https?://[^"]+)"`)

// Load reads the document at path.
func Load(path string) ([]Operation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse reads the document's text.
func Parse(doc []byte) ([]Operation, error) {
	lines := strings.Split(string(doc), "\n")
	keep := make([]bool, len(lines))
	for i := range keep {
		keep[i] = true
	}
	for _, r := range repairs {
		i := r.line - 1
		if i >= len(lines) || strings.TrimSpace(lines[i]) != r.want {
			return nil, fmt.Errorf("apidoc: line %d is not %q; the repair of the document's damaged example no longer fits", r.line, r.want)
		}
		if r.drop {
			keep[i] = false
		} else {
			lines[i] = r.with
		}
	}
	// An operation is its title, "Description:" and what follows, up to the
	// next operation's title.
	var starts, titles []int
	for i, l := range lines {
		if strings.TrimSpace(l) != "Description:" {
			continue
		}
		t := i - 1
		for t >= 0 && clean(lines[t]) == "" {
			t--
		}
		if t >= 0 {
			starts, titles = append(starts, i), append(titles, t)
		}
	}
	// The last operation ends where the reference sections begin.
	last := len(lines)
	for i, l := range lines {
		if strings.TrimSpace(l) == "Status Codes" {
			last = i
		}
	}
	var ops []Operation
	for n, d := range starts {
		end := last
		if n+1 < len(titles) {
			end = titles[n+1]
		}
		op := Operation{Title: clean(lines[titles[n]]), Line: titles[n] + 1}
		sec := ""
		var curl []string
		var resp []int // indexes of the Response section's lines
		for i := d + 1; i < end; i++ {
			s := clean(lines[i])
			switch s {
			case "Method:", "CURL Request Example:", "Response:", "Parameters:", "URL:", "HTTP Request Example:", "Response Type:":
				sec = s
				continue
			}
			if strings.HasPrefix(s, "here, content of") {
				sec = "body"
				continue
			}
			switch sec {
			case "Method:":
				if op.Method == "" && s != "" {
					op.Method = s
				}
			case "CURL Request Example:":
				curl = append(curl, s)
			case "Response:":
				if keep[i] {
					resp = append(resp, i)
				}
			}
		}
		if m := urlRe.FindAllStringSubmatch(strings.Join(curl, " "), -1); m != nil {
			op.CurlURL = strings.Join(strings.Fields(m[len(m)-1][1]), "")
		}
		exs, err := examples(lines, resp)
		if err != nil {
			return nil, fmt.Errorf("apidoc: %s (line %d): %w", op.Title, op.Line, err)
		}
		op.Examples = exs
		ops = append(ops, op)
	}
	return ops, nil
}

// clean trims a line and the code fences around it.
func clean(l string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "`"))
}

// examples finds the JSON objects and arrays among the given lines: every
// bracket that opens outside a string at the top level starts one, which
// ends where its bracket closes. Fences and prose between them are skipped.
func examples(lines []string, idx []int) ([]Example, error) {
	var out []Example
	var buf bytes.Buffer
	depth, start := 0, 0
	inString, escaped := false, false
	for _, i := range idx {
		l := lines[i]
		if strings.TrimSpace(l) == "```" {
			continue
		}
		if depth == 0 {
			j := strings.IndexAny(l, "[{")
			if j < 0 {
				continue
			}
			l, start = l[j:], i+1
			buf.Reset()
		}
		for k := 0; k < len(l); k++ {
			c := l[k]
			buf.WriteByte(c)
			switch {
			case inString && escaped:
				escaped = false
			case inString && c == '\\':
				escaped = true
			case c == '"':
				inString = !inString
			case inString:
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				depth--
				if depth == 0 {
					b := append([]byte(nil), buf.Bytes()...)
					var v any
					if err := json.Unmarshal(b, &v); err != nil {
						return nil, fmt.Errorf("the answer at line %d is not valid JSON: %v", start, err)
					}
					out = append(out, Example{Line: start, JSON: b})
					if rest := strings.TrimSpace(l[k+1:]); rest != "" && rest != "," {
						return nil, fmt.Errorf("text after the answer at line %d: %q", start, rest)
					}
					k = len(l)
				}
			}
		}
		if depth > 0 {
			buf.WriteByte('\n')
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("the answer at line %d never closes", start)
	}
	return out, nil
}
