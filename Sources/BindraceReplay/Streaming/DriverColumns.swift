import BindraceTrace

/// The drivers the streaming replay follows, one column per fact.
struct DriverColumns: SymbolColumns {
    var symbols = SymbolTable()
    var isVFIO: [Bool] = []
    /// Order of first registration, -1 never registered.
    var rank: [Int32] = []
    /// Registration and dynamic-id step handles, in id order (append through `addRegistration` and `addAddID`).
    private(set) var registrations: [[Int32]] = []
    private(set) var addIDs: [[Int32]] = []
    /// Their lengths as plain values: a projection cache's check sums them every lifetime.
    private var registrationCounts = PlainBuffer<Int32>()
    private var addIDCounts = PlainBuffer<Int32>()
    /// Module of its latest registration (symbol), -1 none.
    var module: [Int32] = []
    /// driver_async_probe= names it: 0 not decided yet, 1 no, 2 yes.
    var asyncForced: [UInt8] = []

    mutating func growColumns(for name: String) {
        isVFIO.append(DriverName.isVFIO(name))
        rank.append(-1)
        registrations.append([])
        addIDs.append([])
        registrationCounts.append(0)
        addIDCounts.append(0)
        module.append(-1)
        asyncForced.append(0)
    }

    mutating func addRegistration(_ drv: Int32, _ handle: Int32) {
        registrations[Int(drv)].append(handle)
        registrationCounts[Int(drv)] += 1
    }

    mutating func addAddID(_ drv: Int32, _ handle: Int32) {
        addIDs[Int(drv)].append(handle)
        addIDCounts[Int(drv)] += 1
    }

    @inline(__always)
    func registrationCount(_ drv: Int32) -> Int { Int(registrationCounts.base[Int(drv)]) }

    @inline(__always)
    func addIDCount(_ drv: Int32) -> Int { Int(addIDCounts.base[Int(drv)]) }
}
