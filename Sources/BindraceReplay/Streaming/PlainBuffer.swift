/// A growable run of plain values (no references inside) addressed by
/// index through a raw pointer: no bounds, uniqueness or exclusivity checks
/// on the hot path, which is where the streaming replay spends its time.
/// Indices must be below `count` (checked in debug builds only).
///
/// Used as a unique value (`inout`); copies share the storage.
struct PlainBuffer<Element> {
    private final class Storage {
        let base: UnsafeMutablePointer<Element>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }

    private var storage: Storage
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    /// The storage's capacity, kept beside `count`: an append's check then
    /// reads no further than the buffer value itself.
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        storage = Storage(capacity: self.capacity)
        base = storage.base
    }

    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < count)
            return base[i]
        }
        nonmutating set {
            assert(i >= 0 && i < count)
            base[i] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow(to: count * 2) }
        (base + count).initialize(to: value)
        count += 1
    }

    @inline(__always)
    mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    mutating func removeAll() { count = 0 }

    /// Keeps the first `n` elements (plain values: nothing to deinitialize).
    @inline(__always)
    mutating func truncate(to n: Int) {
        assert(n >= 0 && n <= count)
        count = n
    }

    /// Room for `capacity` elements without growing.
    mutating func reserve(_ capacity: Int) {
        if capacity > self.capacity { grow(to: max(capacity, self.capacity * 2)) }
    }

    /// Appends without a capacity check: room must have been `reserve`d.
    @inline(__always)
    mutating func appendReserved(_ value: Element) {
        assert(count < capacity)
        (base + count).initialize(to: value)
        count += 1
    }

    /// Appends `n` elements copied from `source`, without a capacity check.
    @inline(__always)
    mutating func appendReserved(copying source: UnsafePointer<Element>, count n: Int) {
        assert(count + n <= capacity)
        (base + count).initialize(from: source, count: n)
        count += n
    }

    /// Replaces the contents with `n` elements copied from `source`.
    mutating func assign(copying source: UnsafePointer<Element>, count n: Int) {
        count = 0
        reserve(n)
        appendReserved(copying: source, count: n)
    }

    /// Counts `n` more elements, without a capacity check, and returns
    /// where they start for the caller to write (plain values only).
    @inline(__always)
    mutating func appendReserved(uninitialized n: Int) -> UnsafeMutablePointer<Element> {
        assert(count + n <= capacity)
        let start = base + count
        count += n
        return start
    }

    /// Grows to `newCount` elements, the new ones set to `value`.
    mutating func extend(to newCount: Int, with value: Element) {
        guard newCount > count else { return }
        if newCount > capacity { grow(to: max(newCount, capacity * 2)) }
        (base + count).initialize(repeating: value, count: newCount - count)
        count = newCount
    }

    private mutating func grow(to capacity: Int) {
        let next = Storage(capacity: capacity)
        next.base.moveInitialize(from: base, count: count)
        storage = next
        base = next.base
        self.capacity = capacity
    }
}
