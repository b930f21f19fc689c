package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/cases"
	"github.com/lantu/lantu/casework"
)

// runCases shows or sets the case types in force: their clocks, windows,
// results and transition tables are data a city may change.
func runCases(ctx context.Context, env *environment, args []string) error {
	const usageLine = "cases types [--load FILE.json | --defaults] [--reason TEXT]   (without --load or --defaults: print the types in force as JSON)"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.stdout, "用法 Usage: lantu "+usageLine)
		if len(args) == 0 {
			return errors.New("缺少子命令 (missing subcommand)")
		}
		return errHelp
	}
	if args[0] != "types" {
		return fmt.Errorf("未知子命令 %q (unknown subcommand)", args[0])
	}
	var c common
	var load, reason string
	var defaults bool
	fs := env.flags("cases types", usageLine, &c)
	fs.StringVar(&load, "load", "", "put the types in this JSON file in force (all checked first; a faulty file changes nothing)")
	fs.BoolVar(&defaults, "defaults", false, "put the default types back in force")
	fs.StringVar(&reason, "reason", "", "why (required with --load and --defaults; kept in the audit trail)")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 0 || (load != "" && defaults) {
		return errors.New("用法 usage: lantu " + usageLine)
	}
	show := load == "" && !defaults
	log := env.stdout
	if show {
		log = env.stderr // stdout is the JSON alone, to save as a file
	}
	db, err := c.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := casework.New(db)
	if show {
		types, err := svc.Types(ctx)
		if err != nil {
			return err
		}
		out, err := json.MarshalIndent(types, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(env.stdout, string(out))
		return err
	}
	if reason == "" {
		return errors.New("请用 --reason 说明原因 (--reason is required)")
	}
	actor := audit.Actor{Name: cliActor(env), Reason: reason}
	if defaults {
		if err := svc.SaveTypes(ctx, actor, nil); err != nil {
			return err
		}
		fmt.Fprintln(env.stdout, "已恢复默认事项类型 (the default case types are in force)")
		return nil
	}
	data, err := os.ReadFile(load) // #nosec G304 -- the operator names the file on the command line
	if err != nil {
		return fmt.Errorf("无法读取 %s (cannot read): %w", load, err)
	}
	types, err := cases.DecodeTypes(data)
	if err != nil {
		return fmt.Errorf("%s: %w", load, err)
	}
	if err := svc.SaveTypes(ctx, actor, types); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "已启用 %d 种事项类型，此后登记的事项按新规则计时 (%d case types in force for cases registered from now on)\n", len(types), len(types))
	return nil
}
