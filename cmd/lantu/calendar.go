package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lantu/lantu/audit"
	"github.com/lantu/lantu/calendar"
	"github.com/lantu/lantu/storage"
)

func runCalendar(ctx context.Context, env *environment, args []string) error {
	const usageLine = "calendar show YYYY-MM | calendar set YYYY-MM-DD (--working|--off) [--name 名称] --reason TEXT | calendar unset YYYY-MM-DD --reason TEXT"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.stdout, "用法 Usage: lantu "+usageLine)
		if len(args) == 0 {
			return errors.New("缺少子命令 (missing subcommand)")
		}
		return errHelp
	}
	var c common
	var working, off bool
	var name, nameEN, reason string
	fs := env.flags("calendar "+args[0], usageLine, &c)
	fs.BoolVar(&working, "working", false, "the date is a working day (set)")
	fs.BoolVar(&off, "off", false, "the date is a day off (set)")
	fs.StringVar(&name, "name", "", "名称, e.g. 防汛放假")
	fs.StringVar(&nameEN, "name-en", "", "English name")
	fs.StringVar(&reason, "reason", "", "why (required for set and unset; kept in the audit trail)")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("用法 usage: lantu " + usageLine)
	}
	db, err := c.open(ctx, env.stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "show":
		return showMonth(ctx, env, db, rest[0])
	case "set", "unset":
		day, err := time.Parse(time.DateOnly, rest[0])
		if err != nil {
			return fmt.Errorf("日期 %q 无效，应为 YYYY-MM-DD (invalid date)", rest[0])
		}
		if reason == "" {
			return errors.New("请用 --reason 说明原因 (--reason is required)")
		}
		actor := audit.Actor{Name: cliActor(env), Reason: reason}
		if args[0] == "unset" {
			return db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.DeleteCalendarOverride(ctx, rest[0]) })
		}
		if working == off {
			return errors.New("请指定 --working 或 --off 之一 (give exactly one of --working, --off)")
		}
		o := calendar.Override{Date: day, Working: working, NameZH: name, NameEN: nameEN, Reason: reason}
		if err := db.Write(ctx, actor, func(tx *storage.Tx) error { return tx.PutCalendarOverride(ctx, o) }); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "已设置 %s (set)\n", rest[0])
		return nil
	}
	return fmt.Errorf("未知子命令 %q (unknown subcommand)", args[0])
}

func showMonth(ctx context.Context, env *environment, db *storage.DB, month string) error {
	start, err := time.Parse("2006-01", month)
	if err != nil {
		return fmt.Errorf("月份 %q 无效，应为 YYYY-MM (invalid month)", month)
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return err
	}
	for _, d := range cal.Days(start, start.AddDate(0, 1, 0)) {
		mark := "休"
		if d.Working {
			mark = "班"
		}
		fmt.Fprintf(env.stdout, "%s %s %s %s %s\n", d.Date.Format(time.DateOnly), d.Date.Weekday().String()[:3], mark, d.Kind.LabelZH(), d.NameZH)
	}
	return nil
}
