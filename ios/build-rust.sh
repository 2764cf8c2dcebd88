#!/usr/bin/env bash
# Builds the Rust core for iOS devices and simulators as ios/build/SuhbatFFIC.xcframework and
# generates the Swift bindings into ios/Generated/. Run on a Mac with Xcode, from anywhere:
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
#   ios/build-rust.sh            # release build (DEBUG=1 for a debug build)
set -euo pipefail
ios="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$ios")"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
profile=release
flag=--release
if [ "${DEBUG:-0}" = 1 ]; then profile=debug; flag=; fi

cd "$root"
for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  # A static library for iOS; the crate's own types (cdylib, lib) stay as they are.
  cargo rustc --locked -p suhbat-ffi --lib $flag --target "$target" --crate-type staticlib
done

# Swift bindings, C header and module map, generated from the host build in library mode.
cargo build --locked -p suhbat-ffi
host_lib="$target_dir/debug/libsuhbat_ffi.dylib"
gen="$ios/build/generated"
rm -rf "$gen" && mkdir -p "$gen/include"
cargo run --locked -p suhbat-ffi --bin uniffi-bindgen -- generate --library "$host_lib" \
  --language swift --out-dir "$gen" --no-format
mkdir -p "$ios/Generated"
mv "$gen/SuhbatFFI.swift" "$ios/Generated/SuhbatFFI.swift"
mv "$gen/SuhbatFFIC.h" "$gen/include/"
mv "$gen/SuhbatFFIC.modulemap" "$gen/include/module.modulemap"

# One library for both simulator architectures, then the XCFramework.
sim="$ios/build/sim"
mkdir -p "$sim"
lipo -create \
  "$target_dir/aarch64-apple-ios-sim/$profile/libsuhbat_ffi.a" \
  "$target_dir/x86_64-apple-ios/$profile/libsuhbat_ffi.a" \
  -output "$sim/libsuhbat_ffi.a"
rm -rf "$ios/build/SuhbatFFIC.xcframework"
xcodebuild -create-xcframework \
  -library "$target_dir/aarch64-apple-ios/$profile/libsuhbat_ffi.a" -headers "$gen/include" \
  -library "$sim/libsuhbat_ffi.a" -headers "$gen/include" \
  -output "$ios/build/SuhbatFFIC.xcframework"
echo "built $ios/build/SuhbatFFIC.xcframework and $ios/Generated/SuhbatFFI.swift"
