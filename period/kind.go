package period

import (
	"fmt"

	"github.com/lantu/lantu/apperr"
)

// Kind is the length of a period. The constants run from coarse to fine, so
// k1 < k2 means a k1 period can contain k2 periods. The zero Kind is invalid,
// which keeps an unset Period distinguishable from a year.
type Kind int

// Kinds of period, coarse to fine.
const (
	Year Kind = iota + 1
	Quarter
	Month
	Week
)

// String returns the word used in files and URLs: year, quarter, month, week.
func (k Kind) String() string {
	switch k {
	case Year:
		return "year"
	case Quarter:
		return "quarter"
	case Month:
		return "month"
	case Week:
		return "week"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// LabelZH returns the Chinese word for the kind, for display.
func (k Kind) LabelZH() string {
	switch k {
	case Year:
		return "年"
	case Quarter:
		return "季度"
	case Month:
		return "月"
	case Week:
		return "周"
	}
	return k.String()
}

func (k Kind) valid() bool { return k >= Year && k <= Week }

// ParseKind parses the words returned by String.
func ParseKind(s string) (Kind, error) {
	for k := Year; k <= Week; k++ {
		if s == k.String() {
			return k, nil
		}
	}
	return 0, apperr.Invalidf("期间类型无效 %q: 应为 year、quarter、month 或 week",
		"invalid period kind %q: want year, quarter, month or week", s)
}

// MarshalText writes the kind as its word, so that JSON and CSV show
// "month" rather than 3.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.valid() {
		return nil, fmt.Errorf("period: cannot marshal invalid %v", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}
