// Package browsertest starts a real headless Chromium for tests, through
// the DevTools protocol (chromedp). The browser is Debian's chromium; when
// it is missing the test is skipped with a notice, unless
// LANTU_REQUIRE_BROWSER=1 (CI) makes it mandatory.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds the browser: $LANTU_CHROMIUM, else chromium on the PATH.
func Path(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LANTU_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("LANTU_REQUIRE_BROWSER") == "1" {
		t.Fatal("LANTU_REQUIRE_BROWSER=1 but no chromium found: browser tests are mandatory here")
	}
	t.Skip("NOTICE: chromium not found (apt-get install chromium); browser test skipped")
	return ""
}

// New starts a headless Chromium with a window of an office screen
// (1366×768) and returns a context for chromedp actions, ended with the
// test. Every action should run under a timeout of its own.
func New(t testing.TB) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
		// The machine has no network beyond loopback: keep Chromium from
		// trying to reach Google's services.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first call starts the browser and must not carry a timeout (it
	// would end the browser with it); a watchdog fails the test instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("chromium did not start within 60 s")
	}
	return ctx
}
