import BindraceCheck
import Testing

@Suite struct SelectorSyntaxTests {
    @Test func bdfCompletesTheDomainAndRejectsNonsense() {
        #expect(SelectorSyntax.bdf("01:00.0") == "0000:01:00.0")
        #expect(SelectorSyntax.bdf("0000:3B:00.7") == "0000:3b:00.7")
        #expect(SelectorSyntax.bdf("0000:01:00.8") == nil)
        #expect(SelectorSyntax.bdf("0000:01:20.0") == nil)
        #expect(SelectorSyntax.bdf("eth0") == nil)
    }

    @Test func classPrefixesBecomeMasks() throws {
        let c = try #require(SelectorSyntax.classCode("03"))
        #expect(c.value == 0x030000 && c.mask == 0xFF0000)
        let vga = try #require(SelectorSyntax.classCode("0300"))
        #expect(vga.value == 0x030000 && vga.mask == 0xFFFF00)
        #expect(SelectorSyntax.classCode("030") == nil)
        #expect(SelectorSyntax.classCode("030000/ff0000")?.mask == 0xFF0000)
    }

    @Test func idsTakeTwoOrFourFields() {
        #expect(SelectorSyntax.ids("10de:1db4")?.device == 0x1db4)
        #expect(SelectorSyntax.ids("10de:*:10de:1212")?.device == nil)
        #expect(SelectorSyntax.ids("10de") == nil)
        #expect(SelectorSyntax.ids("10de:1db4:10de") == nil)
    }
}
