package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, env *environment, args []string) error {
	var c common
	fs := env.flags("migrate", "migrate [--data DIR] [--db URL]", &c)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	db, err := c.open(ctx, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	current, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "数据库结构版本 schema version: %d (latest %d)\n", current, latest)
	return nil
}
