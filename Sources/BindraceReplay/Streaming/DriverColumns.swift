import BindraceTrace

/// The drivers the streaming replay follows, one column per fact.
struct DriverColumns: SymbolColumns {
    var symbols = SymbolTable()
    var isVFIO: [Bool] = []
    /// Order of first registration, -1 never registered.
    var rank: [Int32] = []
    var registrations: [[Int32]] = []
    var addIDs: [[Int32]] = []
    /// Module of its latest registration (symbol), -1 none.
    var module: [Int32] = []
    /// driver_async_probe= names it: 0 not decided yet, 1 no, 2 yes.
    var asyncForced: [UInt8] = []

    mutating func growColumns(for name: String) {
        isVFIO.append(DriverName.isVFIO(name))
        rank.append(-1)
        registrations.append([])
        addIDs.append([])
        module.append(-1)
        asyncForced.append(0)
    }
}
