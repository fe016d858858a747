/// `bindrace match --format tsv`: one line per input, `MODALIAS<TAB>m1,m2,...`,
/// the modules in kmod's order with repeats removed (first kept), nothing
/// after the tab when no module matches. External checks parse this form.
public enum MatchTSV {
    public static func render(_ reports: [MatchReport], keepDuplicates: Bool = false) -> String {
        var out = ""
        for report in reports {
            let modules = keepDuplicates ? report.lookup.modulesWithDuplicates : report.lookup.modules
            out += report.input.modalias + "\t" + modules.joined(separator: ",") + "\n"
        }
        return out
    }
}
