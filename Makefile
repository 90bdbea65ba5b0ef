# Slipway's one command runner; CI calls `make test` too.
#   make run    install what is missing, build, and open the app (a demo workspace on first run)
#   make test   everything: fmt, clippy, Rust tests on SQLite and PostgreSQL, UI checks, end-to-end
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

TARGET := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
BIN := $(TARGET)/debug
export CARGO_TERM_COLOR ?= never
export PATH := $(HOME)/.cargo/bin:$(PATH)

# What a fresh Debian 12 machine lacks: Tauri's build libraries, the X server and WebKit's
# WebDriver for the end-to-end test, PostgreSQL for the store tests, git for fixtures,
# D-Bus with gnome-keyring for the OS keychain (and its tests), and a real SMTP server
# (aiosmtpd) with openssl for the email tests' STARTTLS and implicit TLS.
APT_PACKAGES := build-essential pkg-config file git curl \
	libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev \
	libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev \
	xvfb xauth webkit2gtk-driver imagemagick xdotool postgresql \
	dbus libdbus-1-dev gnome-keyring python3-aiosmtpd openssl prometheus \
	xdg-utils desktop-file-utils
TAURI_DRIVER_VERSION := 2.1.0
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test deps deps-system deps-npm deps-driver ui build demo lint fmt clippy \
	rust-test ui-test e2e bench bindings clean package package-test

## --- set-up ---------------------------------------------------------------
deps: deps-system deps-npm

deps-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps-npm: ui/node_modules/.installed
ui/node_modules/.installed: ui/package.json ui/package-lock.json
	# npm ci trips over optional platform packages missing from the lock (an npm 11 bug);
	# npm install still installs the locked versions.
	cd ui && npm install --no-audit --no-fund --loglevel=error
	touch $@

deps-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)

## --- build and run -------------------------------------------------------
ui: deps-npm
	cd ui && npx vite build --logLevel warn

build: deps ui
	cargo build -p slipway-desktop -p slipway-cli

# The workspace is $SLIPWAY_WORKSPACE, else the app's data folder; a demo is made only when
# there is none.
demo: build
	$(BIN)/slipway demo --if-missing

run: demo
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then $(BIN)/slipway-desktop; \
	else echo "No display: running under Xvfb (xvfb-run)."; xvfb-run -a -s "-screen 0 1440x900x24" $(BIN)/slipway-desktop; fi

## --- checks --------------------------------------------------------------
# Clippy and the tests compile the desktop shell, which embeds the built UI: they need `ui`.
fmt:
	cargo fmt --all

lint: deps ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# The keychain tests run against a real Secret Service: a private session bus with a
# gnome-keyring whose keyrings live in a throwaway folder, never the user's own keychain; and
# personal settings the tests write go to a throwaway config folder, never the user's own.
rust-test: deps ui
	keyrings=$$(mktemp -d); config=$$(mktemp -d); \
	dbus-run-session -- bash -c "echo -n slipway | XDG_DATA_HOME=$$keyrings gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
		SLIPWAY_CONFIG_DIR=$$config cargo test --workspace --exclude slipway-e2e --locked"; status=$$?; \
	rm -rf "$$keyrings" "$$config"; exit $$status


ui-test: deps-npm
	cd ui && npx tsc --noEmit && npx eslint --max-warnings 0 src && npx vitest run

# The app stores channel secrets in the keychain: it runs with a throwaway one, as the tests do.
e2e: build deps-driver
	keyrings=$$(mktemp -d); \
	dbus-run-session -- bash -c "echo -n slipway | XDG_DATA_HOME=$$keyrings gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
		xvfb-run -a -s '-screen 0 1440x900x24' cargo test -p slipway-e2e --locked --test desktop -- --nocapture --test-threads=1"; status=$$?; \
	rm -rf "$$keyrings"; exit $$status

# Release bundles (.deb and .rpm) with Tauri's bundler: the desktop app, the `slipway` command
# line beside it, the watcher's systemd unit and its settings file (tauri.conf.json, packaging/).
# The command line is staged where tauri.conf.json names it, whatever the target folder.
DEB := $(TARGET)/release/bundle/deb/Slipway_0.1.0_amd64.deb
package: deps ui
	cargo build --release --locked -p slipway-cli
	mkdir -p packaging/.staged && cp $(TARGET)/release/slipway packaging/.staged/slipway
	ui/node_modules/.bin/tauri build --bundles deb,rpm

# The .deb installed on this machine (apt-get resolves its dependencies), its files, unit and
# links checked, the installed app driven under Xvfb, then removed. Needs root.
package-test: package deps-driver
	keyrings=$$(mktemp -d); \
	dbus-run-session -- bash -c "echo -n slipway | XDG_DATA_HOME=$$keyrings gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
		SLIPWAY_DEB=$(DEB) xvfb-run -a -s '-screen 0 1440x900x24' cargo test -p slipway-e2e --locked --test package -- --nocapture --test-threads=1"; status=$$?; \
	rm -rf "$$keyrings"; exit $$status

# Figures, not assertions: the queue engine on 100,000 merges beside git rev-list, the SLA
# clocks, DORA's metrics over 100,000 changes and 10,000 deployments, a watcher's pass beside 100,000 closed requests,
# the board of 100 projects x 4 environments x 500 queued changes (cold, warm reload, inbox, one project beside a workspace of one),
# and notification delivery (deliveries per second, commit-to-receipt latency; it
# stores a webhook secret, so it runs with a throwaway keychain like the tests).
bench: deps
	cargo bench -p slipway-git --bench queue
	cargo bench -p slipway-git --bench guard
	cargo bench -p slipway-core --bench clocks
	cargo bench -p slipway-core --bench dora
	cargo bench -p slipway-core --bench guard
	cargo bench -p slipway-api --bench watch
	cargo bench -p slipway-api --bench board
	cargo bench -p slipway-cli --bench cli
	keyrings=$$(mktemp -d); \
	dbus-run-session -- bash -c "echo -n slipway | XDG_DATA_HOME=$$keyrings gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
		cargo bench -p slipway-api --bench notify"; status=$$?; \
	rm -rf "$$keyrings"; exit $$status

bindings:
	UPDATE_BINDINGS=1 cargo test -p slipway-api --lib typescript_bindings_are_fresh

test: lint rust-test ui-test e2e package-test
	@echo "make test: all checks passed"

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
