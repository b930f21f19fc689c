# The test command of the README. `make test` runs everything CI runs, except
# that PostgreSQL, when no server is configured, is skipped with a notice;
# .ci/run makes it mandatory.
GO ?= go

.PHONY: test check lint vet fmt staticcheck gosec unit build run

test: check unit

check: fmt vet staticcheck gosec

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) tool staticcheck ./...

gosec:
	$(GO) tool gosec -quiet -exclude-generated ./...

# -race in CI; locally too, since it finds what matters.
unit:
	$(GO) test -race -count=1 ./...

build:
	$(GO) build -o lantu ./cmd/lantu

run:
	$(GO) run ./cmd/lantu serve
