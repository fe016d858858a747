import CBindracePrefetch

/// The vector clocks of the streaming core: rows of one flat buffer, shared
/// copy-on-write through reference counts. Row -1 is the zero clock.
///
/// A hand-off (a fork, an exit, a uevent in flight) or a step keeps a
/// reference to the row its task had, instead of a copy; the task copies
/// only when it next changes its clock. Rows are `stride` entries wide; the
/// stride doubles when a new slot would not fit. No reference counting by
/// the language and no per-clock allocation: clocks are a few words wide
/// here (slots are reused), and every event touches one or two.
///
/// Used as a unique value (`inout`); copies share the buffer.
struct ClockArena {
    private final class Buffer {
        var clocks: UnsafeMutablePointer<UInt32>
        var counts: UnsafeMutablePointer<Int32>
        init(rows: Int, stride: Int) {
            clocks = .allocate(capacity: rows * stride)
            clocks.initialize(repeating: 0, count: rows * stride)
            counts = .allocate(capacity: rows)
            counts.initialize(repeating: 0, count: rows)
        }
        deinit {
            clocks.deallocate()
            counts.deallocate()
        }
    }

    private var buffer: Buffer
    private var clocks: UnsafeMutablePointer<UInt32>
    private var counts: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private var used = 0
    private var free = PlainBuffer<Int32>(capacity: 1024)
    /// Entries per row.
    private(set) var stride: Int
    /// Slots handed out: entries at or past `width` are zero in every row.
    private(set) var width = 0
    /// Vectors of eight entries that cover `width`.
    private var vectors = 0
    /// Rows referenced now (memory in use).
    private(set) var liveRows = 0

    /// `stride` is rounded up to whole vectors of eight entries.
    init(stride: Int = 8, rows: Int = 1024) {
        let stride = max(8, (stride + 7) / 8 * 8)
        self.stride = stride
        capacity = rows
        buffer = Buffer(rows: rows, stride: stride)
        clocks = buffer.clocks
        counts = buffer.counts
    }

    // MARK: rows

    /// A new zero row, referenced once.
    mutating func allocate() -> Int32 {
        let row = allocateUnset()
        Self.zeroLanes(rowBytes(row), vectors)
        return row
    }

    /// A new row, referenced once, whose first `width` entries are left as
    /// they were: a freed row is not cleared, as most new rows are written
    /// whole at once (a copy, a join's maxima). Entries past `width` are
    /// zero in every row, whether in use or free: nothing writes there.
    @inline(__always)
    private mutating func allocateUnset() -> Int32 {
        let row: Int32
        if let r = free.popLast() {
            row = r
            // The next free row is often cold (let go by a hand-off held for
            // a long time, such as a uevent no worker takes): ask for it now,
            // as it will be written soon.
            if free.count > 0 { bindrace_prefetch_write(clocks + Int(free.base[free.count &- 1]) &* stride) }
        } else {
            if used == capacity { grow(rows: capacity * 2, stride: stride) }
            row = Int32(used)
            used += 1
        }
        counts[Int(row)] = 1
        liveRows += 1
        return row
    }

    @inline(__always)
    mutating func retain(_ row: Int32) -> Int32 {
        if row >= 0 { counts[Int(row)] += 1 }
        return row
    }

    @inline(__always)
    mutating func release(_ row: Int32) {
        guard row >= 0 else { return }
        let r = Int(row)
        counts[r] -= 1
        if counts[r] == 0 {
            free.append(row)
            liveRows -= 1
            // The next allocation reuses it, and a row let go may have been held long.
            bindrace_prefetch_write(clocks + r &* stride)
        }
    }

    /// Asks for `row` and its count ahead of use: a row a hand-off held
    /// for long is cold by the time it is joined, or released and reused.
    @inline(__always)
    func prefetch(_ row: Int32) {
        guard row >= 0 else { return }
        bindrace_prefetch_write(clocks + Int(row) &* stride)
        bindrace_prefetch_write(counts + Int(row))
    }

    /// Entry `slot` of `row`.
    @inline(__always)
    func entry(_ row: Int32, _ slot: Int32) -> UInt32 {
        guard row >= 0, Int(slot) < width else { return 0 }
        return clocks[Int(row) &* stride &+ Int(slot)]
    }

    /// Makes `row` referenced only by its holder, copying if shared.
    @inline(__always)
    private mutating func unique(_ row: inout Int32) {
        if row < 0 {
            row = allocate()
        } else if counts[Int(row)] > 1 {
            let copy = allocateUnset()
            Self.copyLanes(from: UnsafeRawPointer(rowBytes(row)), to: rowBytes(copy), vectors)
            counts[Int(row)] -= 1
            row = copy
        }
    }

    /// One more event of the task in `slot`; returns its count there.
    @discardableResult
    mutating func tick(_ row: inout Int32, slot: Int32) -> UInt32 {
        // The entries are reached unchecked, as the values' tick reaches its own.
        precondition(slot >= 0 && Int(slot) < width)
        unique(&row)
        let entry = clocks + (Int(row) &* stride &+ Int(slot))
        entry.pointee &+= 1
        return entry.pointee
    }

    /// `join` for a row that `source` usually knows all of already (the
    /// join of a devpath's finished udev events, and the end of the event
    /// just finished, whose worker joined it when taking the event): then
    /// the row becomes a reference to `source` instead of a copy of its maxima.
    mutating func fold(_ row: inout Int32, _ source: Int32) {
        guard source >= 0, row >= 0, source != row, !learns(source, from: row) else {
            join(&row, source)
            return
        }
        release(row)
        row = retain(source)
    }

