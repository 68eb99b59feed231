/// One ranked item: an index into the ranked collection and its score.
public struct ScoredIndex: Equatable, Sendable {
    public var index: Int
    public var score: Float

    public init(index: Int, score: Float) {
        self.index = index
        self.score = score
    }

    /// The ranking order: higher score first; on equal scores the lower index first (stable).
    @inlinable
    public static func ranksBefore(_ a: ScoredIndex, _ b: ScoredIndex) -> Bool {
        a.score > b.score || (a.score == b.score && a.index < b.index)
    }
}

/// Top-k by partial selection: a bounded binary heap whose root is the worst kept item.
///
/// `offer` is O(1) when the candidate does not beat the root (the common case once the heap
/// is full) and O(log k) otherwise, so selecting k of n costs O(n + m log k) where m is the
/// number of replacements. Ties are broken by index, so the result equals the first k of a
/// full stable sort by descending score.
public struct TopKSelector: Sendable {
    public let capacity: Int
    @usableFromInline var heap: [ScoredIndex] = []

    public init(capacity: Int) {
        precondition(capacity >= 0, "negative capacity")
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// The score an item must beat to enter once the selector is full (−∞ before).
    @inlinable
    public var threshold: Float { heap.count < capacity ? -.infinity : heap[0].score }

    public var isFull: Bool { heap.count >= capacity }

    /// Offers one candidate.
    @inlinable
    public mutating func offer(_ item: ScoredIndex) {
        if heap.count < capacity {
            heap.append(item)
            siftUp(heap.count - 1)
        } else if capacity > 0, ScoredIndex.ranksBefore(item, heap[0]) {
            heap[0] = item
            siftDown(0)
        }
    }

    /// The kept items, best first. - Complexity: O(k log k).
    public func sorted() -> [ScoredIndex] {
        heap.sorted(by: ScoredIndex.ranksBefore)
    }

    /// `a` is worse than `b` (should sit nearer the root).
    @usableFromInline
    static func isWorse(_ a: ScoredIndex, _ b: ScoredIndex) -> Bool { ScoredIndex.ranksBefore(b, a) }

    @usableFromInline
    mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.isWorse(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @usableFromInline
    mutating func siftDown(_ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var worst = left
            if left + 1 < count, Self.isWorse(heap[left + 1], heap[left]) { worst = left + 1 }
            guard Self.isWorse(heap[worst], heap[parent]) else { return }
            heap.swapAt(worst, parent)
            parent = worst
        }
    }
}
