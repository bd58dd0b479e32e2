package sandbox

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyTheRules: of this module, the sandbox imports validate's
// rules and tables and internal/synth, nothing else (not the client, whose
// mistakes it would then share).
func TestImportsOnlyTheRules(t *testing.T) {
	const module = "github.com/ilms-bulk/ilms-bulk"
	allowed := map[string]bool{module + "/validate": true, module + "/internal/synth": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if (path == module || strings.HasPrefix(path, module+"/")) && !allowed[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
