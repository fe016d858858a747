import ArgumentParser
import BindraceTrace

extension TraceEncoding: ExpressibleByArgument {}

/// `--format` of commands that print a result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
