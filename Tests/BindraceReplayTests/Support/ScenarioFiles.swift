import BindraceReplay
import BindraceTrace
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The hand-written scenarios in traces/scenarios: `NAME.expected.json`
/// names the traces to analyse together and the expected results.
enum ScenarioFiles {
    struct Expected: Decodable {
        struct Device: Decodable {
            var verdict: String
            var observed_winner: String?
            var feasible_winners: [String?]?
            var proven_across_boots: Bool?
            var suggestion_kinds: [String]?
            var explanation: Bool?
        }
        var traces: [String]
        var exit: Int
        var devices: [String: Device]
    }

    /// The repository's traces/scenarios directory, found from this file's
    /// real location.
    static var directory: String {
        var path = realPath(#filePath)
        for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/traces/scenarios"
    }

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func names() -> [String] {
        let suffix = ".expected.json"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name + ".expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    static func facts(_ file: String) throws -> TraceFacts {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
        var input = try TraceInput(source: MemoryByteSource(Array(data)), encoding: .jsonl)
        return TraceRecorder.record(name: file, input: &input).0
    }
}
