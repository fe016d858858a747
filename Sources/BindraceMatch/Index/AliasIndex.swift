/// Alias patterns indexed by their literal prefix in a byte trie, so a lookup
/// walks the key once and runs fnmatch only on patterns whose literal prefix
/// the key starts with (kmod's own index does the same: libkmod-index.c).
///
/// Result order reproduces kmod's index_mm_searchwild: values are collected
/// in trie visiting order and each is inserted before the first collected
/// value of equal or higher priority (add_value). For modules.alias the
/// priority is the module's depmod position, for built-in aliases it is 0.
public struct AliasIndex: Sendable {
    public struct Item: Hashable, Sendable {
        public var entry: AliasEntry
        public var priority: UInt32
    }

    public private(set) var items: [Item] = []

    /// A node of the trie: its byte, its first and last child and next
    /// sibling (siblings in ascending byte order), and the first and last
    /// of the items ending there, in insertion order through `nextItem`.
    /// Lists of lists cost an allocation or two a node: a modules.alias of
    /// 30,000 lines took 4,400 instructions a line to index so; as six
    /// arrays, a new node was six appends.
    struct Node {
        var byte: UInt8
        var firstChild: Int32 = -1
        /// The child with the highest byte: patterns come in ascending
        /// order more often than not, and a child past it needs no walk.
        var lastChild: Int32 = -1
        var nextSibling: Int32 = -1
        var firstItem: Int32 = -1
        var lastItem: Int32 = -1
    }

    private var nodes = [Node(byte: 0)]
    /// Per item: the next item ending at its node, -1 none.
    private var nextItem: [Int32] = []
    /// The literal prefix inserted last, each byte with the node it leads
    /// to (`lastPathCount` of them; the array only grows): the next
    /// insertion starts where the two prefixes part. A module's aliases
    /// come together in modules.alias and share all but their last bytes;
    /// walked from the root, each cost about 1,400 instructions.
    private var lastPath: [(byte: UInt8, node: Int32)] = []
    private var lastPathCount = 0

    public init() {}

    /// `priorities[i]`: entry `i`'s.
    public init(entries: [AliasEntry], priorities: [UInt32]) {
        precondition(priorities.count == entries.count, "a priority for each entry")
        items.reserveCapacity(entries.count)
        nextItem.reserveCapacity(entries.count)
        for (entry, priority) in zip(entries, priorities) { insert(entry, priority: priority) }
    }

    public var count: Int { items.count }

    public mutating func insert(_ entry: AliasEntry, priority: UInt32) {
        let id = Int32(items.count)
        items.append(Item(entry: entry, priority: priority))
        nextItem.append(-1)
        let literal = entry.glob.bytes.prefix(entry.glob.literalCount)
        var shared = 0
        let limit = min(literal.count, lastPathCount)
        while shared < limit && literal[shared] == lastPath[shared].byte { shared += 1 }
        var node = shared == 0 ? 0 : Int(lastPath[shared - 1].node)
        for k in shared..<literal.count {
            node = child(of: node, byte: literal[k])
            let step = (byte: literal[k], node: Int32(node))
            if k < lastPath.count { lastPath[k] = step } else { lastPath.append(step) }
        }
        lastPathCount = literal.count
        if nodes[node].lastItem >= 0 { nextItem[Int(nodes[node].lastItem)] = id } else { nodes[node].firstItem = id }
        nodes[node].lastItem = id
    }

    /// The child of `node` for `byte`, made if there is none.
    private mutating func child(of node: Int, byte: UInt8) -> Int {
        var previous: Int32 = -1
        var child = nodes[node].firstChild
        let last = nodes[node].lastChild
        if last >= 0 && nodes[Int(last)].byte <= byte {
            if nodes[Int(last)].byte == byte { return Int(last) }
            (previous, child) = (last, -1)
        } else {
            while child >= 0 && nodes[Int(child)].byte < byte {
                previous = child
                child = nodes[Int(child)].nextSibling
            }
            if child >= 0 && nodes[Int(child)].byte == byte { return Int(child) }
        }
        let new = Int32(nodes.count)
        nodes.append(Node(byte: byte, nextSibling: child))
        if previous >= 0 { nodes[Int(previous)].nextSibling = new } else { nodes[node].firstChild = new }
        if child < 0 { nodes[node].lastChild = new }
        return Int(new)
    }

    /// Ids of the items whose pattern matches `key`, in no particular order.
    public func matchingItems(_ key: [UInt8]) -> [Int] {
        var found: [Int] = []
        key.withUnsafeBufferPointer { k in
            var node = 0
            var depth = 0
            while true {
                var id = nodes[node].firstItem
                while id >= 0 {
                    let glob = items[Int(id)].entry.glob
                    if glob.literalCount == glob.bytes.count {
                        if depth == k.count { found.append(Int(id)) }
                    } else if glob.bytes.withUnsafeBufferPointer({ p in
                        FNMatch.matches(pattern: UnsafeBufferPointer(rebasing: p[glob.literalCount...]),
                                        string: UnsafeBufferPointer(rebasing: k[depth...]))
                    }) {
                        found.append(Int(id))
                    }
                    id = nextItem[Int(id)]
                }
                guard depth < k.count else { break }
                let byte = k[depth]
                var child = nodes[node].firstChild
                while child >= 0 && nodes[Int(child)].byte < byte { child = nodes[Int(child)].nextSibling }
                guard child >= 0 && nodes[Int(child)].byte == byte else { break }
                node = Int(child)
                depth += 1
            }
        }
        return found
    }

    /// The matching items in the order kmod returns them.
    public func lookup(_ key: [UInt8]) -> [Item] {
        let ids = matchingItems(key)
        if ids.isEmpty { return [] }
        return KmodResultOrder.order(ids.map { items[$0] }, insertionIds: ids)
    }

    public func lookup(_ key: String) -> [Item] { lookup(Array(key.utf8)) }

    /// Every item tested one by one: the baseline the benchmark compares to.
    public func linearScan(_ key: [UInt8]) -> [Item] {
        var ids: [Int] = []
        for (i, item) in items.enumerated() where item.entry.glob.matches(key) { ids.append(i) }
        if ids.isEmpty { return [] }
        return KmodResultOrder.order(ids.map { items[$0] }, insertionIds: ids)
    }
}
