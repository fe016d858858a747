/// glibc fnmatch(3) with flags 0 in the C locale, which is what kmod calls:
/// `*` and `?` match any byte (also `/` and a leading `.`), `[...]` with `!`
/// or `^` negation, ranges and `[:class:]`, backslash escapes. A `[` without a
/// closing `]` is an ordinary character.
public enum FNMatch {
    public static func matches(pattern: String, string: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(string.utf8)
        return p.withUnsafeBufferPointer { pb in s.withUnsafeBufferPointer { sb in matches(pattern: pb, string: sb) } }
    }

    /// Iterative matcher: on a mismatch, backtrack to the last `*` and let it
    /// swallow one more byte. Linear memory, no recursion.
    public static func matches(pattern p: UnsafeBufferPointer<UInt8>, string s: UnsafeBufferPointer<UInt8>) -> Bool {
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                let c = p[pi]
                switch c {
                case UInt8(ascii: "*"):
                    // Consecutive stars are one star.
                    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
                    if pi == p.count { return true }
                    starP = pi
                    starS = si
                    continue
                case UInt8(ascii: "?"):
                    pi += 1
                    si += 1
                    continue
                case UInt8(ascii: "["):
                    if let (matched, next) = bracket(p, at: pi, byte: s[si]) {
                        if matched {
                            pi = next
                            si += 1
                            continue
                        }
                    } else if s[si] == c {
                        // Unterminated bracket: a literal '['.
                        pi += 1
                        si += 1
                        continue
                    }
                case UInt8(ascii: "\\"):
                    let literal = pi + 1 < p.count ? p[pi + 1] : c
                    if s[si] == literal {
                        pi += pi + 1 < p.count ? 2 : 1
                        si += 1
                        continue
                    }
                default:
                    if s[si] == c {
                        pi += 1
                        si += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            starS += 1
            si = starS
            pi = starP
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    /// Evaluates the bracket expression starting at `p[start] == '['` against
    /// `byte`. Returns nil when the bracket is not terminated.
    static func bracket(_ p: UnsafeBufferPointer<UInt8>, at start: Int, byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && (p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^")) {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < p.count {
            var c = p[i]
            if c == UInt8(ascii: "]") && !first {
                return (matched != negate, i + 1)
            }
            first = false
            if c == UInt8(ascii: "[") && i + 1 < p.count && (p[i + 1] == UInt8(ascii: ":") || p[i + 1] == UInt8(ascii: "=") || p[i + 1] == UInt8(ascii: ".")) {
                let kind = p[i + 1]
                var j = i + 2
                while j + 1 < p.count && !(p[j] == kind && p[j + 1] == UInt8(ascii: "]")) { j += 1 }
                guard j + 1 < p.count else { return nil }
                let name = String(decoding: UnsafeBufferPointer(rebasing: p[(i + 2)..<j]), as: UTF8.self)
                if kind == UInt8(ascii: ":") {
                    if characterClass(name, contains: byte) { matched = true }
                } else if name.utf8.count == 1 && name.utf8.first == byte {
                    matched = true
                }
                i = j + 2
                continue
            }
            if c == UInt8(ascii: "\\") && i + 1 < p.count {
                i += 1
                c = p[i]
            }
            // Range a-b (a '-' before ']' is literal).
            if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                var hi = p[i + 2]
                var consumed = 3
                if hi == UInt8(ascii: "\\") && i + 3 < p.count {
                    hi = p[i + 3]
                    consumed = 4
                }
                if c <= byte && byte <= hi { matched = true }
                i += consumed
                continue
            }
            if c == byte { matched = true }
            i += 1
        }
        return nil
    }

    static func characterClass(_ name: String, contains b: UInt8) -> Bool {
        let isUpper = b >= 0x41 && b <= 0x5A, isLower = b >= 0x61 && b <= 0x7A
        let isDigit = b >= 0x30 && b <= 0x39
        switch name {
        case "alpha": return isUpper || isLower
        case "digit": return isDigit
        case "alnum": return isUpper || isLower || isDigit
        case "upper": return isUpper
        case "lower": return isLower
        case "xdigit": return isDigit || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
        case "space": return b == 0x20 || (b >= 0x09 && b <= 0x0D)
        case "blank": return b == 0x20 || b == 0x09
        case "punct": return b >= 0x21 && b <= 0x7E && !(isUpper || isLower || isDigit)
        case "print": return b >= 0x20 && b <= 0x7E
        case "graph": return b >= 0x21 && b <= 0x7E
        case "cntrl": return b < 0x20 || b == 0x7F
        default: return false
        }
    }
}
