import BindraceTrace

/// For each devpath (by string id), the devpaths with finished udev events
/// that udevd would serialise it against: the same text, an ancestor
/// directory, or a descendant (`HappensBeforeTracker.related`). Kept up to
/// date as devpaths finish their first event, so that taking a uevent costs
/// a list walk, not text comparisons.
struct UdevRelations {
    /// Per string id: 0 unseen, 1 seen, 2 seen and finished.
    private var state: [UInt8] = []
    /// Per string id (seen ones): finished related ids.
    private var related: [[StringID]] = []
    /// Seen ids by their text, and by each proper ancestor directory of their text.
    private var byText: [String: [StringID]] = [:]
    private var below: [String: [StringID]] = [:]
    private var texts: [String] = []

    /// How many finished devpaths relate to `id` (seeing it if new); read
    /// them with `finishedRelated(to:_:)`. By index, not as an array: taking
    /// a uevent then costs no reference counting.
    @inline(__always)
    mutating func finishedRelatedCount(to id: StringID, strings: StringTable) -> Int {
        see(id, strings: strings)
        return related[Int(id)].count
    }

    /// The `k`th finished devpath related to `id` (seen already).
    @inline(__always)
    func finishedRelated(to id: StringID, _ k: Int) -> StringID { related[Int(id)][k] }

    /// `id` finished an event: it becomes related to every seen devpath it relates to.
    mutating func noteFinished(_ id: StringID, strings: StringTable) {
        see(id, strings: strings)
        let i = Int(id)
        guard state[i] == 1 else { return }
        state[i] = 2
        for other in relatives(of: texts[i]) { related[Int(other)].append(id) }
    }

    @inline(__always)
    private mutating func see(_ id: StringID, strings: StringTable) {
        let i = Int(id)
        if i < state.count, state[i] != 0 { return }
        firstSight(id, strings: strings)
    }

    private mutating func firstSight(_ id: StringID, strings: StringTable) {
        let i = Int(id)
        if state.count <= i {
            let grown = max(i + 1, state.count * 2, 64)
            state.append(contentsOf: repeatElement(0, count: grown - state.count))
            related.append(contentsOf: repeatElement([], count: grown - related.count))
            texts.append(contentsOf: repeatElement("", count: grown - texts.count))
        }
        let text = strings[id]
        texts[i] = text
        state[i] = 1
        byText[text, default: []].append(id)
        if !text.isEmpty {
            for a in UdevPathIndex.ancestors(text) { below[a, default: []].append(id) }
        }
        // Related finished ones so far.
        related[i] = relatives(of: text).filter { state[Int($0)] == 2 }
    }

    /// Seen ids whose text equals `text`, is an ancestor of it, or lies below it.
    private func relatives(of text: String) -> [StringID] {
        var out = byText[text] ?? []
        guard !text.isEmpty else { return out }
        for a in UdevPathIndex.ancestors(text) { out += byText[a] ?? [] }
        out += below[text] ?? []
        return out
    }
}
