// swift-tools-version: 6.1
import PackageDescription
import Foundation

// The capture target needs libbpf's headers. A platform condition does not
// stop a missing library from breaking the build on Linux, so the manifest
// looks for the header itself: without it the analyzer still builds and
// `bindrace capture` reports that capture support was not compiled in.
let libbpfHeader = "/usr/include/bpf/libbpf.h"
let haveLibbpf = FileManager.default.fileExists(atPath: libbpfHeader)
    && ProcessInfo.processInfo.environment["BINDRACE_NO_CAPTURE"] == nil

// Reading id tables straight from .ko/.ko.xz/.ko.zst files needs libelf,
// liblzma and libzstd. As with libbpf, the manifest checks the headers: without
// them BindraceMatch still builds and reports that .ko reading is unavailable.
let haveModuleFileLibs = ["/usr/include/libelf.h", "/usr/include/lzma.h", "/usr/include/zstd.h"]
    .allSatisfy { FileManager.default.fileExists(atPath: $0) }
    && ProcessInfo.processInfo.environment["BINDRACE_NO_KO"] == nil

var matchDependencies: [Target.Dependency] = [
    "BindraceTrace",
    "BindraceSystem",
]
var matchSettings: [SwiftSetting] = []
if haveModuleFileLibs {
    matchDependencies.append("CModuleFile")
    matchSettings.append(.define("BINDRACE_HAVE_MODULE_FILE_LIBS"))
}

// The clock stage's joins are maxima of unsigned 32-bit lanes: one
// instruction for four lanes with SSE4.1, six without, and the x86-64
// baseline has no SSE4.1. So the replay is built for x86-64-v2 (SSE4.2 and
// POPCNT: every x86-64 server CPU since 2009) on x86-64 hosts, and the
// executable asks the CPU first (exit status 2 and one line if it lacks
// them). BINDRACE_X86_64_BASELINE=1 builds for the baseline instead.
#if arch(x86_64)
let buildsForX86V2 = ProcessInfo.processInfo.environment["BINDRACE_X86_64_BASELINE"] == nil
#else
let buildsForX86V2 = false
#endif
let replaySettings: [SwiftSetting] = buildsForX86V2 ? [.unsafeFlags(["-Xcc", "-msse4.2", "-Xcc", "-mpopcnt"])] : []
let cliSettings: [SwiftSetting] = buildsForX86V2 ? [.define("BINDRACE_X86_64_V2")] : []

