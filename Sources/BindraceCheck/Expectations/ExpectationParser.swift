import BindraceReplay
import Yams

/// Reads an expectation file's text. Works on Yams' node tree rather than
/// Decodable so that every error can name the line of the offending key or
/// value, and so that unknown keys are errors instead of being ignored (a
/// misspelt `nevr:` must not silently check nothing).
public enum ExpectationParser {
    static let topKeys = ["version", "traces", "policies", "expect", "baseline"]
    static let ruleKeys = ["name", "select", "must-match", "winner", "deterministic", "never", "feasible-subset-of",
                           "allow-races", "ends-on", "verdict"]
    static let selectorKeys = ["bdf", "ids", "vendor", "class", "driver", "all"]

    public static func parse(_ text: String, path: String) throws(ExpectationError) -> ExpectationFile {
        var file = ExpectationFile(path: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, path: path)
        } catch {
            throw ExpectationError(file: path, line: 0, message: "not YAML: \(error)")
        }
        guard let root else { return file }
        guard case .mapping(let top) = root else {
            throw ExpectationError(file: path, line: line(root), message: "the file must be a mapping with keys \(topKeys.joined(separator: ", "))")
        }
        for (keyNode, value) in top {
            let key = try scalarKey(keyNode, path: path)
            switch key {
            case "version":
                guard value.string == String(ExpectationFile.version) else {
                    throw ExpectationError(file: path, line: line(value), message: "version must be \(ExpectationFile.version), not '\(value.string ?? "?")'")
                }
            case "traces":
                file.traces = try strings(value, key: key, path: path)
            case "policies", "expect", "baseline":
                let section = ExpectationRule.Section(rawValue: key)!
                guard case .sequence(let seq) = value else {
                    if isNull(value) { continue }
                    throw ExpectationError(file: path, line: line(value), message: "'\(key)' must be a list of rules")
                }
                for item in seq { file.rules.append(try rule(item, section: section, path: path)) }
            default:
                throw unknown(key, node: keyNode, known: topKeys, in: "at the top level", path: path)
            }
        }
        return file
    }

    static func rule(_ node: Node, section: ExpectationRule.Section, path: String) throws(ExpectationError) -> ExpectationRule {
        guard case .mapping(let map) = node else {
            throw ExpectationError(file: path, line: line(node), message: "a rule must be a mapping with 'select' and assertions")
        }
        var rule = ExpectationRule(section: section, selector: DeviceSelector(), assertions: [], mustMatch: false, line: line(node))
        var sawSelect = false
        var mustMatch: Bool?
        for (keyNode, value) in map {
            let key = try scalarKey(keyNode, path: path)
            let at = line(keyNode)
            switch key {
            case "name": rule.name = try scalar(value, key: key, path: path)
            case "select":
                rule.selector = try selector(value, path: path)
                sawSelect = true
            case "must-match": mustMatch = try bool(value, key: key, path: path)
            case "winner": rule.assertions.append(.init(.winner(try pattern(value, key: key, path: path)), line: at))
            case "deterministic": rule.assertions.append(.init(.deterministic(try bool(value, key: key, path: path)), line: at))
            case "never": rule.assertions.append(.init(.never(try patterns(value, key: key, path: path)), line: at))
            case "feasible-subset-of":
                let list = try patterns(value, key: key, path: path)
                guard !list.isEmpty else { throw ExpectationError(file: path, line: at, message: "'feasible-subset-of' needs at least one driver") }
                rule.assertions.append(.init(.feasibleSubsetOf(list), line: at))
            case "allow-races": rule.assertions.append(.init(.allowRaces(try races(value, path: path)), line: at))
            case "ends-on": rule.assertions.append(.init(.endsOn(try pattern(value, key: key, path: path)), line: at))
            case "verdict": rule.assertions.append(.init(.verdict(try verdicts(value, path: path)), line: at))
            default:
                throw unknown(key, node: keyNode, known: ruleKeys, in: "in a rule", path: path)
            }
        }
        guard sawSelect else { throw ExpectationError(file: path, line: rule.line, message: "the rule has no 'select'") }
        guard !rule.assertions.isEmpty else {
            throw ExpectationError(file: path, line: rule.line, message: "the rule has no assertion (winner, deterministic, never, feasible-subset-of, allow-races, ends-on, verdict)")
        }
        let deterministic = rule.assertions.first { $0.assertion == .deterministic(true) }
        if let deterministic, rule.assertions.contains(where: { if case .allowRaces(let s) = $0.assertion { !s.isEmpty } else { false } }) {
            throw ExpectationError(file: path, line: deterministic.line, message: "'deterministic: true' contradicts a non-empty 'allow-races' in the same rule")
        }
        rule.mustMatch = mustMatch ?? (rule.selector.bdf != nil)
        return rule
    }

    static func selector(_ node: Node, path: String) throws(ExpectationError) -> DeviceSelector {
        guard case .mapping(let map) = node else {
            throw ExpectationError(file: path, line: line(node), message: "'select' must be a mapping with keys \(selectorKeys.joined(separator: ", "))")
        }
        var s = DeviceSelector()
        var parts: [String] = []
        for (keyNode, value) in map {
            let key = try scalarKey(keyNode, path: path)
            let text = try scalar(value, key: key, path: path)
            func bad(_ what: String) -> ExpectationError {
                ExpectationError(file: path, line: line(value), message: "bad selector \(key): '\(text)': \(what)")
            }
            switch key {
            case "bdf":
                guard let bdf = SelectorSyntax.bdf(text) else { throw bad("expected DOMAIN:BUS:DEVICE.FUNCTION, e.g. 0000:01:00.0") }
                s.bdf = bdf
            case "ids":
                guard let ids = SelectorSyntax.ids(text) else { throw bad("expected vendor:device[:subvendor:subdevice], four hex digits or * each") }
                s.ids = ids
            case "vendor":
                guard let v = SelectorSyntax.hex16(text) else { throw bad("expected four hex digits, e.g. 10de") }
                s.vendor = v
            case "class":
                guard let c = SelectorSyntax.classCode(text) else { throw bad("expected 2, 4 or 6 hex digits (03, 0300, 030000) or VALUE/MASK") }
                s.classCode = c
            case "driver":
                guard let d = DriverPattern(text), d != .unbound else { throw bad("expected a driver name, vfio, native or bound") }
                s.driver = d
            case "all":
                guard text == "true" else { throw bad("only 'all: true' is meaningful") }
                s.all = true
            default:
                throw unknown(key, node: keyNode, known: selectorKeys, in: "in 'select'", path: path)
            }
            parts.append("\(key)=\(text)")
        }
        guard !s.isEmpty else {
            throw ExpectationError(file: path, line: line(node), message: "empty selector: give bdf, ids, vendor, class, driver or 'all: true'")
        }
        s.text = parts.joined(separator: " ")
        return s
    }

    // MARK: values

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node else { return false }
        return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    static func scalarKey(_ node: Node, path: String) throws(ExpectationError) -> String {
        guard case .scalar(let s) = node else { throw ExpectationError(file: path, line: line(node), message: "keys must be plain words") }
        return s.string
    }

    static func scalar(_ node: Node, key: String, path: String) throws(ExpectationError) -> String {
        guard case .scalar(let s) = node else {
            throw ExpectationError(file: path, line: line(node), message: "'\(key)' takes a single value")
        }
        return s.string
    }

    static func bool(_ node: Node, key: String, path: String) throws(ExpectationError) -> Bool {
        switch try scalar(node, key: key, path: path) {
        case "true": return true
        case "false": return false
        case let other: throw ExpectationError(file: path, line: line(node), message: "'\(key)' must be true or false, not '\(other)'")
        }
    }

    static func strings(_ node: Node, key: String, path: String) throws(ExpectationError) -> [String] {
        switch node {
        case .scalar: return [try scalar(node, key: key, path: path)]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq { out.append(try scalar(item, key: key, path: path)) }
            return out
        default: throw ExpectationError(file: path, line: line(node), message: "'\(key)' takes a value or a list of values")
        }
    }

    static func pattern(_ node: Node, key: String, path: String) throws(ExpectationError) -> DriverPattern {
        if isNull(node) { return .unbound }
        let text = try scalar(node, key: key, path: path)
        guard let p = DriverPattern(text) else {
            throw ExpectationError(file: path, line: line(node), message: "'\(key)': '\(text)' is not a driver name, vfio, native, bound or none")
        }
        return p
    }

    static func patterns(_ node: Node, key: String, path: String) throws(ExpectationError) -> [DriverPattern] {
        if case .sequence(let seq) = node {
            var out: [DriverPattern] = []
            for item in seq { out.append(try pattern(item, key: key, path: path)) }
            return out
        }
        return [try pattern(node, key: key, path: path)]
    }

    static func races(_ node: Node, path: String) throws(ExpectationError) -> Set<Verdict> {
        var out = Set<Verdict>()
        for text in try strings(node, key: "allow-races", path: path) {
            if text == "any" { out.formUnion(Verdict.allCases.filter(\.isRace)); continue }
            guard let v = Verdict(rawValue: text), v.isRace else {
                let kinds = Verdict.allCases.filter(\.isRace).map(\.rawValue).joined(separator: ", ")
                throw ExpectationError(file: path, line: line(node), message: "'allow-races': '\(text)' is not a race kind (\(kinds), any)")
            }
            out.insert(v)
        }
        return out
    }

    static func verdicts(_ node: Node, path: String) throws(ExpectationError) -> [Verdict] {
        var out: [Verdict] = []
        for text in try strings(node, key: "verdict", path: path) {
            guard let v = Verdict(rawValue: text) else {
                throw ExpectationError(file: path, line: line(node), message: "'verdict': '\(text)' is not a verdict (\(Verdict.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.append(v)
        }
        return out
    }

    static func unknown(_ key: String, node: Node, known: [String], in place: String, path: String) -> ExpectationError {
        ExpectationError(file: path, line: line(node), message: "unknown key '\(key)' \(place) (known: \(known.joined(separator: ", ")))")
    }

    /// libyaml's errors carry a mark; the message keeps only the problem.
    static func yamlError(_ error: YamlError, path: String) -> ExpectationError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ExpectationError(file: path, line: mark.line, message: "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ExpectationError(file: path, line: context.mark.line, message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return ExpectationError(file: path, line: 0, message: "cannot read: \(problem)")
        default:
            return ExpectationError(file: path, line: 0, message: "YAML: \(error)")
        }
    }
}
