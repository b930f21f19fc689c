package storage

import (
	"context"
	"strings"

	"github.com/lantu/lantu/apperr"
)

// setting is one key of the installation's settings.
type setting struct {
	Key   string
	Value string
}

var settings = table[setting]{
	name: "settings", objectType: "setting",
	key:  []string{"key"},
	cols: []string{"key", "value"},
	args: func(s setting) []any { return []any{s.Key, s.Value} },
	scan: func(r scanner) (s setting, err error) {
		err = r.Scan(&s.Key, &s.Value)
		return s, err
	},
	id: func(s setting) string { return s.Key },
}

// Settings returns every setting.
func (db *DB) Settings(ctx context.Context) (map[string]string, error) {
	list, err := settings.list(ctx, db.read, "", "key")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, s := range list {
		out[s.Key] = s.Value
	}
	return out, nil
}

// PutSetting sets one setting.
func (tx *Tx) PutSetting(ctx context.Context, key, value string) error {
	if strings.TrimSpace(key) == "" || len(key) > 100 {
		return apperr.Invalidf("设置项名称无效", "invalid setting key")
	}
	return settings.put(ctx, tx, setting{Key: key, Value: value})
}
