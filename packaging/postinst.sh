#!/bin/sh
# After install: the system user the watcher service runs as (it is installed disabled).
set -e
# useradd is Debian's (passwd) and Fedora's (shadow-utils) alike.
if ! getent passwd slipway >/dev/null 2>&1; then
  useradd --system --user-group --home-dir /var/lib/slipway --no-create-home \
    --shell /usr/sbin/nologin --comment "Slipway watcher" slipway
fi
# The desktop entry's x-scheme-handler/slipway: xdg-open and GIO find the app by it.
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
