// Resolution speed: indexed lookups against a module directory's
// modules.alias, compared with a linear scan of every pattern in the same run.
//
//   swift run -c release --scratch-path .build-match bindrace-bench-match DIR [LOOKUPS]
import BindraceMatch
import BindraceSystem
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: bindrace-bench-match MODULE-DIR [LOOKUPS]")
    exit(2)
}
let lookups = args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000
let loadStart = now()
let tables: ModuleTables
do {
    tables = try ModuleTables.load(from: LocalFileSystem(), directory: args[1])
} catch {
    print("bindrace-bench-match: \(error)")
    exit(2)
}
let loadSeconds = now() - loadStart

// Deterministic keys: the literal ids of the pci: aliases (hits), each with a
// rotating class, plus unknown ids that only class aliases can match.
var keys: [[UInt8]] = []
let classes = ["020000", "030000", "010802", "0c0330", "040300", "060400"]
var seeds: [String] = []
for item in tables.aliases.items where item.entry.pattern.hasPrefix("pci:v0000") {
    let p = item.entry.pattern
    let v = p.dropFirst(5).prefix(8), d = p.dropFirst(14).prefix(8)
    if v.allSatisfy(\.isHexDigit) && d.allSatisfy(\.isHexDigit) { seeds.append("pci:v\(v)d\(d)") }
}
if seeds.isEmpty { seeds = ["pci:v00001234d00005678"] }
for i in 0..<lookups {
    let base = i % 4 == 3 ? "pci:v0000\(String(0x1000 + i % 0xE000, radix: 16, uppercase: true))d00005678" : seeds[i % seeds.count]
    let c = classes[i % classes.count]
    keys.append(Array("\(base)sv00000000sd00000000bc\(c.prefix(2).uppercased())sc\(c.dropFirst(2).prefix(2).uppercased())i\(c.suffix(2).uppercased())".utf8))
}

var found = 0
let indexStart = now()
for key in keys { found &+= tables.aliases.lookup(key).count }
let indexSeconds = now() - indexStart

// The linear scan is slow: time a slice and scale per lookup.
let linearCount = min(lookups, 2_000)
var linearFound = 0
let linearStart = now()
for key in keys.prefix(linearCount) { linearFound &+= tables.aliases.linearScan(key).count }
let linearSeconds = now() - linearStart

let indexedPerSecond = Double(lookups) / indexSeconds
let linearPerSecond = Double(linearCount) / linearSeconds
print("aliases loaded: \(tables.aliases.count) (load \(String(format3(loadSeconds))) s)")
print("indexed: \(lookups) lookups in \(format3(indexSeconds)) s, \(Int(indexedPerSecond)) lookups/s, \(found) matches")
print("linear scan: \(linearCount) lookups in \(format3(linearSeconds)) s, \(Int(linearPerSecond)) lookups/s")
print("speed-up indexed vs linear: \(format3(indexedPerSecond / linearPerSecond))x")

func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
}
