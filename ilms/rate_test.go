package ilms

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseRate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    Rate
		wantErr bool
	}{
		{in: "10", want: 10},
		{in: " 2.5 ", want: 2.5},
		{in: "unlimited", want: Unlimited},
		{in: "Unlimited", want: Unlimited},
		{in: "auto", want: Auto},
		{in: " AUTO", want: Auto},
		{in: "0", wantErr: true},
		{in: "-5", wantErr: true},
		{in: "abc", wantErr: true},
		{in: "", wantErr: true},
		{in: "Inf", wantErr: true},
		{in: "NaN", wantErr: true},
	} {
		got, err := ParseRate(tc.in)
		if tc.wantErr {
			if !errors.Is(err, ErrRate) {
				t.Errorf("ParseRate(%q) = %v, %v; want ErrRate", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if back, err := ParseRate(got.String()); err != nil || back != got {
			t.Errorf("%v does not read back: %v, %v", got, back, err)
		}
	}
}

func TestRateAsJSON(t *testing.T) {
	t.Parallel()
	var v struct{ Rate Rate }
	if err := json.Unmarshal([]byte(`{"Rate": "unlimited"}`), &v); err != nil || v.Rate != Unlimited {
		t.Errorf("unlimited: %v, %v", v.Rate, err)
	}
	if err := json.Unmarshal([]byte(`{"Rate": "0"}`), &v); !errors.Is(err, ErrRate) {
		t.Errorf("zero: %v, want ErrRate", err)
	}
	v.Rate = 12.5
	if b, err := json.Marshal(v); err != nil || string(b) != `{"Rate":"12.5"}` {
		t.Errorf("marshal: %s, %v", b, err)
	}
}
