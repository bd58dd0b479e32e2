package ilmsbulk

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	const rev = "ae942e3c1f0a6b7d8e9f00112233445566778899"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"go install module@version", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, true, "v1.4.0"},
		{"go build in a checkout", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201093355-ae942e3c1f0a+dirty"}, Settings: vcs("true")}, true, "v0.0.0-20261201093355-ae942e3c1f0a+dirty"},
		{"a revision, clean", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")}, true, rev},
		{"a revision, changed", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")}, true, rev + "+dirty"},
		{"nothing recorded (-buildvcs=false)", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "(devel)"},
		{"no build information", nil, false, "(devel)"},
	} {
		if got := buildVersion(tc.info, tc.ok); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionIsTheBuilds: what this test binary recorded, not a constant.
func TestVersionIsTheBuilds(t *testing.T) {
	if want := buildVersion(debug.ReadBuildInfo()); Version != want {
		t.Errorf("Version = %q, want the build's %q", Version, want)
	}
}
