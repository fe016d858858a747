/// A device's first probe during each global step it was probed in: step
/// handle → event index, sorted by handle. Looked up for every global step
/// of every lifetime's shape, where a hashed dictionary cost about 120
/// instructions a lookup; entries are added rarely and mostly in handle order.
struct FirstProbes {
    private var handles: [Int32] = []
    private var indices: [Int] = []

    /// The first probe during step `handle`, if any.
    @inline(__always)
    subscript(handle: Int32) -> Int? {
        let i = position(of: handle)
        return i < handles.count && handles[i] == handle ? indices[i] : nil
    }

    /// Records `index` as the first probe during `handle`, unless one is known.
    mutating func noteFirst(_ handle: Int32, at index: Int) {
        let i = position(of: handle)
        guard i == handles.count || handles[i] != handle else { return }
        handles.insert(handle, at: i)
        indices.insert(index, at: i)
    }

    /// The first position whose handle is not below `handle`.
    @inline(__always)
    private func position(of handle: Int32) -> Int {
        var low = 0, high = handles.count
        while low < high {
            let mid = (low + high) / 2
            if handles[mid] < handle { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
