@testable import BindraceReplay
import PropertyBased
import Testing

@Suite struct FirstProbesTests {
    /// Against a dictionary where the first index noted for a handle stays,
    /// with handles noted in any order (mostly rising, as steps open).
    @Test func agreesWithADictionaryKeepingTheFirst() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...40).array(of: 0...60), Gen.int(in: 0...40).array(of: 0...20)) { noted, asked in
            var map = FirstProbes()
            var reference: [Int32: Int] = [:]
            for (index, handle) in noted.enumerated() {
                map.noteFirst(Int32(handle), at: index)
                if reference[Int32(handle)] == nil { reference[Int32(handle)] = index }
            }
            for handle in asked + noted {
                #expect(map[Int32(handle)] == reference[Int32(handle)], "handle \(handle) after \(noted)")
            }
        }
    }

    @Test func emptyKnowsNothing() {
        #expect(FirstProbes()[0] == nil)
        var map = FirstProbes()
        map.noteFirst(5, at: 10)
        map.noteFirst(5, at: 11)
        map.noteFirst(2, at: 12)
        #expect(map[5] == 10)
        #expect(map[2] == 12)
        #expect(map[3] == nil)
    }
}
