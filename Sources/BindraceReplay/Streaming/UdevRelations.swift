#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BindraceTrace

/// For each devpath (by string id), the devpaths with finished udev events
/// that udevd would serialise it against: the same text, an ancestor
/// directory, or a descendant (`HappensBeforeTracker.related`). Kept up to
/// date as devpaths finish their first event, so that taking a uevent costs
/// a list walk, not text comparisons.
///
/// Texts are found by a hash of their bytes, every ancestor's hash taken in
/// one pass over the path; a hash's ids are told apart by their bytes (the
/// kernel's devpaths are ASCII, where bytes and `String` equality agree). Keyed
/// by the texts themselves, each devpath's first sight and first finish
/// built and hashed a string per ancestor directory: 25,000 instructions a
/// devpath, 3% of the clock stage on the synthetic traces.
struct UdevRelations {
    /// Per string id: 0 unseen, 1 seen, 2 seen and finished.
    private var state: [UInt8] = []
    /// Per string id (seen ones): finished related ids.
    private var related: [[StringID]] = []
    /// Seen ids by the hash of their text, and by the hash of each proper
    /// ancestor directory of their text.
    private var byText: [UInt64: [StringID]] = [:]
    private var below: [UInt64: [StringID]] = [:]
    private var texts: [String] = []
    /// The proper ancestor directories of the path last hashed, each its
    /// length and hash (reused from path to path).
    private var ancestors: [(length: Int, hash: UInt64)] = []
    /// Bits of the hash kept: all but in tests, which make texts collide.
    var hashMask: UInt64 = .max

    /// How many finished devpaths relate to `id` (seeing it if new); read
    /// them with `finishedRelated(to:_:)`. By index, not as an array: taking
    /// a uevent then costs no reference counting.
    @inline(__always)
    mutating func finishedRelatedCount(to id: StringID, strings: StringTable) -> Int {
        see(id, strings: strings)
        return related[Int(id)].count
    }

    /// The `k`th finished devpath related to `id` (seen already).
    @inline(__always)
    func finishedRelated(to id: StringID, _ k: Int) -> StringID { related[Int(id)][k] }

    /// `id` finished an event: it becomes related to every seen devpath it relates to.
    mutating func noteFinished(_ id: StringID, strings: StringTable) {
        see(id, strings: strings)
        let i = Int(id)
        guard state[i] == 1 else { return }
        state[i] = 2
        for other in relatives(of: texts[i]) { related[Int(other)].append(id) }
    }

    @inline(__always)
    private mutating func see(_ id: StringID, strings: StringTable) {
        let i = Int(id)
        if i < state.count, state[i] != 0 { return }
        firstSight(id, strings: strings)
    }

    private mutating func firstSight(_ id: StringID, strings: StringTable) {
        let i = Int(id)
        if state.count <= i {
            let grown = max(i + 1, state.count * 2, 64)
            state.append(contentsOf: repeatElement(0, count: grown - state.count))
            related.append(contentsOf: repeatElement([], count: grown - related.count))
            texts.append(contentsOf: repeatElement("", count: grown - texts.count))
        }
        let text = strings[id]
        texts[i] = text
        state[i] = 1
        let whole = hashPath(text)
        byText[whole, default: []].append(id)
        for (k, a) in ancestors.enumerated() {
            // Once per hash: two ancestors whose hashes collide share a list.
            if ancestors[0..<k].contains(where: { $0.hash == a.hash }) { continue }
            below[a.hash, default: []].append(id)
        }
        // Related finished ones so far.
        related[i] = relatives(of: text).filter { state[Int($0)] == 2 }
    }

    /// Seen ids whose text equals `text`, is an ancestor of it, or lies
    /// below it; in the order of the lookups by text they replace.
    private mutating func relatives(of text: String) -> [StringID] {
        let whole = hashPath(text)
        var out: [StringID] = []
        if let ids = byText[whole] { for c in ids where Self.bytesEqual(texts[Int(c)], text) { out.append(c) } }
        guard !text.isEmpty else { return out }
        for a in ancestors {
            guard let ids = byText[a.hash] else { continue }
            for c in ids where Self.isPrefix(texts[Int(c)], of: text, length: a.length) { out.append(c) }
        }
        if let ids = below[whole] { for c in ids where Self.isAncestor(text, of: texts[Int(c)]) { out.append(c) } }
        return out
    }

    /// The hash of `path`'s bytes; fills `ancestors` with each proper
    /// ancestor directory's (a prefix ending before a "/" past the first
    /// byte, as `UdevPathIndex.ancestors` cuts them).
    private mutating func hashPath(_ path: String) -> UInt64 {
        ancestors.removeAll(keepingCapacity: true)
        let mask = hashMask
        return Self.withBytes(path) { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for (length, byte) in bytes.enumerated() {
                if byte == UInt8(ascii: "/") && length > 0 { ancestors.append((length, hash & mask)) }
                // FNV-1a, one byte at a time: the prefix hashes come with it.
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            return hash & mask
        }
    }

    /// `body` on the string's UTF-8 bytes (in place for a native string).
    private static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = s
        return text.withUTF8(body)
    }

    private static func bytesEqual(_ a: String, _ b: String) -> Bool {
        withBytes(a) { x in withBytes(b) { y in x.count == y.count && same(x, y, x.count) } }
    }

    /// Whether `candidate` is the first `length` bytes of `path`.
    private static func isPrefix(_ candidate: String, of path: String, length: Int) -> Bool {
        withBytes(candidate) { c in withBytes(path) { p in c.count == length && p.count >= length && same(c, p, length) } }
    }

    /// Whether `ancestor` is a proper ancestor directory of `path`: its
    /// bytes, then a "/" (and not empty).
    private static func isAncestor(_ ancestor: String, of path: String) -> Bool {
        withBytes(ancestor) { a in
            withBytes(path) { p in a.count > 0 && p.count > a.count && p[a.count] == UInt8(ascii: "/") && same(a, p, a.count) }
        }
    }

    /// The first `n` bytes of `a` and `b` (both at least that long) are equal.
    private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
        n == 0 || memcmp(a.baseAddress!, b.baseAddress!, n) == 0
    }
}
