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

/// The bundled traces with expected results: hand-written scenarios in
/// traces/scenarios and real captures in traces/vm. `NAME.expected.json`
/// names the traces (beside it) to analyse together and the expected results.
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

    /// The repository's traces directory, found from this file's real location.
    static var directory: String {
        var path = realPath(#filePath)
        for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/traces"
    }

    static let folders = ["scenarios", "vm"]

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `FOLDER/NAME` for every expected-results file.
    static func names(in folder: String? = nil) -> [String] {
        let suffix = ".expected.json"
        return (folder.map { [$0] } ?? folders).flatMap { folder in
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)) ?? []
            return entries.filter { $0.hasSuffix(suffix) }.map { folder + "/" + String($0.dropLast(suffix.count)) }
        }.sorted()
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name + ".expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    /// `file` is relative to the folder of the scenario `name` (`FOLDER/NAME`).
    static func facts(_ file: String, of name: String) throws -> TraceFacts {
        let folder = String(name[..<name.firstIndex(of: "/")!])
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + folder + "/" + file))
        var input = try TraceInput(source: MemoryByteSource(Array(data)), encoding: TraceEncoding(path: file) ?? .jsonl)
        return TraceRecorder.record(name: file, input: &input).0
    }
}
