package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lantu/lantu/account"
	"github.com/lantu/lantu/auth"
)

func runUser(ctx context.Context, env *environment, args []string) error {
	const usageLine = "user add NAME --role ROLE [--dept CODE] [--display 姓名] [--password-stdin] | user passwd NAME [--password-stdin] | user disable NAME | user enable NAME | user list"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(env.stdout, "用法 Usage: lantu "+usageLine+"\n\n角色 Roles: "+rolesList())
		if len(args) == 0 {
			return errors.New("缺少子命令 (missing subcommand)")
		}
		return errHelp
	}
	var c common
	var role, dept, display string
	var fromStdin bool
	fs := env.flags("user "+args[0], usageLine, &c)
	fs.StringVar(&role, "role", "", "role: "+rolesList())
	fs.StringVar(&dept, "dept", "", "department code (empty: the city)")
	fs.StringVar(&display, "display", "", "display name (姓名); default: the user name")
	fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input instead of generating one")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	db, err := c.open(ctx, env.stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := account.New(db)
	by := auth.Subject{Name: cliActor(env)}
	client := account.Client{UserAgent: "lantu-cli"}
	one := func() (string, error) {
		if len(rest) != 1 {
			return "", errors.New("用法 usage: lantu " + usageLine)
		}
		return rest[0], nil
	}
	password := func() (string, bool, error) {
		if !fromStdin {
			return account.RandomPassword(), true, nil
		}
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, err
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	switch args[0] {
	case "list":
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "启用 enabled"
			if u.Disabled {
				state = "停用 disabled"
			}
			mfa := "-"
			if u.HasTOTP() {
				mfa = "2FA"
			}
			fmt.Fprintf(env.stdout, "%-20s %-12s %-14s %-16s %-4s %s\n", u.Name, u.DisplayName, u.Role, orCity(u.Department), mfa, state)
		}
		return nil
	case "add":
		name, err := one()
		if err != nil {
			return err
		}
		if display == "" {
			display = name
		}
		pw, generated, err := password()
		if err != nil {
			return err
		}
		if _, err := svc.CreateUser(ctx, by, account.NewUser{Name: name, DisplayName: display, Role: auth.Role(role), Department: dept, Password: pw}, client); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "已创建用户 %s (created)\n", auth.NormalizeName(name))
		if generated {
			fmt.Fprintf(env.stdout, "初始密码 initial password: %s\n（只显示这一次 shown only once）\n", pw)
		}
		return nil
	case "passwd", "disable", "enable":
		name, err := one()
		if err != nil {
			return err
		}
		u, err := db.UserByName(ctx, name)
		if err != nil {
			return err
		}
		if args[0] == "passwd" {
			pw, generated, err := password()
			if err != nil {
				return err
			}
			if err := svc.SetPassword(ctx, by, u.ID, pw, client); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "已重置 %s 的密码，其所有会话已结束 (password reset; every session ended)\n", u.Name)
			if generated {
				fmt.Fprintf(env.stdout, "新密码 new password: %s\n（只显示这一次 shown only once）\n", pw)
			}
			return nil
		}
		disabled := args[0] == "disable"
		if err := svc.UpdateUser(ctx, by, u.ID, account.UserChange{Disabled: &disabled}, client); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s: %s\n", u.Name, map[bool]string{true: "已停用，其所有会话已结束 (disabled; every session ended)", false: "已启用 (enabled)"}[disabled])
		return nil
	}
	return fmt.Errorf("未知子命令 %q (unknown subcommand)", args[0])
}

func rolesList() string {
	var names []string
	for _, r := range auth.Roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

func orCity(dept string) string {
	if dept == "" {
		return "(city 全市)"
	}
	return dept
}
