package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/lantu/lantu/apperr"
	"github.com/lantu/lantu/storage"
)

// errHelp means the user asked for --help and got it.
var errHelp = errors.New("help shown")

// common holds the flags every command that touches the database takes.
type common struct {
	addr string
	data string
	db   string
}

// flags returns a flag set with the common flags, defaults taken from the
// LANTU_* environment variables.
func (env *environment) flags(name, usageLine string, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet("lantu "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.StringVar(&c.addr, "addr", envOr(env.getenv, "LANTU_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT (LANTU_ADDR)")
	fs.StringVar(&c.data, "data", envOr(env.getenv, "LANTU_DATA", "./lantu-data"), "data directory for the SQLite file (LANTU_DATA)")
	fs.StringVar(&c.db, "db", env.getenv("LANTU_DB"), "postgres://… URL to use PostgreSQL instead of SQLite (LANTU_DB)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "用法 Usage: lantu %s\n\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, flags and positional arguments in any order
// (`calendar set 2024-10-14 --off` as well as `--off 2024-10-14`), and
// turns -h into errHelp. The positional arguments are returned.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// open opens and migrates the database the flags name.
func (c common) open(ctx context.Context, log io.Writer) (*storage.DB, error) {
	db, err := storage.Open(ctx, storage.Config{URL: c.db, DataDir: c.data})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	fmt.Fprintf(log, "数据库 database: %s (%s)\n", db.Where(), db.Engine())
	return db, nil
}

// describe gives an error as the user should read it: application errors in
// full (Chinese, then English), others as they are, since on the command
// line the operator is the one who must fix them.
func describe(err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Error()
	}
	return err.Error()
}
