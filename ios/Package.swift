// swift-tools-version:5.9
// SuhbatKit: the iOS app's code over the Rust core. `build-rust.sh` builds the core as an
// XCFramework (SuhbatFFIC: static library + C header) and generates the Swift bindings
// (Generated/SuhbatFFI.swift); the app target in project.yml depends on SuhbatKit.
import PackageDescription

let package = Package(
    name: "SuhbatKit",
    defaultLocalization: "uz",
    platforms: [.iOS(.v16)],
    products: [
        .library(name: "SuhbatKit", targets: ["SuhbatKit"]),
    ],
    targets: [
        .binaryTarget(name: "SuhbatFFIC", path: "build/SuhbatFFIC.xcframework"),
        .target(name: "SuhbatFFI", dependencies: ["SuhbatFFIC"], path: "Generated"),
        .target(name: "SuhbatKit", dependencies: ["SuhbatFFI"], path: "Sources/SuhbatKit"),
    ]
)
