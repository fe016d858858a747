// swift-tools-version: 6.1
import PackageDescription
import Foundation

var targets: [Target] = [
    // Trace format: event model, binary chunks, JSONL. Bytes in, bytes out.
    .target(name: "BindraceTrace"),
    // The narrow seam to files and the kernel's pseudo-files, swappable in tests.
    .target(
        name: "BindraceSystem",
        dependencies: [.product(name: "SystemPackage", package: "swift-system")]
    ),
    .executableTarget(
        name: "bindrace",
        dependencies: [
            "BindraceTrace",
            "BindraceSystem",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "SystemPackage", package: "swift-system"),
        ]
    ),
    .testTarget(
        name: "BindraceTraceTests",
        dependencies: [
            "BindraceTrace",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]
    ),
    .testTarget(
        name: "BindraceSystemTests",
        dependencies: ["BindraceSystem"]
    ),
    .testTarget(
        name: "bindraceTests",
        dependencies: ["bindrace", "BindraceTrace"]
    ),
]

// libFuzzer harnesses are built only when asked: they need
// `-sanitize=fuzzer`, which a normal build must not carry.
if ProcessInfo.processInfo.environment["BINDRACE_FUZZ"] != nil {
    targets.append(.executableTarget(
        name: "bindrace-fuzz-trace",
        dependencies: ["BindraceTrace"],
        path: "Fuzz/TraceReaders"
    ))
}

let package = Package(
    name: "bindrace",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bindrace", targets: ["bindrace"]),
        .library(name: "BindraceTrace", targets: ["BindraceTrace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: targets
)
