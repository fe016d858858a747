/// The order in which kmod's wildcard index search returns values
/// (libkmod-index.c): nodes are visited walking the key, and at each depth the
/// `*`, `?` and `[` subtrees come before the next literal byte; inside a
/// wildcard subtree children come in byte order before the node itself; an
/// exact match comes last. Each value goes in front of the collected values
/// of equal or higher priority (add_value), and depmod stores a node's values
/// the same way, so equal priorities within one node keep insertion order.
enum KmodResultOrder {
    static func order(_ items: [AliasIndex.Item], insertionIds: [Int]) -> [AliasIndex.Item] {
        if items.count == 1 { return items }
        // Group by pattern: one trie node per distinct pattern.
        var groups: [[UInt8]: [(item: AliasIndex.Item, id: Int)]] = [:]
        var patterns: [[UInt8]] = []
        for (item, id) in zip(items, insertionIds) {
            let key = item.entry.glob.bytes
            if groups[key] == nil { patterns.append(key) }
            groups[key, default: []].append((item, id))
        }
        patterns.sort(by: visitedBefore)
        var result: [AliasIndex.Item] = []
        for pattern in patterns {
            // depmod's node list: priority ascending, equal priorities newest first.
            let stored = groups[pattern]!.sorted {
                $0.item.priority != $1.item.priority ? $0.item.priority < $1.item.priority : $0.id > $1.id
            }
            for value in stored {
                let at = result.firstIndex(where: { $0.priority >= value.item.priority }) ?? result.count
                result.insert(value.item, at: at)
            }
        }
        return result
    }

    /// Whether kmod's search reaches node `a` before node `b` (both match the key).
    static func visitedBefore(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let wa = firstWildcard(a), wb = firstWildcard(b)
        switch (wa, wb) {
        case (nil, nil): return false
        case (nil, _): return false  // the exact node comes last
        case (_, nil): return true
        case let (x?, y?):
            if x != y { return x < y }
            // Same wildcard subtree depth: post-order, bytes ascending.
            var i = x
            while i < a.count && i < b.count {
                if a[i] != b[i] { return a[i] < b[i] }
                i += 1
            }
            // A proper prefix is the ancestor node, visited after its children.
            return a.count > b.count
        }
    }

    static func firstWildcard(_ p: [UInt8]) -> Int? {
        p.firstIndex(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") })
    }
}
