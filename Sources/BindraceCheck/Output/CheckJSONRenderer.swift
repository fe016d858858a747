import Foundation

/// The machine form of a check, stable keys (docs/check.md).
public enum CheckJSONRenderer {
    struct Document: Codable {
        var expectations: String
        var traces: [String]
        var checks: Int
        var passed: Bool
        var violations: [Violation]
        var warnings: [String]
    }

    public static func render(_ report: CheckReport) -> String {
        let doc = Document(expectations: report.expectationFile, traces: report.traces, checks: report.cases.count,
                           passed: report.passed, violations: report.violations, warnings: report.warnings)
        return encode(doc)
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
