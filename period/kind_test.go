package period_test

import (
	"testing"

	"github.com/lantu/lantu/period"
)

func TestKind(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			word string
			want period.Kind
		}{
			{"year", period.Year},
			{"quarter", period.Quarter},
			{"month", period.Month},
			{"week", period.Week},
		}
		for _, tt := range tests {
			got, err := period.ParseKind(tt.word)
			if err != nil || got != tt.want {
				t.Errorf("ParseKind(%q) = %v, %v; want %v", tt.word, got, err, tt.want)
			}
			if s := tt.want.String(); s != tt.word {
				t.Errorf("%d.String() = %q, want %q", int(tt.want), s, tt.word)
			}
		}
	})
	t.Run("CoarseToFine", func(t *testing.T) {
		if !(period.Year < period.Quarter && period.Quarter < period.Month && period.Month < period.Week) {
			t.Error("kinds are not ordered coarse to fine")
		}
	})
	t.Run("ErrBadKind", func(t *testing.T) {
		for _, w := range []string{"", "Year", "day", "years", "q"} {
			if k, err := period.ParseKind(w); err == nil {
				t.Errorf("ParseKind(%q) = %v, want error", w, k)
			}
		}
	})
}
