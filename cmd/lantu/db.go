package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/storage"
)

func runDB(ctx context.Context, env *environment, args []string) error {
	const usageLine = "db grant-app ROLE --db postgres://OWNER@…"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.stdout, "用法 Usage: lantu "+usageLine+`

以表的所有者身份运行：授予 ROLE 运行 lantu serve 所需的权限，但不授予修改或删除审计记录的权限。
之后用 ROLE 的账号运行 lantu serve --db postgres://ROLE@…，应用本身就无法改写审计记录。
(Run as the tables' owner: grants ROLE what lantu serve needs, but no UPDATE, DELETE or
TRUNCATE on the audit trail. Then run lantu serve --db postgres://ROLE@… and the
application itself cannot rewrite its audit trail.)`)
		if len(args) == 0 {
			return errors.New("缺少子命令 (missing subcommand)")
		}
		return errHelp
	}
	if args[0] != "grant-app" {
		return fmt.Errorf("未知子命令 %q (unknown subcommand)", args[0])
	}
	var c common
	fs := env.flags("db grant-app", usageLine, &c)
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("用法 usage: lantu " + usageLine)
	}
	db, err := c.open(ctx, env.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Engine() != storage.Postgres {
		return errors.New("grant-app 只用于 PostgreSQL；SQLite 没有数据库角色 (grant-app is for PostgreSQL; SQLite has no roles)")
	}
	err = db.Write(ctx, audit.Actor{Name: cliActor(env), Reason: "授予应用角色权限 (grant the application role)"}, func(tx *storage.Tx) error {
		return tx.GrantApp(ctx, rest[0])
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已授权 %s：可读写业务数据，审计记录只能追加 (granted: read and write data, append-only audit trail)\n", rest[0])
	return nil
}
