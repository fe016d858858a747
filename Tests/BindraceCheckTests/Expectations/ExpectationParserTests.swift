import BindraceCheck
import Testing

@Suite struct ExpectationParserTests {
    func error(_ text: String) -> ExpectationError? {
        do {
            _ = try ExpectationParser.parse(text, path: "e.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsSelectorsAndAssertions() throws {
        let file = try ExpectationParser.parse("""
            version: 1
            policies:
              - name: gpus
                select: {vendor: 10de, class: 0300}
                ends-on: vfio
            expect:
              - select: {bdf: "01:00.0"}
                winner: vfio-pci
                never: [nouveau, nvidia]
                allow-races: [race-vfio-vs-vfio]
            """, path: "e.yaml")
        #expect(file.rules.count == 2)
        #expect(file.rules[0].selector.classCode?.value == 0x030000)
        #expect(file.rules[0].mustMatch == false)
        #expect(file.rules[1].selector.bdf == "0000:01:00.0")
        #expect(file.rules[1].mustMatch)
        #expect(file.rules[1].assertions.map(\.line) == [8, 9, 10])
    }

    @Test func unknownKeysNameTheirLine() {
        let e = error("version: 1\nexpect:\n  - select: {bdf: \"0000:01:00.0\"}\n    nevr: nouveau\n")
        #expect(e?.line == 4)
        #expect(e?.message.contains("unknown key 'nevr'") == true)
        #expect(error("versoin: 1\n")?.line == 1)
        #expect(error("expect:\n  - select: {bdf: x, colour: red}\n    winner: a\n")?.line == 2)
    }

    @Test func badSelectorsNameTheirLine() {
        let e = error("expect:\n  - select:\n      class: 030\n    winner: vfio-pci\n")
        #expect(e?.line == 3)
        #expect(e?.message.contains("bad selector class") == true)
        #expect(error("expect:\n  - select: {bdf: \"0000:01:00.9\"}\n    winner: a\n")?.line == 2)
        #expect(error("expect:\n  - select: {ids: \"10de\"}\n    winner: a\n")?.line == 2)
    }

    @Test func yamlSyntaxErrorsNameTheirLine() {
        let e = error("expect:\n  - select: {bdf: \"0000:01:00.0\"\n    winner: a\n")
        #expect(e != nil)
        #expect((e?.line ?? 0) >= 2)
        #expect(error("version: 1\nversion: 1\n")?.message.contains("duplicate") == true)
    }

    @Test func contradictionsAndEmptyRulesAreErrors() {
        #expect(error("expect:\n  - select: {all: true}\n    deterministic: true\n    allow-races: any\n")?.line == 3)
        #expect(error("expect:\n  - select: {all: true}\n")?.message.contains("no assertion") == true)
        #expect(error("expect:\n  - winner: a\n")?.message.contains("no 'select'") == true)
        #expect(error("expect:\n  - select: {all: true}\n    allow-races: [deterministic]\n")?.line == 3)
    }
}