    /// `row` learns everything `source` knows.
    mutating func join(_ row: inout Int32, _ source: Int32) {
        guard source >= 0, source != row else { return }
        if row < 0 {
            row = retain(source)
            return
        }
        // Nothing to learn: keep sharing.
        guard learns(row, from: source) else { return }
        // A shared row is not copied first: the maxima go straight into a new one.
        var target = row
        if counts[Int(row)] > 1 {
            target = allocateUnset()
            counts[Int(row)] -= 1
        }
        // Pointers after allocating, which may have grown the buffer.
        let d = rowBytes(target)
        let a = UnsafeRawPointer(rowBytes(row)), t = UnsafeRawPointer(rowBytes(source))
        for v in 0..<vectors {
            let offset = v &* Self.laneBytes
            let merged = pointwiseMax(a.loadUnaligned(fromByteOffset: offset, as: Lanes.self),
                                      t.loadUnaligned(fromByteOffset: offset, as: Lanes.self))
            d.storeBytes(of: merged, toByteOffset: offset, as: Lanes.self)
        }
        row = target
    }

    /// Eight entries at a time: rows are a multiple of eight wide and zero
    /// past `width`, so whole vectors cover a row's entries.
    private typealias Lanes = SIMD8<UInt32>
    private static let laneBytes = MemoryLayout<Lanes>.size

    /// Row `row`'s first entry. Wrapping arithmetic: rows and strides are
    /// far below overflow, and the checks cost more than the loops here.
    @inline(__always)
    private func rowBytes(_ row: Int32) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(clocks + Int(row) &* stride)
    }

    /// Whether `source` knows an event `row` does not.
    @inline(__always)
    private func learns(_ row: Int32, from source: Int32) -> Bool {
        let d = UnsafeRawPointer(rowBytes(row))
        let s = UnsafeRawPointer(rowBytes(source))
        for v in 0..<vectors {
            let offset = v &* Self.laneBytes
            if any(s.loadUnaligned(fromByteOffset: offset, as: Lanes.self) .> d.loadUnaligned(fromByteOffset: offset, as: Lanes.self)) {
                return true
            }
        }
        return false
    }

    /// A new row holding the `lanes` whole vectors of eight entries at
    /// `source` (zero past the entries they carry), referenced once: the
    /// stamps a batch carries are copied vector by vector, which for a row
    /// of a few words costs less than a call to memmove.
    mutating func allocate(copyingVectors source: UnsafePointer<UInt32>, lanes: Int) -> Int32 {
        let row = lanes >= vectors ? allocateUnset() : allocate()
        Self.copyLanes(from: UnsafeRawPointer(source), to: rowBytes(row), min(lanes, vectors))
        return row
    }

    /// Makes room for `count` slots (another arena's width).
    mutating func widen(to count: Int) {
        while width < count { _ = addSlot() }
    }

    /// Entries a row takes in whole vectors of eight (zero past `width`).
    var vectorWidth: Int { vectors &* 8 }

    /// Appends the row's entries to `out` in whole vectors (`vectorWidth`
    /// of them, zero past `width`; room reserved).
    @inline(__always)
    func copyVectors(_ row: Int32, into out: inout PlainBuffer<UInt32>) {
        let d = UnsafeMutableRawPointer(out.appendReserved(uninitialized: vectors &* 8))
        if row < 0 {
            Self.zeroLanes(d, vectors)
        } else {
            Self.copyLanes(from: UnsafeRawPointer(rowBytes(row)), to: d, vectors)
        }
    }

    @inline(__always)
    private static func copyLanes(from s: UnsafeRawPointer, to d: UnsafeMutableRawPointer, _ n: Int) {
        if n == 2 {
            // Sixteen entries, every stamp while clocks are values: two
            // stores without the loop's set-up (a sixth of a stamp's copy
            // into the step stage's arena).
            d.storeBytes(of: s.loadUnaligned(as: Lanes.self), as: Lanes.self)
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: laneBytes, as: Lanes.self), toByteOffset: laneBytes, as: Lanes.self)
            return
        }
        for v in 0..<n {
            let offset = v &* laneBytes
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: offset, as: Lanes.self), toByteOffset: offset, as: Lanes.self)
        }
    }

    @inline(__always)
    private static func zeroLanes(_ d: UnsafeMutableRawPointer, _ n: Int) {
        for v in 0..<n { d.storeBytes(of: Lanes(), toByteOffset: v &* laneBytes, as: Lanes.self) }
    }

    /// A fresh slot column (zero in every row).
    mutating func addSlot() -> Int32 {
        if width == stride { grow(rows: capacity, stride: stride * 2) }
        width += 1
        vectors = (width + 7) / 8
        return Int32(width - 1)
    }

    /// The row's entries, `width` of them.
    func entries(_ row: Int32) -> [UInt32] {
        guard row >= 0 else { return [] }
        return Array(UnsafeBufferPointer(start: clocks + Int(row) * stride, count: width))
    }

    /// Out of line: inlined into every allocation, it cost the hot paths
    /// (join, tick, a stamp's copy) spilled registers on every call.
    @inline(never)
    private mutating func grow(rows: Int, stride newStride: Int) {
        let next = Buffer(rows: rows, stride: newStride)
        for r in 0..<used {
            (next.clocks + r * newStride).update(from: clocks + r * stride, count: width)
        }
        next.counts.update(from: counts, count: used)
        buffer = next
        clocks = next.clocks
        counts = next.counts
        capacity = rows
        stride = newStride
    }

    /// Bytes held by the buffer.
    var bytes: Int { capacity * (stride * 4 + 4) }
}

/// The arena as the clock stage's store past 16 slots at once (rows, -1 the zero clock).
extension ClockArena: ClockStore {
    static var zero: Int32 { -1 }
    static var slotLimit: Int? { nil }
    static var sharesRows: Bool { true }
}
