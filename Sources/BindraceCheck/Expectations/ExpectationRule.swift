/// One entry of `policies:`, `expect:` or the generated `baseline:` list.
public struct ExpectationRule: Hashable, Sendable {
    /// Where the rule came from. All sections are evaluated alike; the
    /// section only says who owns it (`baseline` is rewritten by --update).
    public enum Section: String, Hashable, Sendable {
        case policies
        case expect
        case baseline
    }

    public var section: Section
    /// Optional `name:`; messages fall back to the selector.
    public var name: String?
    public var selector: DeviceSelector
    public var assertions: [LocatedAssertion]
    /// A rule that selects no device is a violation: by default for rules
    /// naming a BDF (the device vanished or changed ids), not for class or
    /// driver policies, which may legitimately match nothing.
    public var mustMatch: Bool
    /// Line of the rule's `-`.
    public var line: Int

    public init(section: Section, name: String? = nil, selector: DeviceSelector, assertions: [LocatedAssertion], mustMatch: Bool, line: Int) {
        self.section = section
        self.name = name
        self.selector = selector
        self.assertions = assertions
        self.mustMatch = mustMatch
        self.line = line
    }

    /// `name` or the selector, for messages.
    public var title: String { name ?? selector.text }
}
