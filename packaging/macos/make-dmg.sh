#!/usr/bin/env bash
# Put Havre.app into a compressed disk image, beside a link to /Applications (drag to install).
#   packaging/macos/make-dmg.sh dist/Havre.app dist/Havre-0.1.0-arm64.dmg
set -euo pipefail

if [ "$#" -ne 2 ] || [ ! -d "$1" ]; then
  echo "usage: $0 PATH/Havre.app OUTPUT.dmg (the app must exist)" >&2
  exit 2
fi
app=$1
output=$2

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps what cp may lose in a bundle: symbolic links, extended attributes, signatures.
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"
rm -f "$output"
hdiutil create -volname Havre -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$output"
