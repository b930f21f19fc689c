package main

import (
	"context"
	"errors"
	"fmt"
)

func runAudit(ctx context.Context, env *environment, args []string) error {
	const usageLine = "audit verify [--data DIR] [--db URL]"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.stdout, "用法 Usage: lantu "+usageLine+"\n\n检查审计记录的哈希链，指出第一条被修改、删除或调换顺序的记录。\n(checks the audit trail's hash chain and names the first edited, deleted or reordered row)")
		if len(args) == 0 {
			return errors.New("缺少子命令 (missing subcommand)")
		}
		return errHelp
	}
	if args[0] != "verify" {
		return fmt.Errorf("未知子命令 %q (unknown subcommand)", args[0])
	}
	var c common
	fs := env.flags("audit verify", usageLine, &c)
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := c.open(ctx, env.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	n, problem, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if problem != nil {
		return fmt.Errorf("审计记录已被篡改 (the audit trail has been tampered with): %s; 此前 %d 条完好 (%d rows before it are intact)", problem.Error(), n, n)
	}
	fmt.Fprintf(env.stdout, "审计记录完整：%d 条，哈希链无误 (the audit trail is intact: %d rows, the hash chain holds)\n", n, n)
	return nil
}
