/// Finished udev events per devpath (by string id): the latest few, oldest
/// first, as the baseline keeps them (`HappensBeforeTracker.udevFinishedKept`),
/// with their ends' clocks. Per string id only the place of its entry is
/// kept; entries, clocks by value included, exist for the devpaths held
/// (at most `devpathLimit` and one), not for every string a trace names.
struct FinishedUdevEvents<Store: ClockStore> {
    typealias Clock = Store.Clock
    static var kept: Int { 4 }
    /// Per string id: its entry, -1 none.
    private var entryOf = PlainBuffer<Int32>(capacity: 256)
    private var counts = PlainBuffer<UInt8>(capacity: 256)
    /// Per entry: where its oldest kept event lies among its `kept` places (a ring).
    private var starts = PlainBuffer<UInt8>(capacity: 256)
    private var seqnums = PlainBuffer<UInt64>(capacity: 1024)
    private var clocks = PlainBuffer<Clock>(capacity: 1024)
    /// Per entry: the join of every finished event's end, and the highest seqnum.
    private var joined = PlainBuffer<Clock>(capacity: 256)
    private var maxSeqnums = PlainBuffer<UInt64>(capacity: 256)
    private var freeEntries = PlainBuffer<Int32>()
    /// Devpaths holding finished events, oldest first finished (with the
    /// generation that put them there): past `devpathLimit` the oldest is
    /// forgotten, so a trace with endless hotplugged devices keeps only the
    /// recent ones (a device's events are serialized by the time it is long gone).
    private var held = InsertionOrder<UInt32>()
    private var heldCount = 0
    private var generations = PlainBuffer<UInt32>(capacity: 256)
    private var generation: UInt32 = 0
    static var devpathLimit: Int { 8192 }

    /// The devpath's entry, or -1.
    @inline(__always)
    private func entry(_ devpath: Int) -> Int { devpath < entryOf.count ? Int(entryOf.base[devpath]) : -1 }

    /// The join of all finished events of `devpath` when `seqnum` comes
    /// after every one of them (nil: none, or use the kept ones one by one).
    @inline(__always)
    func joinedBefore(_ devpath: Int, _ seqnum: UInt64) -> Clock? {
        let e = entry(devpath)
        guard e >= 0, seqnum > maxSeqnums.base[e] else { return nil }
        return joined.base[e]
    }

    /// A finished event: kept (`held`, a holder of `clock` the table takes;
    /// the oldest kept is given back when full) and folded into the
    /// devpath's join. True when the devpath had none kept before.
    @inline(__always)
    mutating func finish(_ devpath: Int, _ seqnum: UInt64, held: Clock, _ clock: Clock, store: inout Store) -> Bool {
        var e = entry(devpath)
        let first = e < 0
        if first { e = newEntry(devpath) }
        if let dropped = append(entry: e, seqnum, held) { store.release(dropped) }
        store.fold(&joined.base[e], clock)
        maxSeqnums.base[e] = max(maxSeqnums.base[e], seqnum)
        return first
    }

    /// Forgets the devpaths finished longest ago past the limit, giving back
    /// their clocks. Asked at every finished event, over the limit seldom.
    @inline(__always)
    mutating func trim(store: inout Store) {
        if heldCount > Self.devpathLimit { forgetOldest(store: &store) }
    }

    private mutating func forgetOldest(store: inout Store) {
        while heldCount > Self.devpathLimit, let oldest = held.popOldest() {
            let d = Int(oldest.key), e = entry(d)
            guard e >= 0, generations.base[e] == oldest.generation else { continue }
            for k in 0..<Int(counts.base[e]) { store.release(clocks.base[e * Self.kept + k]) }
            store.release(joined.base[e])
            entryOf.base[d] = -1
            freeEntries.append(Int32(e))
            heldCount -= 1
        }
    }

    /// Entries made so far (held ones and free ones): bounded by the limit, not by the trace.
    var entriesHeld: Int { counts.count }

    @inline(__always)
    func count(_ devpath: Int) -> Int {
        let e = entry(devpath)
        return e >= 0 ? Int(counts.base[e]) : 0
    }

    /// Where the devpath's `k`th kept event (oldest first) lies.
    @inline(__always)
    private func place(_ devpath: Int, _ k: Int) -> Int {
        let e = entry(devpath)
        return e * Self.kept + ((Int(starts.base[e]) + k) & (Self.kept - 1))
    }

    @inline(__always)
    func seqnum(_ devpath: Int, _ k: Int) -> UInt64 { seqnums.base[place(devpath, k)] }

    @inline(__always)
    func clock(_ devpath: Int, _ k: Int) -> Clock { clocks.base[place(devpath, k)] }

    /// Keeps an event of a devpath held already; returns the clock pushed
    /// out when full (the oldest's place takes the new one).
    @inline(__always)
    private mutating func append(entry e: Int, _ seqnum: UInt64, _ clock: Clock) -> Clock? {
        let n = Int(counts.base[e]), start = Int(starts.base[e])
        let at = e * Self.kept + ((start + n) & (Self.kept - 1))
        let dropped: Clock? = n < Self.kept ? nil : clocks.base[at]
        seqnums.base[at] = seqnum
        clocks.base[at] = clock
        if n < Self.kept {
            counts.base[e] = UInt8(n + 1)
        } else {
            starts.base[e] = UInt8((start + 1) & (Self.kept - 1))
        }
        return dropped
    }

    /// An empty entry for a devpath with none, held from now on.
    private mutating func newEntry(_ devpath: Int) -> Int {
        if devpath >= entryOf.count { entryOf.extend(to: max(devpath + 1, entryOf.count * 2), with: -1) }
        let e: Int
        if let reused = freeEntries.popLast() {
            e = Int(reused)
        } else {
            e = counts.count
            counts.append(0)
            starts.append(0)
            seqnums.extend(to: (e + 1) * Self.kept, with: 0)
            clocks.extend(to: (e + 1) * Self.kept, with: Store.zero)
            joined.append(Store.zero)
            maxSeqnums.append(0)
            generations.append(0)
        }
        counts.base[e] = 0
        starts.base[e] = 0
        joined.base[e] = Store.zero
        maxSeqnums.base[e] = 0
        generation &+= 1
        generations.base[e] = generation
        entryOf.base[devpath] = Int32(e)
        held.append(UInt32(devpath), generation)
        heldCount += 1
        return e
    }

    /// The same events with each clock held converted to another store's.
    func mapped<Other: ClockStore>(_ convert: (Clock) -> Other.Clock) -> FinishedUdevEvents<Other> {
        var out = FinishedUdevEvents<Other>()
        out.entryOf = entryOf
        out.counts = counts
        out.starts = starts
        out.seqnums = seqnums
        out.maxSeqnums = maxSeqnums
        out.freeEntries = freeEntries
        out.held = held
        out.heldCount = heldCount
        out.generations = generations
        out.generation = generation
        var live = [Bool](repeating: false, count: counts.count)
        for d in 0..<entryOf.count where entryOf.base[d] >= 0 { live[Int(entryOf.base[d])] = true }
        for e in 0..<counts.count {
            out.joined.append(live[e] ? convert(joined.base[e]) : Other.zero)
            // Places in ring order: the kept ones are the `count` from `start` on.
            for place in 0..<Self.kept {
                let k = (place - Int(starts.base[e]) + Self.kept) & (Self.kept - 1)
                out.clocks.append(live[e] && k < Int(counts.base[e]) ? convert(clocks.base[e * Self.kept + place]) : Other.zero)
            }
        }
        return out
    }
}
