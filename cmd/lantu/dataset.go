package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/dataset"
	"github.com/lantu/lantu/storage"
)

func runDataset(ctx context.Context, env *environment, args []string) error {
	const usageLine = "dataset export DIR | dataset import DIR [--reason TEXT] | dataset remove-samples [--reason TEXT]"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.stdout, "用法 Usage: lantu "+usageLine+"\n\n数据包格式见 docs/dataset.md (the bundle format is in docs/dataset.md)")
		if len(args) == 0 {
			return errors.New("缺少子命令 (missing subcommand)")
		}
		return errHelp
	}
	var c common
	var reason string
	fs := env.flags("dataset "+args[0], usageLine, &c)
	fs.StringVar(&reason, "reason", "", "why, for the audit trail")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	actor := audit.Actor{Name: cliActor(env), Reason: reason}
	switch args[0] {
	case "export":
		if len(rest) != 1 {
			return errors.New("用法 usage: lantu dataset export DIR")
		}
		return exportDataset(ctx, env, c, rest[0])
	case "import":
		if len(rest) != 1 {
			return errors.New("用法 usage: lantu dataset import DIR")
		}
		if actor.Reason == "" {
			actor.Reason = "导入数据包 " + rest[0] + " (dataset import)"
		}
		return importDataset(ctx, env, c, actor, rest[0])
	case "remove-samples":
		if len(rest) != 0 {
			return errors.New("用法 usage: lantu dataset remove-samples")
		}
		if actor.Reason == "" {
			actor.Reason = "删除示例数据 (remove sample data)"
		}
		db, err := c.open(ctx, env.stdout)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := dataset.RemoveSamples(ctx, db, actor)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "已删除 %d 条示例数据 (removed %d sample records)\n", n, n)
		return nil
	}
	return fmt.Errorf("未知子命令 %q (unknown subcommand); 用法 usage: lantu %s", args[0], usageLine)
}

func exportDataset(ctx context.Context, env *environment, c common, dir string) error {
	db, err := c.open(ctx, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := dataset.Export(ctx, db)
	if err != nil {
		return err
	}
	if err := dataset.Write(dir, b); err != nil {
		return err
	}
	// The whole database left the system: that is in the audit trail.
	err = db.Write(ctx, audit.Actor{Name: cliActor(env), Reason: "导出数据包 (dataset export)"}, func(tx *storage.Tx) error {
		return tx.RecordEvent(ctx, audit.Export, "dataset", dir, map[string]int{"indicators": len(b.Indicators), "values": len(b.Values), "projects": len(b.Projects)})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已导出到 %s：%d 个指标，%d 条数据，%d 个项目 (exported)\n", dir, len(b.Indicators), len(b.Values), len(b.Projects))
	return nil
}

func importDataset(ctx context.Context, env *environment, c common, actor audit.Actor, dir string) error {
	info, err := os.Stat(dir) // #nosec G703 -- the operator names the folder on the command line
	if err != nil || !info.IsDir() {
		return fmt.Errorf("%s 不是目录 (not a directory)", dir)
	}
	b, err := dataset.Read(os.DirFS(dir))
	if err != nil {
		return err
	}
	db, err := c.open(ctx, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := dataset.Load(ctx, db, actor, b); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已导入 %s：%d 个指标，%d 条数据，%d 个项目 (imported)\n", dir, len(b.Indicators), len(b.Values), len(b.Projects))
	return nil
}

// cliActor names the operator in the audit trail.
func cliActor(env *environment) string {
	user := env.getenv("USER")
	if user == "" {
		user = "unknown"
	}
	return "cli:" + user
}
