package supervision

import (
	"fmt"

	"github.com/lantu/lantu/apperr"
)

// Level is how high an order is supervised: 一般 → 重点 → 市长督办. Levels
// are ordered, so General < Key < Mayor; the zero Level is invalid.
type Level int

const (
	General Level = iota + 1 // 一般
	Key                      // 重点
	Mayor                    // 市长督办
)

// Levels lists the levels from lowest to highest.
var Levels = []Level{General, Key, Mayor}

// String returns a stable English token for APIs, storage and logs.
func (l Level) String() string {
	switch l {
	case General:
		return "general"
	case Key:
		return "key"
	case Mayor:
		return "mayor"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// LabelZH returns the Chinese label.
func (l Level) LabelZH() string {
	return map[Level]string{General: "一般", Key: "重点", Mayor: "市长督办"}[l]
}

// LabelEN returns the English label.
func (l Level) LabelEN() string {
	return map[Level]string{General: "general", Key: "key", Mayor: "mayor's supervision"}[l]
}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return l >= General && l <= Mayor }

// MarshalText writes the String token, so JSON shows "key", not 2; the
// zero Level (none, as an event's OldLevel when issued) is "".
func (l Level) MarshalText() ([]byte, error) {
	if l == 0 {
		return []byte{}, nil
	}
	if !l.Valid() {
		return nil, fmt.Errorf("supervision: invalid level %d", int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText reads what MarshalText writes.
func (l *Level) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*l = 0
		return nil
	}
	for _, v := range Levels {
		if v.String() == string(b) {
			*l = v
			return nil
		}
	}
	return apperr.Invalidf("督办级别 %q 无效：应为 general、key 或 mayor", "supervision level %q is invalid: general, key or mayor", string(b))
}
