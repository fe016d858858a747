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

    // The trie, flat: per node its byte, its first child and next sibling
    // (siblings in ascending byte order), and the first and last of the
    // items ending there, in insertion order through `nextItem`. Lists of
    // lists cost an allocation or two a node: a modules.alias of 30,000
    // lines took 4,400 instructions a line to index so.
    private var nodeByte: [UInt8] = [0]
    private var firstChild: [Int32] = [-1]
    private var nextSibling: [Int32] = [-1]
    private var firstItem: [Int32] = [-1]
    private var lastItem: [Int32] = [-1]
    /// Per item: the next item ending at its node, -1 none.
    private var nextItem: [Int32] = []

    public init() {}

    public init(entries: [AliasEntry], priority: (AliasEntry) -> UInt32) {
        items.reserveCapacity(entries.count)
        nextItem.reserveCapacity(entries.count)
        for entry in entries { insert(entry, priority: priority(entry)) }
    }

    public var count: Int { items.count }

    public mutating func insert(_ entry: AliasEntry, priority: UInt32) {
        let id = Int32(items.count)
        items.append(Item(entry: entry, priority: priority))
        nextItem.append(-1)
        var node = 0
        for k in 0..<entry.glob.literalCount {
            let byte = entry.glob.bytes[k]
            var previous: Int32 = -1
            var child = firstChild[node]
            while child >= 0 && nodeByte[Int(child)] < byte {
                previous = child
                child = nextSibling[Int(child)]
            }
            if child >= 0 && nodeByte[Int(child)] == byte {
                node = Int(child)
                continue
            }
            let new = Int32(nodeByte.count)
            nodeByte.append(byte)
            firstChild.append(-1)
            nextSibling.append(child)
            firstItem.append(-1)
            lastItem.append(-1)
            if previous >= 0 { nextSibling[Int(previous)] = new } else { firstChild[node] = new }
            node = Int(new)
        }
        if lastItem[node] >= 0 { nextItem[Int(lastItem[node])] = id } else { firstItem[node] = id }
        lastItem[node] = id
    }

    /// Ids of the items whose pattern matches `key`, in no particular order.
    public func matchingItems(_ key: [UInt8]) -> [Int] {
        var found: [Int] = []
        key.withUnsafeBufferPointer { k in
            var node = 0
            var depth = 0
            while true {
                var id = firstItem[node]
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
                var child = firstChild[node]
                while child >= 0 && nodeByte[Int(child)] < byte { child = nextSibling[Int(child)] }
                guard child >= 0 && nodeByte[Int(child)] == byte else { break }
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
