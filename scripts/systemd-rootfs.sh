#!/usr/bin/env bash
# Build (once) and cache a Debian bookworm minbase root filesystem with systemd, for the real-systemd tests.
#
# Idempotent: installs debootstrap and systemd-container when missing, then builds the rootfs into
# ${ARGUS_ROOTFS_CACHE:-/var/cache/argus-test}/rootfs-<hash of suite + package list> unless it is already there.
# The mirror comes from the host's apt sources (ARGUS_ROOTFS_MIRROR overrides). Prints the rootfs path on stdout.
# Needs root. Used by .ci/run; test/support/systemd-container.ts finds the same path.
set -euo pipefail

SUITE="${ARGUS_ROOTFS_SUITE:-bookworm}"
# Keep in sync with ROOTFS_PACKAGES in test/support/systemd-container.ts (the hash names the cache dir).
PACKAGES="systemd,systemd-sysv,dbus,tmux"
CACHE="${ARGUS_ROOTFS_CACHE:-/var/cache/argus-test}"

log() { printf 'systemd-rootfs: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (debootstrap and systemd-nspawn need it)"
  exit 1
fi

HASH="$(printf '%s\n%s\n' "$SUITE" "$PACKAGES" | sha256sum | cut -c1-12)"
ROOT="$CACHE/rootfs-$HASH"

if [ -f "$ROOT/.argus-rootfs-complete" ]; then
  log "cached rootfs present"
  printf '%s\n' "$ROOT"
  exit 0
fi

missing=()
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v systemd-nspawn >/dev/null 2>&1 || missing+=(systemd-container)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# First http(s) Debian mirror serving "$SUITE" in the host's apt sources (deb822 or one-line format).
find_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '
      function flush() { if (uris != "" && (" " suites " ") ~ (" " suite " ")) { split(uris, u, " "); print u[1]; found = 1; exit } uris = ""; suites = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/ { sub(/^URIs:[[:space:]]*/, ""); uris = $0 }
      /^Suites:/ { sub(/^Suites:[[:space:]]*/, ""); suites = $0 }
      END { if (!found) flush() }
    ' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$SUITE" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } if ($(i + 1) == suite) { print $i; exit } }' "$f"
  done
}

MIRROR="${ARGUS_ROOTFS_MIRROR:-$(find_mirror | grep -E '^https?://' | head -n1 || true)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
log "building $SUITE minbase with $PACKAGES from $MIRROR into $ROOT"

mkdir -p "$CACHE"
TMP="$(mktemp -d "$CACHE/.build-XXXXXX")"
trap 'rm -rf --one-file-system "$TMP"' EXIT
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$TMP/root" "$MIRROR" >&2

# Small adjustments so the container boots quietly and fast.
echo argus-test > "$TMP/root/etc/hostname"
: > "$TMP/root/etc/machine-id"
rm -f "$TMP/root/etc/resolv.conf"
ln -sf /lib/systemd/system/multi-user.target "$TMP/root/etc/systemd/system/default.target"
# Units that only slow the boot or fail in a container without a network or a console.
for unit in systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
  ln -sf /dev/null "$TMP/root/etc/systemd/system/$unit"
done
apt_clean="$TMP/root/var/cache/apt/archives"
[ -d "$apt_clean" ] && find "$apt_clean" -name '*.deb' -delete
touch "$TMP/root/.argus-rootfs-complete"

rm -rf --one-file-system "$ROOT"
mv "$TMP/root" "$ROOT"
log "done"
printf '%s\n' "$ROOT"
