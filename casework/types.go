package casework

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/storage"
)

// typesKey is the setting holding the case types in force, as JSON; empty
// or absent, the defaults (cases.DefaultTypes) are.
const typesKey = "cases.types"

// Types returns the case types in force: the city's, if it has set its
// own, else the defaults. A case keeps the copy of its type it was
// registered with, so new types change only cases registered after.
func (s *Service) Types(ctx context.Context) ([]cases.Type, error) {
	set, err := s.DB.Settings(ctx)
	if err != nil {
		return nil, err
	}
	raw := set[typesKey]
	if raw == "" {
		return cases.DefaultTypes(), nil
	}
	types, err := cases.DecodeTypes([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("casework: setting %s: %w", typesKey, err)
	}
	return types, nil
}

// Type returns the type in force with the code.
func (s *Service) Type(ctx context.Context, code string) (cases.Type, bool, error) {
	types, err := s.Types(ctx)
	if err != nil {
		return cases.Type{}, false, err
	}
	for _, t := range types {
		if t.Code == code {
			return t, true, nil
		}
	}
	return cases.Type{}, false, nil
}

// SaveTypes puts the types in force after checking them all: a faulty set
// changes nothing. Nil puts the defaults back. Audited as the actor.
func (s *Service) SaveTypes(ctx context.Context, actor audit.Actor, types []cases.Type) error {
	raw := ""
	if types != nil {
		if err := cases.ValidateTypes(types); err != nil {
			return err
		}
		data, err := json.Marshal(types)
		if err != nil {
			return fmt.Errorf("casework: types: %w", err)
		}
		raw = string(data)
	}
	return s.DB.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutSetting(ctx, typesKey, raw) })
}
