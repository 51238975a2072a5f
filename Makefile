# warren — the two commands of the README are `make run` and `make test`.
GO      ?= go
BIN     := bin/warren
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
DATA    ?= ./data
LISTEN  ?= 127.0.0.1:8080

.PHONY: build run test bench vet clean assets

# A static binary: pure-Go SQLite and git, so no cgo.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/warren

# Creates ./data with a public demo wiki (if missing) and serves it in --dev mode.
run: build
	./$(BIN) demo --data $(DATA)
	./$(BIN) serve --data $(DATA) --listen $(LISTEN) --dev

vet:
	$(GO) vet ./...

# The whole suite: unit, interop (real git) and browser (real Chromium) tests.
test: vet
	$(GO) test -race -count=1 -timeout 30m ./...

# Load figures against their baselines; writes bench.json (or $$BENCH_OUT).
bench: build
	$(GO) run ./cmd/warren-bench -warren $(BIN)

# Rebuilds web/static/mermaid.min.js from the exact npm versions in
# web/assets/package-lock.json (needs node and npm; not part of `make test`).
assets:
	cd web/assets && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf bin bench.json
