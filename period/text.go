package period

import "fmt"

// MarshalText writes the canonical form, so a Period is a plain string in
// JSON and CSV. The zero Period is written as "" (an empty cell means "not
// given"); an invalid one is an error rather than text Parse would reject.
func (p Period) MarshalText() ([]byte, error) {
	if p.IsZero() {
		return []byte{}, nil
	}
	if !p.valid() {
		return nil, fmt.Errorf("period: cannot marshal invalid %v", p)
	}
	return []byte(p.String()), nil
}

// UnmarshalText parses what MarshalText writes; empty text gives the zero
// Period.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
