import CBindraceCRC

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of
/// every chunk. It runs on the CPU's CRC instruction where there is one, so
/// checksumming stays far below the cost of reading the records.
public enum CRC32C {
    /// The checksum of `bytes`, continuing from `seed` (the result of a previous call).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        bindrace_crc32c_update(seed, bytes.baseAddress, bytes.count)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// True when the CPU's CRC instruction is in use rather than the table fallback.
    public static var usesHardware: Bool { bindrace_crc32c_uses_hardware() != 0 }

    /// True when long inputs are folded by carry-less multiplication instead.
    public static var folds: Bool { bindrace_crc32c_folds() != 0 }
}
