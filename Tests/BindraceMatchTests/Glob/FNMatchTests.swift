import Testing
@testable import BindraceMatch

@Suite struct FNMatchTests {
    @Test(arguments: [
        ("pci:v*d*", "pci:v00008086d00001234", true),
        ("a?c", "abc", true), ("a?c", "ac", false),
        ("d0[0-2]*", "d01x", true), ("d0[0-2]*", "d03x", false),
        ("[!a]x", "bx", true), ("[!a]x", "ax", false), ("[^a]x", "ax", false),
        ("[]]", "]", true), ("[a-]", "-", true), ("[[:digit:]]", "7", true), ("[[:digit:]]", "x", false),
        ("a\\*", "a*", true), ("a\\*", "ab", false),
        ("[abc", "[abc", true), ("*", "", true), ("**a", "bba", true), ("*a*b", "xaxxb", true), ("*a*b", "xaxx", false),
    ])
    func glob(pattern: String, text: String, expected: Bool) {
        #expect(FNMatch.matches(pattern: pattern, string: text) == expected)
    }

    @Test func literalPrefixIsComparedBytewise() {
        let glob = KmodGlob(normalized: "pci:v00008086d*")
        #expect(glob.literalCount == 14)
        #expect(glob.matches(Array("pci:v00008086d00001234".utf8)))
        #expect(!glob.matches(Array("pci:v00008087d00001234".utf8)))
        #expect(glob.starCount == 1)
    }

    @Test func aliasNormalizationFollowsKmod() {
        #expect(AliasNormalizer.normalizeAlias("snd-hda-intel") == "snd_hda_intel")
        #expect(AliasNormalizer.normalizeAlias("usb:v1[a-b]-x") == "usb:v1[a-b]_x")
        #expect(AliasNormalizer.normalizeAlias("bad]") == nil)
        #expect(AliasNormalizer.normalizeAlias("bad[") == nil)
        #expect(AliasNormalizer.normalizeModuleName("vfio-pci.ko.xz") == "vfio_pci")
        #expect(AliasNormalizer.underscores("x-[a-b") == "x_[a-b")
    }
}
