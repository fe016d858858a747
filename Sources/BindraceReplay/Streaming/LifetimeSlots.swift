/// The devices' current lifetimes, one slot per device symbol, in memory of
/// their own. A lifetime is written in place through its slot: as an
/// `[StreamLifetime]`, every such write first checked that the array's
/// buffer was unique. A lifetime that ends is moved out of its slot and
/// its buffers moved back as the next one (`take`, `put`), instead of being
/// swapped with an empty lifetime made and destroyed for the purpose.
///
/// Used as a unique value (`inout`), as `PlainBuffer` is: copies share the
/// slots. Between `take` and `put` the slot holds nothing and must not be
/// read.
struct LifetimeSlots {
    private final class Storage {
        var base: UnsafeMutablePointer<StreamLifetime>
        var count = 0
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    private var storage: Storage
    /// The first slot: read here, beside the count, so that a slot's address
    /// costs no load through the storage object.
    private var base: UnsafeMutablePointer<StreamLifetime>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 1)
        storage = Storage(capacity: self.capacity)
        base = storage.base
    }

    /// Slot `d`, read and written in place.
    subscript(d: Int) -> StreamLifetime {
        @inline(__always) unsafeAddress {
            assert(d >= 0 && d < count)
            return UnsafePointer(base + d)
        }
        @inline(__always) nonmutating unsafeMutableAddress {
            assert(d >= 0 && d < count)
            return base + d
        }
    }

    /// A slot for one more device, holding `lifetime`.
    mutating func append(_ lifetime: consuming StreamLifetime) {
        if count == capacity {
            let next = Storage(capacity: capacity * 2)
            next.base.moveInitialize(from: base, count: count)
            // The old storage's slots were moved out: it must not deinitialize them.
            storage.count = 0
            storage = next
            base = next.base
            capacity *= 2
        }
        (base + count).initialize(to: lifetime)
        count += 1
        storage.count = count
    }

    /// Moves slot `d`'s lifetime out, leaving the slot empty until `put`.
    @inline(__always)
    func take(_ d: Int) -> StreamLifetime {
        assert(d >= 0 && d < count)
        return (base + d).move()
    }

    /// Fills slot `d`, emptied by `take`.
    @inline(__always)
    func put(_ d: Int, _ lifetime: consuming StreamLifetime) {
        assert(d >= 0 && d < count)
        (base + d).initialize(to: lifetime)
    }

    /// Puts `lifetime` in slot `d` and returns the one it held.
    @inline(__always)
    func exchange(_ d: Int, with lifetime: consuming StreamLifetime) -> StreamLifetime {
        assert(d >= 0 && d < count)
        let old = (base + d).move()
        (base + d).initialize(to: lifetime)
        return old
    }
}
