#!/usr/bin/env bash
# Sign Havre.app with a Developer ID certificate and the hardened runtime (what notarization
# requires), inside out: every library and program in the bundle first, then the bundle.
#   MACOS_SIGNING_IDENTITY="Developer ID Application: …" packaging/macos/sign-app.sh dist/Havre.app
# The certificate must already be in a keychain the build can use (the workflow imports it).
set -euo pipefail

if [ "$#" -ne 1 ] || [ ! -d "$1" ] || [ -z "${MACOS_SIGNING_IDENTITY:-}" ]; then
  echo "usage: MACOS_SIGNING_IDENTITY=… $0 PATH/Havre.app" >&2
  exit 2
fi
app=$1
entitlements=$(dirname "$0")/entitlements.plist
sign() {
  codesign --force --timestamp --options runtime --entitlements "$entitlements" \
    --sign "$MACOS_SIGNING_IDENTITY" "$@"
}

# Deepest first, so that each container is signed after what it holds.
find "$app/Contents" -type f \( -name '*.dylib' -o -name '*.so' -o -perm -u+x \) -print0 |
  xargs -0 -n 1 file |
  grep 'Mach-O' |
  cut -d: -f1 |
  awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2- |
  while IFS= read -r binary; do sign "$binary"; done
sign "$app"
codesign --verify --deep --strict --verbose=2 "$app"
