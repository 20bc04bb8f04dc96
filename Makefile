# aws-vault: build, test and demo. CI runs .ci/run, which runs `make test`.

GO        ?= go
BIN       := bin
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X github.com/awsvault/aws-vault/cli.Version=$(VERSION)
# Linux binaries are static, without cgo, as aws-vault v7.2.0's Linux
# releases were (cross-built): nothing on Linux needs cgo (Go's own DNS
# resolver and user lookup serve), and a static binary starts faster.
# macOS keeps cgo for the keychain backend.
NOCGO     := $(if $(filter Linux,$(shell uname -s)),CGO_ENABLED=0)
STATICCHECK_VERSION := v0.8.2

# make install puts the binary, the man page and the completion scripts
# where the system looks for them under PREFIX; DESTDIR prefixes every path
# (for packaging: make install DESTDIR=/tmp/pkg PREFIX=/usr).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

# Debian packages the tests use: the real AWS CLI as a client, the pass,
# Secret Service and keyctl keyring backends, tmux for terminal tests, the
# shells whose completion is tested (bash is always there), man-db and
# groff to check the man page, and sudo, iproute2 and curl for the EC2
# metadata server's test in a network namespace (exec --ec2-server starts
# its proxy with sudo -b; the proxy puts its address on lo with ip).
DEB_PACKAGES := awscli python3-boto3 pass gnupg gnome-keyring dbus dbus-x11 keyutils libsecret-tools tmux \
	zsh fish man-db groff-base sudo iproute2 curl

.PHONY: all build install test check bench demo deps fmt-check vet tidy-check staticcheck cross clean v7ref

all: build

build:
	$(NOCGO) $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/aws-vault .

# install generates the man page and the completion scripts from the built
# binary (aws-vault --help-man, --completion-script-SHELL), then installs.
install: build
	$(BIN)/aws-vault --help-man >$(BIN)/aws-vault.1
	for shell in bash zsh fish; do $(BIN)/aws-vault --completion-script-$$shell >$(BIN)/completion.$$shell || exit 1; done
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 $(BIN)/aws-vault $(DESTDIR)$(BINDIR)/aws-vault
	install -m 0644 $(BIN)/aws-vault.1 $(DESTDIR)$(MANDIR)/man1/aws-vault.1
	install -m 0644 $(BIN)/completion.bash $(DESTDIR)$(BASHCOMPDIR)/aws-vault
	install -m 0644 $(BIN)/completion.zsh $(DESTDIR)$(ZSHCOMPDIR)/_aws-vault
	install -m 0644 $(BIN)/completion.fish $(DESTDIR)$(FISHCOMPDIR)/aws-vault.fish

# test is what CI runs: formatting, vet, the macOS and Windows builds and
# vet (cross), the whole suite with the race detector (the layering test
# included), then the demo. The suite runs aws-vault v7.2.0 to check it
# reads what we write (v7ref); without it those tests fail under
# AWSVAULT_REQUIRE_REAL=1, saying why.
test: deps fmt-check vet cross v7ref
	AWSVAULT_REQUIRE_REAL=1 $(GO) test -race -count=1 -timeout 20m ./...
	$(MAKE) --no-print-directory demo

# check adds staticcheck and go.mod tidiness (test already runs cross).
check: test tidy-check staticcheck

deps:
	@./.ci/install-deps $(DEB_PACKAGES)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

tidy-check:
	cp go.mod /tmp/aws-vault-go.mod.bak && cp go.sum /tmp/aws-vault-go.sum.bak
	$(GO) mod tidy
	@if ! cmp -s go.mod /tmp/aws-vault-go.mod.bak || ! cmp -s go.sum /tmp/aws-vault-go.sum.bak; then \
		cp /tmp/aws-vault-go.mod.bak go.mod; cp /tmp/aws-vault-go.sum.bak go.sum; \
		echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; fi

staticcheck:
	GOBIN=$(CURDIR)/$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(BIN)/staticcheck ./...

# cross builds every package for macOS, Windows and FreeBSD without cgo and
# vets them for Windows and macOS, as a Linux machine can. The macOS
# keychain backend is cgo code (99designs/keyring builds keychain.go only
# with darwin && cgo), so type-checking it needs a macOS C toolchain: it
# runs on a Mac only. A CGO_ENABLED=0 macOS binary has no keychain backend
# (it falls back to the file backend): build macOS releases on macOS, where
# cgo is on by default.
cross:
	GOOS=darwin GOARCH=amd64 CGO_ENABLED=0 $(GO) build -o /dev/null .
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build -o /dev/null .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -o /dev/null .
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=freebsd GOARCH=amd64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=windows $(GO) vet ./...
	GOOS=darwin CGO_ENABLED=0 $(GO) vet ./...
	@if [ "$$(uname -s)" = Darwin ]; then \
		echo "CGO_ENABLED=1 $(GO) vet ./vault/... ./cli/... ./prompt/..."; \
		CGO_ENABLED=1 $(GO) vet ./vault/... ./cli/... ./prompt/...; \
	else \
		echo "cross: the cgo keychain backend is type-checked on macOS only (no macOS C toolchain here)"; \
	fi

demo: build
	@./vault/vaulttest/demo.sh $(BIN)/aws-vault

bench: build
	@./vault/vaulttest/bench.sh $(BIN)/aws-vault

# v7ref builds aws-vault v7.2.0 once into ~/.cache/aws-vault-bench; a
# failure (offline) is reported, and the tests that need it say so.
v7ref:
	-@./vault/vaulttest/v7ref.sh >/dev/null

clean:
	rm -rf $(BIN)
