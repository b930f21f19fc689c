package docx_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/lantu/lantu/internal/officetest"
)

// The real reader: LibreOffice opens the written files, as excelio's tests
// do for spreadsheets (the same soffice lookup, private profiles, timeout
// and LANTU_REQUIRE_LIBREOFFICE handling).

// popplerPath finds a poppler tool (pdftotext, pdftoppm). It is optional
// everywhere: missing, the test is skipped with a notice.
func popplerPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("NOTICE: %s not found (apt-get install poppler-utils); PDF check skipped", name)
	}
	return p
}

// libreOffice converts one file at a time and returns the result's path.
type libreOffice struct{ officetest.LibreOffice }

func newLibreOffice(t *testing.T) libreOffice { return libreOffice{officetest.New(t)} }

// convert converts file to format ("txt:Text", "pdf") into outDir and
// returns the path of the result.
func (lo libreOffice) convert(format, outDir, file string) (string, error) {
	if _, err := lo.Convert(format, outDir, file); err != nil {
		return "", err
	}
	return officetest.Result(outDir, file, format), nil
}

// run runs a converter with a timeout and returns what it printed.
func run(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("%v\n%s", err, out)
	}
	return out, nil
}

// writeFile writes data to dir/name and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLibreOffice opens the sample document in LibreOffice, as text and as
// a PDF, and finds in it every heading, paragraph and cell, in order.
func TestLibreOffice(t *testing.T) {
	t.Parallel()
	d, want := sample()
	dir := t.TempDir()
	file := writeFile(t, dir, "sample.docx", write(t, d))
	textLO, pdfLO := newLibreOffice(t), newLibreOffice(t)

	// The two conversions run at once, each with its own profile.
	type result struct {
		path string
		err  error
	}
	textDone, pdfDone := make(chan result, 1), make(chan result, 1)
	go func() {
		p, err := textLO.convert("txt:Text", filepath.Join(dir, "txt"), file)
		textDone <- result{p, err}
	}()
	go func() {
		p, err := pdfLO.convert("pdf", filepath.Join(dir, "pdf"), file)
		pdfDone <- result{p, err}
	}()
	text, pdf := <-textDone, <-pdfDone

	t.Run("Text", func(t *testing.T) {
		if text.err != nil {
			t.Fatal(text.err)
		}
		data, err := os.ReadFile(text.path)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.TrimPrefix(string(data), "\uFEFF")
		if missing := inOrder(strings.Split(strings.ReplaceAll(got, "\r\n", "\n"), "\n"), want); missing != "" {
			t.Errorf("LibreOffice's text lacks the line %q (or has it out of order):\n%s", missing, got)
		}
		if i := strings.IndexFunc(got, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' }); i >= 0 {
			t.Errorf("LibreOffice's text holds a control character at byte %d:\n%q", i, got)
		}
	})

	t.Run("PDF", func(t *testing.T) {
		if pdf.err != nil {
			t.Fatal(pdf.err)
		}
		out, err := run(popplerPath(t, "pdftotext"), "-enc", "UTF-8", pdf.path, "-")
		if err != nil {
			t.Fatal(err)
		}
		// pdftotext spaces out mixed scripts ("2024 年") and reads a table
		// column by column: compare without spaces, each cell on its own.
		got := withoutSpace(string(out))
		for _, cell := range []string{"部门", "事项", "状态", "发改局", "项目审批", "第二行", "红灯", "财政局", `a<b&"c"`, "绿灯", "住建局"} {
			if !strings.Contains(got, withoutSpace(cell)) {
				t.Errorf("the PDF's text lacks the cell %q:\n%s", cell, out)
			}
		}
	})
}

// inOrder returns the first of want that is not among lines after the
// ones before it, or "" if all are.
func inOrder(lines, want []string) string {
	i := 0
	for _, w := range want {
		for i < len(lines) && lines[i] != w {
			i++
		}
		if i == len(lines) {
			return w
		}
		i++
	}
	return ""
}

func withoutSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}
