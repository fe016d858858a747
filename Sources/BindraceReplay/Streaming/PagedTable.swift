/// Plain values (no references inside) indexed by task id, below the
/// kernel's PID_MAX_LIMIT, in pages of 4,096 that exist while one of their
/// values differs from the default. The kernel hands out pids in increasing
/// order and most tasks live briefly, so the pages held follow the live
/// tasks: a flat table indexed by tid grew with every tid a trace reached
/// (the step stage's alone was 42 MB at 100M synthetic events, 2M tids,
/// and would be twice that once pids reach 4,194,304). Keys past that
/// range (a foreign or corrupt trace's) are held in a dictionary, default
/// values left out, so that callers need no second table.
///
/// Used as a unique value (`inout`); copies share the storage.
struct PagedTable<Element: Equatable> {
    /// Keys below this (2^22, PID_MAX_LIMIT on 64-bit kernels) are paged.
    static var keyLimit: UInt32 { 1 << 22 }
    private static var pageShift: UInt32 { 12 }
    private static var pageSize: Int { 1 << Int(pageShift) }
    private static var pageCount: Int { Int(keyLimit >> pageShift) }
    /// Emptied pages are given back by a sweep every this many writes, not
    /// at once: a task alone in its page would otherwise allocate and free
    /// it with every step it opens and closes.
    private static var sweepEvery: UInt32 { 1 << 16 }

    /// Owns the pages (freed with the table).
    private final class Storage {
        let pages: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>
        /// Values other than the default, per page.
        let used: UnsafeMutablePointer<Int32>

        init() {
            pages = .allocate(capacity: PagedTable.pageCount)
            pages.initialize(repeating: nil, count: PagedTable.pageCount)
            used = .allocate(capacity: PagedTable.pageCount)
            used.initialize(repeating: 0, count: PagedTable.pageCount)
        }

        deinit {
            for p in 0..<PagedTable.pageCount { pages[p]?.deallocate() }
            pages.deallocate()
            used.deallocate()
        }
    }

    private let storage = Storage()
    /// The storage's tables, kept in the value itself: a lookup is then two
    /// loads, as in a flat table with its bounds check.
    private let pages: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>
    private let used: UnsafeMutablePointer<Int32>
    private let defaultValue: Element
    /// Keys at or past `keyLimit` whose value is not the default.
    private var far: [UInt32: Element] = [:]
    private var writes: UInt32 = 0
    /// Pages allocated now (emptied ones included until the next sweep).
    private(set) var pagesHeld = 0

    init(defaultValue: Element) {
        self.defaultValue = defaultValue
        pages = storage.pages
        used = storage.used
    }

    /// Bytes of the pages held.
    var bytes: Int { pagesHeld * Self.pageSize * MemoryLayout<Element>.stride }

    /// Keys past the paged range holding a value other than the default.
    var farCount: Int { far.count }

    @inline(__always)
    subscript(key: UInt32) -> Element {
        guard key < Self.keyLimit else { return Self.farValue(far, key, defaultValue) }
        guard let page = pages[Int(key >> Self.pageShift)] else { return defaultValue }
        return page[Int(key) & (Self.pageSize - 1)]
    }

    @inline(__always)
    mutating func set(_ key: UInt32, _ value: Element) {
        guard key < Self.keyLimit else { return setFar(key, value) }
        let p = Int(key >> Self.pageShift), slot = Int(key) & (Self.pageSize - 1)
        let isDefault = value == defaultValue
        guard let page = pages[p] ?? (isDefault ? nil : takePage(p)) else { return }
        let wasDefault = page[slot] == defaultValue
        page[slot] = value
        if wasDefault != isDefault { used[p] += isDefault ? -1 : 1 }
        writes &+= 1
        if writes & (Self.sweepEvery - 1) == 0 { sweep() }
    }

    /// Gives back the pages that hold only defaults.
    mutating func sweep() {
        for p in 0..<Self.pageCount where used[p] == 0 {
            guard let page = pages[p] else { continue }
            page.deallocate()
            pages[p] = nil
            pagesHeld -= 1
        }
    }

    // Out of line: a dictionary's code inlined into every lookup cost the
    // hot loops registers for a case that real traces do not reach. Static,
    // given the two fields it reads: as a method it took the whole table by
    // address, and every lookup copied the table to the stack first.
    @inline(never)
    private static func farValue(_ far: [UInt32: Element], _ key: UInt32, _ defaultValue: Element) -> Element { far[key] ?? defaultValue }

    @inline(never)
    private mutating func setFar(_ key: UInt32, _ value: Element) {
        far[key] = value == defaultValue ? nil : value
    }

    private mutating func takePage(_ p: Int) -> UnsafeMutablePointer<Element> {
        let page = UnsafeMutablePointer<Element>.allocate(capacity: Self.pageSize)
        page.initialize(repeating: defaultValue, count: Self.pageSize)
        pages[p] = page
        pagesHeld += 1
        return page
    }
}
