/// A growable trie over Unicode scalars, used while building; ``PackedTrie`` is its frozen,
/// faster form.
///
/// Nodes are numbered from 0 (the root). Edges from the root on the Basic Multilingual Plane
/// sit in a dense table indexed by scalar; every other edge sits in one open-addressing hash
/// table keyed by `(parent, scalar)` with linear probing. Node 0 is never a child, so 0 also
/// means "no edge".
struct ScalarTrie: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        var child: Int32
    }

    static let emptyKey = UInt64.max

    private(set) var rootEdges: [Int32]
    private(set) var slots: [Slot]
    private(set) var nodeCount: Int
    private var usedSlots: Int
    private var shift: UInt64  // 64 - log2(slots.count)

    init(expectedNodes: Int = 1024) {
        rootEdges = [Int32](repeating: 0, count: 0x10000)
        var capacity = 64
        while capacity < expectedNodes * 2 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(key: Self.emptyKey, child: 0), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        nodeCount = 1
        usedSlots = 0
    }

    @inline(__always)
    static func key(_ parent: Int32, _ scalar: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: parent)) << 32 | UInt64(scalar)
    }

    @inline(__always)
    static func hash(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The child of `node` along `scalar`, or 0.
    func child(_ node: Int32, _ scalar: UInt32) -> Int32 {
        if node == 0 && scalar < 0x10000 { return rootEdges[Int(scalar)] }
        let key = Self.key(node, scalar)
        let mask = slots.count - 1
        var h = Self.hash(key, shift: shift)
        while true {
            let slot = slots[h]
            if slot.key == key { return slot.child }
            if slot.key == Self.emptyKey { return 0 }
            h = (h + 1) & mask
        }
    }

    /// The node reached by `scalars` from the root, or 0.
    func find<S: Sequence<UInt32>>(_ scalars: S) -> Int32 {
        var node: Int32 = 0
        var any = false
        for c in scalars {
            node = child(node, c)
            if node == 0 { return 0 }
            any = true
        }
        return any ? node : 0
    }

    /// The node reached by `scalars`, creating missing nodes. Returns 0 for an empty sequence.
    mutating func insert<S: Sequence<UInt32>>(_ scalars: S) -> Int32 {
        var node: Int32 = 0
        for c in scalars {
            node = childOrInsert(node, c)
        }
        return node
    }

    private mutating func childOrInsert(_ node: Int32, _ scalar: UInt32) -> Int32 {
        if node == 0 && scalar < 0x10000 {
            let existing = rootEdges[Int(scalar)]
            if existing != 0 { return existing }
            let new = makeNode()
            rootEdges[Int(scalar)] = new
            return new
        }
        let key = Self.key(node, scalar)
        let mask = slots.count - 1
        var h = Self.hash(key, shift: shift)
        while true {
            let slot = slots[h]
            if slot.key == key { return slot.child }
            if slot.key == Self.emptyKey { break }
            h = (h + 1) & mask
        }
        let new = makeNode()
        slots[h] = Slot(key: key, child: new)
        usedSlots += 1
        if usedSlots * 2 > slots.count { grow() }
        return new
    }

    private mutating func makeNode() -> Int32 {
        precondition(nodeCount < Int(Int32.max), "trie node count overflows Int32")
        defer { nodeCount += 1 }
        return Int32(nodeCount)
    }

    private mutating func grow() {
        let old = slots
        let capacity = old.count * 2
        slots = [Slot](repeating: Slot(key: Self.emptyKey, child: 0), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        let mask = capacity - 1
        slots.withUnsafeMutableBufferPointer { table in
            for slot in old where slot.key != Self.emptyKey {
                var h = Self.hash(slot.key, shift: shift)
                while table[h].key != Self.emptyKey { h = (h + 1) & mask }
                table[h] = slot
            }
        }
    }

    /// Calls `body` with every edge: parent, scalar, child.
    func forEachEdge(_ body: (Int32, UInt32, Int32) -> Void) {
        for (scalar, child) in rootEdges.enumerated() where child != 0 {
            body(0, UInt32(scalar), child)
        }
        for slot in slots where slot.key != Self.emptyKey {
            body(Int32(truncatingIfNeeded: slot.key >> 32), UInt32(truncatingIfNeeded: slot.key), slot.child)
        }
    }
}
