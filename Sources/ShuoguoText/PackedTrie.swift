/// A frozen ``ScalarTrie`` laid out for segmentation speed.
///
/// Every node is one 16-byte slot of an open-addressing hash table keyed by
/// `(parent, scalar)`, and the node's number *is* its slot (plus one, so that 0 means "no
/// node"). The slot also holds the node's value (a word's log-probability), so one probe
/// yields both the edge and the score: a single cache line per step of the walk. With the
/// table at most half full, the 500k nodes of the jieba dictionary take 16 MiB, which stays
/// in a typical last-level cache. Children of the root on the Basic Multilingual Plane are
/// also indexed by a dense table, since every walk starts there.
struct PackedTrie: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var value: Double
    }

    /// Value of nodes that carry none (prefixes of words).
    static let noValue = Double.infinity

    private let rootEdges: [Int32]
    private let slots: [Slot]
    private let shift: UInt64
    /// One bit per hashed edge key, eight bits per node: a lookup whose bit is clear (most
    /// failed lookups) is answered from this small, cache-resident array without touching
    /// the large slot table.
    private let filter: [UInt64]
    private let filterShift: UInt64
    /// Number of nodes, the root excluded.
    let nodeCount: Int

    /// Packs `trie`, giving each node `values[node]` (indexed by the node numbers of `trie`).
    /// `renumbered[old]` receives the packed number of each node of `trie`.
    init(_ trie: ScalarTrie, values: [Double], renumbered: inout [Int32]) {
        let count = trie.nodeCount - 1
        var capacity = 64
        while capacity < count * 2 { capacity <<= 1 }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        nodeCount = count

        // Each node has exactly one incoming edge; a child is always numbered after its
        // parent, so visiting nodes in their original order packs parents first.
        var incoming = [(parent: Int32, scalar: UInt32)](repeating: (0, 0), count: trie.nodeCount)
        trie.forEachEdge { parent, scalar, child in incoming[Int(child)] = (parent, scalar) }

        var filterBits = 512
        while filterBits < count * 8 { filterBits <<= 1 }
        filterShift = UInt64(64 - filterBits.trailingZeroBitCount)
        var bits = [UInt64](repeating: 0, count: filterBits / 64)

        var table = [Slot](repeating: Slot(key: ScalarTrie.emptyKey, value: Self.noValue), count: capacity)
        var root = [Int32](repeating: 0, count: 0x10000)
        renumbered = [Int32](repeating: 0, count: trie.nodeCount)
        let mask = capacity - 1
        for old in 1..<max(1, trie.nodeCount) {
            let (oldParent, scalar) = incoming[old]
            let key = ScalarTrie.key(renumbered[Int(oldParent)], scalar)
            var h = ScalarTrie.hash(key, shift: shift)
            while table[h].key != ScalarTrie.emptyKey { h = (h + 1) & mask }
            table[h] = Slot(key: key, value: values[old])
            let bit = Self.filterBit(key, shift: filterShift)
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
            let id = Int32(h + 1)
            renumbered[old] = id
            if oldParent == 0 && scalar < 0x10000 { root[Int(scalar)] = id }
        }
        slots = table
        rootEdges = root
        filter = bits
    }

    /// Filter bit of an edge key; uses a different multiplier from the table hash so that
    /// the two are independent.
    @inline(__always)
    static func filterBit(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) >> shift)
    }

    /// The node reached by `scalars` from the root, or 0.
    func find<S: Sequence<UInt32>>(_ scalars: S) -> Int32 {
        withView { view in
            var node: Int32 = 0
            var any = false
            for c in scalars {
                node = view.child(node, c)
                if node == 0 { return 0 }
                any = true
            }
            return any ? node : 0
        }
    }

    /// The value of `node` (not 0).
    func value(_ node: Int32) -> Double { slots[Int(node) - 1].value }

    /// Read-only raw view for hot loops; valid only inside `body`.
    func withView<R>(_ body: (View) -> R) -> R {
        rootEdges.withUnsafeBufferPointer { root in
            slots.withUnsafeBufferPointer { table in
                filter.withUnsafeBufferPointer { bits in
                    body(View(
                        root: root.baseAddress!, slots: table.baseAddress!, mask: table.count - 1, shift: shift,
                        filter: bits.baseAddress!, filterShift: filterShift))
                }
            }
        }
    }

    struct View {
        let root: UnsafePointer<Int32>
        let slots: UnsafePointer<Slot>
        let mask: Int
        let shift: UInt64
        let filter: UnsafePointer<UInt64>
        let filterShift: UInt64

        /// The child of `node` along `scalar`, or 0.
        @inline(__always)
        func child(_ node: Int32, _ scalar: UInt32) -> Int32 {
            if node == 0 && scalar < 0x10000 { return root[Int(scalar)] }
            let key = ScalarTrie.key(node, scalar)
            let bit = PackedTrie.filterBit(key, shift: filterShift)
            if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return 0 }
            var h = ScalarTrie.hash(key, shift: shift)
            while true {
                let k = slots[h].key
                if k == key { return Int32(truncatingIfNeeded: h &+ 1) }
                if k == ScalarTrie.emptyKey { return 0 }
                h = (h &+ 1) & mask
            }
        }

        /// The value of `node` (not 0).
        @inline(__always)
        func value(_ node: Int32) -> Double { slots[Int(node) &- 1].value }
    }
}
