@testable import BindraceReplay
import Testing

@Suite struct FinalBuildOrderTests {
    @Test func spreadsHeavyCasesAmongTheOthersNoneFirst() {
        var heavy = [Bool](repeating: false, count: 12)
        heavy[0] = true
        heavy[1] = true
        let order = FinalBuildOrder.order(heavy: heavy)
        #expect(order == [2, 3, 4, 0, 5, 6, 7, 1, 8, 9, 10, 11])
    }

    @Test(arguments: [0, 1, 2, 5, 33, 100])
    func isAPermutationKeepingEachKindInOrder(count: Int) {
        let heavy = (0..<count).map { $0 % 7 == 3 || $0 < 2 }
        let order = FinalBuildOrder.order(heavy: heavy)
        #expect(order.sorted() == Array(0..<count))
        #expect(order.filter { heavy[$0] } == (0..<count).filter { heavy[$0] })
        #expect(order.filter { !heavy[$0] } == (0..<count).filter { !heavy[$0] })
        if let first = order.first, heavy.contains(false) { #expect(!heavy[first]) }
    }

    @Test func allOfOneKindKeepTheirOrder() {
        #expect(FinalBuildOrder.order(heavy: [true, true, true]) == [0, 1, 2])
        #expect(FinalBuildOrder.order(heavy: [false, false]) == [0, 1])
        #expect(FinalBuildOrder.order(heavy: []) == [])
    }

    @Test func moreHeavyThanLightPutsTheRestLast() {
        let order = FinalBuildOrder.order(heavy: [true, true, true, false, false])
        #expect(order == [3, 0, 4, 1, 2])
    }
}
