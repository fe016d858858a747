/// A reader's view of a trace's strings: id → text. Id 0 is the empty string.
public struct StringTable: Sendable {
    public private(set) var strings: [String] = [""]
    /// Ids whose defining chunk was lost.
    public private(set) var lostIDs = 0

    public init() {}

    public var count: Int { strings.count }

    /// The text of `id`; a placeholder for ids that were lost or never defined,
    /// so that damage shows up in output instead of crashing.
    public subscript(id: StringID) -> String {
        Int(id) < strings.count ? strings[Int(id)] : "<unknown string #\(id)>"
    }

    public func contains(_ id: StringID) -> Bool { Int(id) < strings.count }

    public mutating func append(_ text: String) { strings.append(text) }

    /// Ids up to `next` whose definitions were lost with a damaged chunk.
    mutating func fillGap(upTo next: Int) {
        while strings.count < next {
            strings.append("<lost string #\(strings.count)>")
            lostIDs += 1
        }
    }
}
