@testable import BindraceTrace
import CBindraceCRC
import Testing

@Suite struct CRC32CTests {
    @Test func standardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.softwareChecksum($0) } == 0xE306_9283)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.checksum(UnsafeRawBufferPointer(start: nil, count: 0), seed: 0x1234_5678) == 0x1234_5678)
    }

    @Test func slicedAndBytewisePathsAgree() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 7, 8, 9, 500, 999] {
            let first = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
            let whole = bytes[split...].withUnsafeBytes { CRC32C.checksum($0, seed: first) }
            #expect(whole == CRC32C.checksum(bytes))
        }
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = RandomTrace.SplitMix(state: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    @Test func matchesTheSoftwareReferenceAtAnyLengthAndAlignment() {
        var rng = RandomTrace.SplitMix(state: 0xC4C3_2C)
        let pool = Self.randomBytes(5000 + 16, seed: 1)
        pool.withUnsafeBytes { pool in
            for _ in 0..<3000 {
                let length = Int.random(in: 0...5000, using: &rng)
                let start = Int.random(in: 0..<16, using: &rng)
                let seed = Bool.random(using: &rng) ? 0 : UInt32.random(in: .min ... .max, using: &rng)
                let bytes = UnsafeRawBufferPointer(rebasing: pool[start..<(start + length)])
                #expect(CRC32C.checksum(bytes, seed: seed) == CRC32C.softwareChecksum(bytes, seed: seed),
                        "length \(length) at +\(start), seed \(seed)")
            }
        }
    }

    @Test func tableFallbackMatchesTheSoftwareReference() {
        var rng = RandomTrace.SplitMix(state: 0xFA11)
        let pool = Self.randomBytes(5000 + 16, seed: 3)
        pool.withUnsafeBytes { pool in
            for _ in 0..<1000 {
                let length = Int.random(in: 0...5000, using: &rng)
                let start = Int.random(in: 0..<16, using: &rng)
                let seed = UInt32.random(in: .min ... .max, using: &rng)
                let bytes = UnsafeRawBufferPointer(rebasing: pool[start..<(start + length)])
                #expect(bindrace_crc32c_update_portable(seed, bytes.baseAddress, bytes.count) == CRC32C.softwareChecksum(bytes, seed: seed),
                        "length \(length) at +\(start), seed \(seed)")
            }
        }
    }

    /// Lengths around the three-stream block sizes (3 × 256 and 3 × 8192 bytes).
    @Test func matchesTheSoftwareReferenceAroundBlockSizes() {
        let pool = Self.randomBytes(200_000 + 8, seed: 2)
        let lengths = [767, 768, 769, 3 * 768 + 7, 24_575, 24_576, 24_577, 2 * 24_576 + 768 + 5, 196_616, 200_000]
        pool.withUnsafeBytes { pool in
            for length in lengths {
                for start in 0..<8 {
                    let bytes = UnsafeRawBufferPointer(rebasing: pool[start..<(start + length)])
                    #expect(CRC32C.checksum(bytes) == CRC32C.softwareChecksum(bytes), "length \(length) at +\(start)")
                }
            }
        }
    }

    /// The folding path (where the CPU has it) against the CRC instruction
    /// alone and the software reference: lengths around where folding
    /// starts, around its 256-byte steps and 16-byte tails, and whole
    /// chunks, at every alignment and with random registers.
    @Test func foldingMatchesTheInstructionAndTheReference() {
        var rng = RandomTrace.SplitMix(state: 0xF01D)
        let pool = Self.randomBytes(200_000 + 64, seed: 4)
        var lengths = Array(490...800) + [1023, 1024, 1025, 4096 + 15, 196_608, 196_608 + 17, 200_000]
        lengths += (0..<300).map { _ in Int.random(in: 512...20_000, using: &rng) }
        pool.withUnsafeBytes { pool in
            for length in lengths {
                let start = Int.random(in: 0..<64, using: &rng)
                let seed = Bool.random(using: &rng) ? 0 : UInt32.random(in: .min ... .max, using: &rng)
                let bytes = UnsafeRawBufferPointer(rebasing: pool[start..<(start + length)])
                let folded = CRC32C.checksum(bytes, seed: seed)
                #expect(folded == bindrace_crc32c_update_unfolded(seed, bytes.baseAddress, bytes.count), "length \(length) at +\(start), seed \(seed)")
                if length < 5000 { #expect(folded == CRC32C.softwareChecksum(bytes, seed: seed), "length \(length) at +\(start), seed \(seed)") }
            }
        }
    }

    @Test func chainedCallsEqualOneCall() {
        var rng = RandomTrace.SplitMix(state: 0xC4A1)
        for _ in 0..<500 {
            let bytes = Self.randomBytes(Int.random(in: 0...5000, using: &rng), seed: rng.next())
            var cuts = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Int.random(in: 0...bytes.count, using: &rng) }
            cuts = [0] + cuts.sorted() + [bytes.count]
            var chained: UInt32 = 0
            var chainedSoftware: UInt32 = 0
            bytes.withUnsafeBytes { all in
                for (from, to) in zip(cuts, cuts.dropFirst()) {
                    let piece = UnsafeRawBufferPointer(rebasing: all[from..<to])
                    chained = CRC32C.checksum(piece, seed: chained)
                    chainedSoftware = CRC32C.softwareChecksum(piece, seed: chainedSoftware)
                }
            }
            let whole = bytes.withUnsafeBytes { CRC32C.softwareChecksum($0) }
            #expect(chained == whole, "cuts \(cuts)")
            #expect(chainedSoftware == whole, "cuts \(cuts)")
        }
    }
}
