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
// rules and tables, internal/synth and its own limit package, nothing else;
// limit imports validate only. Above all not the client it serves: were
// its answers encoded with the client's structs, a member the client
// decodes wrongly would be encoded the same wrong way and every test
// would pass.
func TestImportsOnlyTheRules(t *testing.T) {
	const module = "github.com/ilms-bulk/ilms-bulk"
	for dir, allowed := range map[string]map[string]bool{
		".":     {module + "/validate": true, module + "/internal/synth": true, module + "/ilms/sandbox/limit": true},
		"limit": {module + "/validate": true},
	} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v files, %v", dir, len(files), err)
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
}
