#!/usr/bin/env bash
# Mount the disk image read-only, as a user who opens it would, and run the app's selfcheck
# from it (offscreen, with folders of its own), then unmount it.
#   packaging/macos/check-dmg.sh dist/Havre-0.1.0-arm64.dmg
set -euo pipefail

if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 IMAGE.dmg (the image must exist)" >&2
  exit 2
fi

mountpoint=$(mktemp -d)
home=$(mktemp -d)
cleanup() {
  hdiutil detach "$mountpoint" -quiet || true
  rm -rf "$home"
  rmdir "$mountpoint" 2>/dev/null || true
}
trap cleanup EXIT
hdiutil attach "$1" -readonly -nobrowse -noautoopen -mountpoint "$mountpoint"

app=$mountpoint/Havre.app
test -L "$mountpoint/Applications"
executable=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleExecutable' "$app/Contents/Info.plist")
identifier=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleIdentifier' "$app/Contents/Info.plist")
if [ "$identifier" != be.havre.Havre ]; then
  echo "the app's bundle id is $identifier, not be.havre.Havre" >&2
  exit 1
fi
HOME=$home QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/$executable" selfcheck --no-crash-dialog
