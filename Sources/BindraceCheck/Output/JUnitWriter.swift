/// JUnit XML as CI systems (GitLab, Jenkins, GitHub actions' reporters)
/// display it: one suite per expectation file, one test case per (rule,
/// device), a <failure> per violated assertion.
public enum JUnitWriter {
    public static func render(_ reports: [CheckReport]) -> String {
        let tests = reports.reduce(0) { $0 + $1.cases.count }
        let failures = reports.reduce(0) { $0 + $1.cases.filter { !$0.passed }.count }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"bindrace check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\">\n"
        for report in reports {
            let suite = XMLText.escape(report.expectationFile)
            let failed = report.cases.filter { !$0.passed }.count
            out += "  <testsuite name=\"\(suite)\" tests=\"\(report.cases.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\">\n"
            if !report.traces.isEmpty || !report.warnings.isEmpty {
                out += "    <properties>\n"
                for t in report.traces { out += "      <property name=\"trace\" value=\"\(XMLText.escape(t))\"/>\n" }
                out += "    </properties>\n"
            }
            for c in report.cases {
                let classname = XMLText.escape("\(report.expectationFile).\(c.rule.section.rawValue)")
                out += "    <testcase classname=\"\(classname)\" name=\"\(XMLText.escape(c.name))\""
                if c.passed {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                for v in c.violations {
                    out += "      <failure message=\"\(XMLText.escape("\(v.assertion): \(v.found)"))\" type=\"\(XMLText.escape(v.assertion.split(separator: ":").first.map(String.init) ?? "assertion"))\">"
                    var body = "\(v.expectation): \(v.assertion)\nfound: \(v.found)\n"
                    if let e = v.explanation { body += "why: \(e)\n" }
                    for e in v.racingEvents { body += "racing: \(e.text)\n" }
                    out += XMLText.escape(body) + "</failure>\n"
                }
                out += "    </testcase>\n"
            }
            if !report.warnings.isEmpty {
                out += "    <system-err>\(XMLText.escape(report.warnings.joined(separator: "\n")))</system-err>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }
}
