import BindraceSystem

/// Kernel text symbols from /proc/kallsyms, to name the function pointers
/// that work items and async entries carry.
public struct KernelSymbols: Sendable {
    private var names: [UInt64: String] = [:]

    public init() {}

    /// Parses kallsyms text ("ADDRESS TYPE NAME [MODULE]"), keeping text
    /// symbols. Addresses shown as zero (kptr_restrict) are skipped.
    public init(kallsyms bytes: [UInt8]) {
        var table: [UInt64: String] = [:]
        table.reserveCapacity(bytes.count / 40)
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let count = buffer.count
            while i < count {
                var address: UInt64 = 0
                while i < count, buffer[i] != 0x20 {
                    let c = buffer[i]
                    let digit: UInt64
                    switch c {
                    case 0x30...0x39: digit = UInt64(c - 0x30)
                    case 0x61...0x66: digit = UInt64(c - 0x61 + 10)
                    case 0x41...0x46: digit = UInt64(c - 0x41 + 10)
                    default: digit = 0
                    }
                    address = address << 4 | digit
                    i += 1
                }
                i += 1
                let type = i < count ? buffer[i] : 0
                i += 2
                let start = i
                while i < count, buffer[i] != 0x0A, buffer[i] != 0x20, buffer[i] != 0x09 { i += 1 }
                let end = i
                while i < count, buffer[i] != 0x0A { i += 1 }
                i += 1
                guard address != 0, type == 0x74 || type == 0x54, end > start else { continue }
                if table[address] == nil {
                    table[address] = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
                }
            }
        }
        names = table
    }

    public static func load(from fileSystem: any FileSystem) -> KernelSymbols {
        guard let bytes = try? fileSystem.readFile(at: "/proc/kallsyms", limit: 256 << 20) else { return KernelSymbols() }
        return KernelSymbols(kallsyms: bytes)
    }

    public var count: Int { names.count }

    public func name(_ address: UInt64) -> String {
        names[address] ?? Self.hex(address)
    }

    /// The first address of a text symbol with this name, or 0.
    public func address(of name: String) -> UInt64 {
        names.first { $0.value == name }?.key ?? 0
    }

    /// Every address of a text symbol with this name, ascending (static
    /// functions of the same name in several files).
    public func addresses(of name: String) -> [UInt64] {
        names.filter { $0.value == name }.map(\.key).sorted()
    }

    /// Names starting with `prefix`, sorted (compiler clones: foo.isra.0, foo.constprop.0).
    public func names(withPrefix prefix: String) -> [String] {
        names.values.filter { $0.hasPrefix(prefix) }.sorted()
    }

    public static func hex(_ address: UInt64) -> String {
        address == 0 ? "" : "0x" + String(address, radix: 16)
    }
}
