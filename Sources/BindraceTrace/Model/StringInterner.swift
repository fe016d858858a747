/// A writer's string table: assigns ids in first-use order and remembers which
/// strings the next strings chunk must define.
public struct StringInterner: Sendable {
    private var ids: [String: StringID] = ["": 0]
    private(set) var pending: [String] = []
    public private(set) var count = 1

    public init() {}

    public mutating func intern(_ text: String) -> StringID {
        if let id = ids[text] { return id }
        let id = StringID(count)
        ids[text] = id
        pending.append(text)
        count += 1
        return id
    }

    /// The strings defined since the last call, and the id of the first.
    mutating func takePending() -> (firstID: StringID, strings: [String]) {
        let taken = pending
        pending.removeAll(keepingCapacity: true)
        return (StringID(count - taken.count), taken)
    }
}
