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

    // Trie: per node, sorted child bytes with node ids, and items ending here.
    private var childBytes: [[UInt8]] = [[]]
    private var childNodes: [[Int32]] = [[]]
    private var nodeItems: [[Int32]] = [[]]

    public init() {}

    public init(entries: [AliasEntry], priority: (AliasEntry) -> UInt32) {
        items.reserveCapacity(entries.count)
        for entry in entries { insert(entry, priority: priority(entry)) }
    }

    public var count: Int { items.count }

    public mutating func insert(_ entry: AliasEntry, priority: UInt32) {
        let id = Int32(items.count)
        items.append(Item(entry: entry, priority: priority))
        var node = 0
        for byte in entry.glob.bytes[0..<entry.glob.literalCount] {
            let children = childBytes[node]
            if let at = children.firstIndex(of: byte) {
                node = Int(childNodes[node][at])
            } else {
                let new = childBytes.count
                childBytes.append([])
                childNodes.append([])
                nodeItems.append([])
                let position = children.firstIndex(where: { $0 > byte }) ?? children.count
                childBytes[node].insert(byte, at: position)
                childNodes[node].insert(Int32(new), at: position)
                node = new
            }
        }
        nodeItems[node].append(id)
    }

    /// Ids of the items whose pattern matches `key`, in no particular order.
    public func matchingItems(_ key: [UInt8]) -> [Int] {
        var found: [Int] = []
        key.withUnsafeBufferPointer { k in
            var node = 0
            var depth = 0
            while true {
                for id in nodeItems[node] {
                    let glob = items[Int(id)].entry.glob
                    if glob.literalCount == glob.bytes.count {
                        if depth == k.count { found.append(Int(id)) }
                    } else if glob.bytes.withUnsafeBufferPointer({ p in
                        FNMatch.matches(pattern: UnsafeBufferPointer(rebasing: p[glob.literalCount...]),
                                        string: UnsafeBufferPointer(rebasing: k[depth...]))
                    }) {
                        found.append(Int(id))
                    }
                }
                guard depth < k.count else { break }
                let byte = k[depth]
                guard let at = childBytes[node].firstIndex(of: byte) else { break }
                node = Int(childNodes[node][at])
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
