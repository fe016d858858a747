import BindraceTrace
import Testing

@Suite struct CRC32CTests {
    @Test func standardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func emptyInputIsZero() {
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test func slicedAndBytewisePathsAgree() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 7, 8, 9, 500, 999] {
            let first = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
            let whole = bytes[split...].withUnsafeBytes { CRC32C.checksum($0, seed: first) }
            #expect(whole == CRC32C.checksum(bytes))
        }
    }
}
