// Package officetest runs the real LibreOffice for tests: it opens the
// .xlsx and .docx files Lantu writes and converts them (to CSV, text, PDF,
// or back to .xlsx) so that tests read what an office user would see.
// LibreOffice is Debian's; when it is missing the test is skipped with a
// notice, unless LANTU_REQUIRE_LIBREOFFICE=1 (CI) makes it mandatory.
package officetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Path finds LibreOffice: $LANTU_SOFFICE, else soffice or libreoffice on
// the PATH.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LANTU_SOFFICE"); p != "" {
		return p
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("LANTU_REQUIRE_LIBREOFFICE") == "1" {
		t.Fatal("LANTU_REQUIRE_LIBREOFFICE=1 but soffice not found: LibreOffice tests are mandatory here")
	}
	t.Skip("NOTICE: soffice not found (apt-get install libreoffice-calc libreoffice-writer); LibreOffice test skipped")
	return ""
}

// LibreOffice converts files, each call one soffice run with the
// instance's private profile (two runs sharing a profile block each
// other, so concurrent conversions need an instance each).
type LibreOffice struct {
	path    string
	profile string
}

// New finds LibreOffice and gives it a profile of the test's own.
func New(t testing.TB) LibreOffice {
	t.Helper()
	return LibreOffice{path: Path(t), profile: t.TempDir()}
}

// Convert converts files to format ("csv", "txt:Text", "pdf", "xlsx" or a
// full filter spec) into outDir, checks that each result exists, and says
// how long soffice took.
func (lo LibreOffice) Convert(format, outDir string, files ...string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + lo.profile, "--headless", "--norestore",
		"--convert-to", format, "--outdir", outDir}, files...)
	cmd := exec.CommandContext(ctx, lo.path, args...) // #nosec G204 -- LibreOffice from the PATH or LANTU_SOFFICE, for tests
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if err != nil {
		return took, fmt.Errorf("soffice --convert-to %s: %v\n%s", format, err, out)
	}
	for _, f := range files {
		if want := Result(outDir, f, format); fileMissing(want) {
			return took, fmt.Errorf("soffice made no %s:\n%s", want, out)
		}
	}
	return took, nil
}

// Result is where Convert puts file converted to format in outDir.
func Result(outDir, file, format string) string {
	return filepath.Join(outDir, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+"."+strings.SplitN(format, ":", 2)[0])
}

func fileMissing(p string) bool {
	_, err := os.Stat(p)
	return err != nil
}
