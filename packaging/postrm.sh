#!/bin/sh
# After removal: systemd forgets the unit. The slipway user and /var/lib/slipway (user data)
# stay, as workspaces may live there.
set -e
# The desktop entry's x-scheme-handler/slipway: xdg-open and GIO find the app by it.
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