var targets: [Target] = [
    // Trace format: event model, binary chunks, JSONL. Bytes in, bytes out.
    .target(name: "BindraceTrace", dependencies: ["CBindraceCRC"]),
    // CRC-32C with the CPU's instruction where there is one: every chunk is
    // checksummed, so a full-trace read is bounded by it.
    .target(name: "CBindraceCRC"),
    // Cache prefetch hints for the replay's tables, which Swift cannot express.
    .target(name: "CBindracePrefetch"),
    // The CPU's features, asked before code built for more than the baseline runs.
    .target(name: "CBindraceCPU"),
    // The narrow seam to files and the kernel's pseudo-files, swappable in tests.
    .target(
        name: "BindraceSystem",
        dependencies: [.product(name: "SystemPackage", package: "swift-system")]
    ),
    // Kernel match tables: modaliases, modules.alias & co, modprobe.d, the
    // kernel command line, pci_match_device.
    .target(
        name: "BindraceMatch",
        dependencies: matchDependencies,
        swiftSettings: matchSettings
    ),
    // Driver-core replay, happens-before, feasible winners, verdicts, oracle.
    .target(
        name: "BindraceReplay",
        dependencies: ["BindraceTrace", "BindraceMatch", "CBindracePrefetch"],
        swiftSettings: replaySettings
    ),
    // Text and JSON rendering of replay results.
    .target(name: "BindraceReport", dependencies: ["BindraceReplay", "BindraceTrace"]),
    // Regression checks: expectation files (YAML), their evaluation, baselines,
    // outcome diffs, what-if rewrites of recorded traces, JUnit output.
    .target(
        name: "BindraceCheck",
        dependencies: ["BindraceReplay", "BindraceTrace", "BindraceMatch", .product(name: "Yams", package: "Yams")]
    ),
    .testTarget(
        name: "BindraceCheckTests",
        dependencies: ["BindraceCheck", "BindraceReplay", "BindraceTrace"]
    ),
    .testTarget(
        name: "BindraceReplayTests",
        dependencies: [
            "BindraceReplay", "BindraceTrace", "BindraceMatch", "BindraceSynth",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]
    ),
    .testTarget(
        name: "BindraceReportTests",
        dependencies: ["BindraceReport", "BindraceReplay", "BindraceTrace"]
    ),
    .executableTarget(
        name: "bindrace",
        dependencies: [
            "BindraceTrace",
            "BindraceSystem",
            "BindraceMatch",
            "BindraceReplay",
            "BindraceReport",
            "BindraceCheck",
            "BindraceSynth",
            "CBindraceCPU",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "SystemPackage", package: "swift-system"),
        ],
        swiftSettings: cliSettings
    ),
    .testTarget(
        name: "BindraceTraceTests",
        dependencies: [
            "BindraceTrace",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]
    ),
    .testTarget(
        name: "BindraceMatchTests",
        dependencies: [
            "BindraceMatch", "BindraceTrace", "BindraceSystem",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ],
        swiftSettings: matchSettings
    ),
    // Large realistic traces with planted races, for benchmarks and scale tests.
    .target(name: "BindraceSynth", dependencies: ["BindraceTrace"]),
    .testTarget(name: "BindraceSynthTests", dependencies: ["BindraceSynth", "BindraceTrace"]),
    // Resolution speed against a real modules.alias, indexed vs linear scan.
    .executableTarget(
        name: "bindrace-bench-match",
        dependencies: ["BindraceMatch", "BindraceSystem"],
        path: "Benchmarks/MatchResolution"
    ),
    .testTarget(
        name: "BindraceSystemTests",
        dependencies: ["BindraceSystem"]
    ),
    .testTarget(
        name: "bindraceTests",
        dependencies: ["bindrace", "BindraceTrace", "BindraceReplay"],
        resources: []
    ),
]

if haveModuleFileLibs {
    targets.append(.systemLibrary(
        name: "CModuleFile",
        path: "Sources/CModuleFile",
        pkgConfig: "libelf"
    ))
}

// libFuzzer harnesses are built only when asked: they need
// `-sanitize=fuzzer`, which a normal build must not carry.
if ProcessInfo.processInfo.environment["BINDRACE_FUZZ"] != nil {
    targets.append(.executableTarget(
        name: "bindrace-fuzz-trace",
        dependencies: ["BindraceTrace"],
        path: "Fuzz/TraceReaders"
    ))
}

// Capture: libbpf (system library), the BPF object compiled from BPF/ by a
// build-tool plugin and embedded, the loader, and its tests. Only with libbpf.
if haveLibbpf {
    targets.append(.systemLibrary(name: "CLibBPF", path: "Sources/CLibBPF", pkgConfig: "libbpf"))
    targets.append(.plugin(name: "EmbedBPFObject", capability: .buildTool(), path: "Plugins/EmbedBPFObject"))
    targets.append(.target(
        name: "BindraceCapture",
        dependencies: ["CLibBPF", "BindraceTrace", "BindraceSystem"],
        plugins: ["EmbedBPFObject"]
    ))
    targets.append(.testTarget(
        name: "BindraceCaptureTests",
        dependencies: ["BindraceCapture", "BindraceTrace", "BindraceSystem"]
    ))
    if let cli = targets.first(where: { $0.name == "bindrace" }) {
        cli.dependencies.append("BindraceCapture")
        cli.swiftSettings = (cli.swiftSettings ?? []) + [.define("BINDRACE_HAVE_CAPTURE")]
    }
}

let package = Package(
    name: "bindrace",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bindrace", targets: ["bindrace"]),
        .library(name: "BindraceTrace", targets: ["BindraceTrace"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: targets
)
