import Foundation

/// Where times go on the timeline's x axis, in two scales the page can switch
/// between. `compressed` (the default) gives every key time (events on the
/// lanes shown) its own room, with gaps growing with the logarithm of their
/// length: a 10 µs race and a 5 s boot both stay readable. `linear` spreads
/// the same width proportionally to time.
public struct TimelineScale: Sendable {
    public let keys: [UInt64]
    public let keyX: [Double]
    public let start: UInt64
    public let end: UInt64
    public let width: Double

    public static let minStep = 16.0
    public static let logStep = 26.0
    public static let maxKeys = 4000

    public init(keyTimes: [UInt64], start: UInt64, end: UInt64) {
        var keys = Array(Set(keyTimes)).sorted()
        if keys.count > Self.maxKeys {
            let stride = Double(keys.count) / Double(Self.maxKeys)
            keys = (0..<Self.maxKeys).map { keys[Int(Double($0) * stride)] } + [keys.last!]
        }
        if keys.isEmpty { keys = [start] }
        var xs: [Double] = [0]
        for i in 1..<max(keys.count, 1) where keys.count > 1 {
            xs.append(xs[i - 1] + Self.step(keys[i] - keys[i - 1]))
        }
        // Room for whatever lies before the first and after the last key.
        let lead = start < keys[0] ? Self.step(keys[0] - start) : 0
        self.keys = keys
        self.keyX = xs.map { $0 + lead }
        self.start = min(start, keys[0])
        self.end = max(end, keys.last!)
        let trail = self.end > keys.last! ? Self.step(self.end - keys.last!) : 0
        self.width = max(keyX.last! + trail, 200)
    }

    static func step(_ gap: UInt64) -> Double {
        minStep + logStep * log10(1 + Double(gap) / 1000)
    }

    /// Position on the compressed scale.
    public func x(_ t: UInt64) -> Double {
        if t <= keys[0] {
            return keys[0] == t ? keyX[0] : max(0, keyX[0] - Self.step(keys[0] - t))
        }
        if t >= keys.last! {
            return min(width, keyX.last! + (t == keys.last! ? 0 : Self.step(t - keys.last!)))
        }
        var lo = 0, hi = keys.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if keys[mid] <= t { lo = mid } else { hi = mid }
        }
        let f = Double(t - keys[lo]) / Double(keys[hi] - keys[lo])
        return keyX[lo] + f * (keyX[hi] - keyX[lo])
    }

    /// Position on the linear scale.
    public func linearX(_ t: UInt64) -> Double {
        guard end > start else { return 0 }
        let c = min(max(t, start), end)
        return Double(c - start) / Double(end - start) * width
    }
}
