package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; when
// it is not, the VCS revision the go command recorded is shown.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	rev, dirty := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "devel (" + info.GoVersion + ")"
	}
	return "devel-" + rev + dirty + " (" + info.GoVersion + ")"
}

func runVersion(_ context.Context, env *environment, args []string) error {
	var c common
	fs := env.flags("version", "version", &c)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, "lantu "+versionString())
	return nil
}
