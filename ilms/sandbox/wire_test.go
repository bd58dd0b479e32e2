package sandbox

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ilms-bulk/ilms-bulk/ilms/internal/apidoc"
)

// shape maps every member path of a JSON value ("[].Profile.F001") to the
// kinds of value found there: string, integer, decimal (a number written
// with a point or exponent), bool, object, array or null.
type shape map[string]map[string]bool

func shapeOf(t *testing.T, b []byte) shape {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	s := shape{}
	s.add("", v)
	return s
}

func (s shape) add(path string, v any) {
	kind := ""
	switch x := v.(type) {
	case nil:
		kind = "null"
	case string:
		kind = "string"
	case bool:
		kind = "bool"
	case json.Number:
		kind = "integer"
		if strings.ContainsAny(x.String(), ".eE") {
			kind = "decimal"
		}
	case []any:
		kind = "array"
		for _, e := range x {
			s.add(path+"[]", e)
		}
	case map[string]any:
		kind = "object"
		for k, e := range x {
			s.add(path+"."+k, e)
		}
	}
	if s[path] == nil {
		s[path] = map[string]bool{}
	}
	s[path][kind] = true
}

// element is the shape of a list's items, or of a single answer: lists
// and single answers of one kind (Get All Users, Get a User) compare alike.
func (s shape) element() shape {
	if s[""]["array"] {
		out := shape{}
		for p, kinds := range s {
			if rest, ok := strings.CutPrefix(p, "[]"); ok {
				out[rest] = kinds
			}
		}
		return out
	}
	return s
}

// signature names a kind of answer by its member paths.
func (s shape) signature() string { return strings.Join(slices.Sorted(maps.Keys(s)), " ") }

func (s shape) merge(o shape) {
	for p, kinds := range o {
		if s[p] == nil {
			s[p] = map[string]bool{}
		}
		maps.Copy(s[p], kinds)
	}
}

// TestAnswersHaveTheDocumentsShapes requests every documented GET of the
// seed organization as its curl example does, and compares the answer with
// the operation's JSON in the document: the same member paths, and at each
// one only kinds of value the document shows there (a string where it
// prints "10", 0.0 where it prints 0.0; 0.0 may stand where it prints 0,
// never 0 where it prints 0.0). Answers with the same members (the four
// transcript answers, the user lists) inform each other: a member may be
// null where one of them shows it null, and where this example shows only
// null it may hold what the others show; where every one shows null it may
// hold anything.
func TestAnswersHaveTheDocumentsShapes(t *testing.T) {
	ops, err := apidoc.Load("../../docs/ilms-api.txt")
	if err != nil {
		t.Fatal(err)
	}
	docShape := map[string]shape{} // by operation title
	bySignature := map[string]shape{}
	for _, op := range ops {
		sh := shape{}
		for _, ex := range op.Examples {
			sh.merge(shapeOf(t, ex.JSON).element())
		}
		if len(sh) == 0 {
			continue
		}
		docShape[op.Title] = sh
		if bySignature[sh.signature()] == nil {
			bySignature[sh.signature()] = shape{}
		}
		bySignature[sh.signature()].merge(sh)
	}
	_, hs := serve(t, Options{Now: func() time.Time { return seedEpoch }})
	checked := 0
	for _, op := range ops {
		if op.Method != http.MethodGet || docShape[op.Title] == nil {
			continue
		}
		u, err := url.Parse(op.CurlURL)
		if err != nil {
			t.Fatal(err)
		}
		line := op.Examples[0].Line
		t.Run(op.Title, func(t *testing.T) {
			resp := call(t, hs, "GET", u.RequestURI(), "")
			var body bytes.Buffer
			body.ReadFrom(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s %s", u.RequestURI(), resp.Status, body.Bytes())
			}
			doc, group := docShape[op.Title], bySignature[docShape[op.Title].signature()]
			got := shapeOf(t, body.Bytes())
			if got[""]["array"] != shapeOf(t, op.Examples[0].JSON)[""]["array"] {
				t.Errorf("line %d: a list where the document has one object, or the reverse: %.200s", line, body.Bytes())
			}
			got = got.element()
			for _, p := range slices.Sorted(maps.Keys(doc)) {
				if got[p] == nil {
					t.Errorf("line %d: the answer lacks %s", line, p)
				}
			}
			for _, p := range slices.Sorted(maps.Keys(got)) {
				want := doc[p]
				if want == nil {
					t.Errorf("line %d: the answer has %s, which the document does not show", line, p)
					continue
				}
				if len(want) == 1 && want["null"] {
					want = group[p]
				}
				if len(want) == 1 && want["null"] {
					continue
				}
				for k := range got[p] {
					if !want[k] && !(k == "null" && group[p]["null"]) && !(k == "decimal" && want["integer"]) {
						t.Errorf("line %d: %s is %s in the answer, %v in the document", line, p, k, slices.Sorted(maps.Keys(want)))
					}
				}
			}
			checked++
		})
	}
	if checked != 26 {
		t.Errorf("%d GET operations compared, want the document's 26", checked)
	}
}
