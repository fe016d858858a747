import BindraceTrace

/// A changed configuration to re-run a recorded trace against. The library
/// gets texts; reading a modprobe.d folder is the executable's business.
public struct WhatIfConfig: Hashable, Sendable {
    /// `--override BDF=DRIVER`.
    public struct Override: Hashable, Sendable {
        public var device: String
        public var driver: String

        public init(device: String, driver: String) {
            self.device = device
            self.driver = driver
        }

        /// `0000:01:00.0=vfio-pci`; nil when malformed.
        public init?(argument: String) {
            guard let eq = argument.firstIndex(of: "="), let bdf = SelectorSyntax.bdf(String(argument[..<eq])),
                  case .driver(let driver)? = DriverPattern(String(argument[argument.index(after: eq)...]))
            else { return nil }
            self.init(device: bdf, driver: driver)
        }
    }

    /// Replaces the snapshot's modprobe.d files (path and text, in precedence order).
    public var modprobeFiles: [SnapshotFile]?
    /// Replaces the snapshot's /proc/cmdline.
    public var commandLine: String?
    public var overrides: [Override]

    public init(modprobeFiles: [SnapshotFile]? = nil, commandLine: String? = nil, overrides: [Override] = []) {
        self.modprobeFiles = modprobeFiles
        self.commandLine = commandLine
        self.overrides = overrides
    }

    public var isEmpty: Bool { modprobeFiles == nil && commandLine == nil && overrides.isEmpty }
    var changesConfig: Bool { modprobeFiles != nil || commandLine != nil }
}
