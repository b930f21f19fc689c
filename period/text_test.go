package period_test

import (
	"encoding/json"
	"testing"

	"github.com/lantu/lantu/period"
)

type row struct {
	P period.Period `json:"p"`
	K period.Kind   `json:"k"`
}

func TestJSON(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		in := row{P: period.MustParse("2021W01"), K: period.Month}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"p":"2021W01","k":"month"}`; string(b) != want {
			t.Errorf("Marshal = %s, want %s", b, want)
		}
		var out row
		if err := json.Unmarshal(b, &out); err != nil || out != in {
			t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", b, out, err, in)
		}
	})
	t.Run("ZeroIsEmpty", func(t *testing.T) {
		b, err := json.Marshal(struct{ P period.Period }{})
		if err != nil || string(b) != `{"P":""}` {
			t.Errorf("Marshal(zero) = %s, %v", b, err)
		}
		out := row{P: period.MustParse("2021")}
		if err := json.Unmarshal([]byte(`{"p":""}`), &out); err != nil || !out.P.IsZero() {
			t.Errorf(`Unmarshal("") = %+v, %v; want zero`, out.P, err)
		}
	})
	t.Run("ErrBadPeriod", func(t *testing.T) {
		var out row
		if err := json.Unmarshal([]byte(`{"p":"2021W53"}`), &out); err == nil {
			t.Error("Unmarshal(2021W53) succeeded")
		}
		if err := json.Unmarshal([]byte(`{"k":"day"}`), &out); err == nil {
			t.Error("Unmarshal(kind day) succeeded")
		}
	})
	t.Run("ErrInvalidValue", func(t *testing.T) {
		for _, p := range []period.Period{
			{Kind: period.Month, Year: 2021, N: 13},
			{Kind: period.Week, Year: 2021, N: 53},
			{Kind: period.Year, Year: 2021, N: 1},
			{Kind: 9, Year: 2021},
		} {
			if b, err := p.MarshalText(); err == nil {
				t.Errorf("%+v.MarshalText() = %q, want error", p, b)
			}
		}
	})
}
