/// kmod's name normalisation: module names and aliases treat `-` and `_` alike
/// by turning `-` into `_`, except inside `[...]` (libkmod-util.c,
/// alias_normalize and modname_normalize).
public enum AliasNormalizer {
    /// kmod works in PATH_MAX buffers; alias_normalize stops after 4095 bytes.
    public static let maximumLength = 4095

    /// alias_normalize: nil for an unmatched `]` or `[` (kmod: -EINVAL; depmod
    /// skips such an alias with "Unmatched bracket").
    public static func normalizeAlias(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { normalizeAlias(bytes: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// `normalizeAlias` on the pattern's bytes, giving the bytes of its
    /// result (those of the String `normalizeAlias` gives, even where the
    /// 4095-byte cut falls inside a character).
    public static func normalizeAlias(bytes text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        // Copied whole, then changed in place: a byte at a time it was a
        // thousand instructions a modules.alias pattern.
        var out = Array(UnsafeBufferPointer(rebasing: text.prefix(maximumLength)))
        let brackets = out.withUnsafeMutableBufferPointer(underscoreDashes)
        guard !brackets.strayClose, !brackets.leftOpen else { return nil }
        // Text a cut made invalid reads as the String of it would.
        return out.withUnsafeBufferPointer(ByteScan.isASCII) ? out : Array(String(decoding: out, as: UTF8.self).utf8)
    }

    /// Every `-` outside `[...]` becomes `_`, in place, up to a `[` left
    /// open, where it stops; says whether a `]` came outside brackets and
    /// whether a `[` was left open (alias_normalize refuses either,
    /// underscores() neither).
    private static func underscoreDashes(_ out: inout UnsafeMutableBufferPointer<UInt8>) -> (strayClose: Bool, leftOpen: Bool) {
        var strayClose = false
        // Most patterns hold none of the three: found eight bytes at a time.
        var i = ByteScan.first(UInt8(ascii: "-"), UInt8(ascii: "]"), UInt8(ascii: "["), in: UnsafeBufferPointer(out), from: 0)
        while i < out.count {
            switch out[i] {
            case UInt8(ascii: "-"):
                out[i] = UInt8(ascii: "_")
            case UInt8(ascii: "]"):
                strayClose = true
            case UInt8(ascii: "["):
                while i < out.count && out[i] != UInt8(ascii: "]") { i += 1 }
                if i == out.count { return (strayClose, true) }
            default:
                break
            }
            i += 1
        }
        return (strayClose, false)
    }

    /// modname_normalize: every `-` becomes `_`, and a module file's `.ko...`
    /// suffix is not part of the name.
    public static func normalizeModuleName(_ name: some StringProtocol) -> String {
        var out: [UInt8] = []
        for c in name.utf8.prefix(maximumLength) {
            if c == UInt8(ascii: ".") { break }
            out.append(c == UInt8(ascii: "-") ? UInt8(ascii: "_") : c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// libkmod-config.c underscores(): what modprobe.d names go through. Like
    /// alias_normalize, but an unmatched bracket is only logged, never fatal.
    public static func underscores(_ text: some StringProtocol) -> String {
        var out = Array(text.utf8)
        _ = out.withUnsafeMutableBufferPointer(underscoreDashes)
        return String(decoding: out, as: UTF8.self)
    }

    /// The module name for a path in modules.dep or modules.order.
    public static func moduleName(fromPath path: some StringProtocol) -> String {
        let text = String(path)
        let base = text.split(separator: "/" as Character).last.map(String.init) ?? text
        return normalizeModuleName(base)
    }
}
