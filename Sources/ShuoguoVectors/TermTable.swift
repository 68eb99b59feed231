/// A hash set of terms keyed by their UTF-8 bytes, each with an `Int32` value: the fast path
/// of term → id lookups while fitting and applying TF-IDF.
///
/// `Dictionary<String, _>` hashes a non-ASCII string through Unicode normalisation, which for
/// two- to four-character Chinese words costs several times the lookup itself. This table
/// compares bytes, so two canonically equivalent spellings with different bytes are different
/// keys here: callers map each new byte sequence through a `String` dictionary once, which keeps
/// `String` equality as the meaning of "the same term".
///
/// Open addressing with linear probing, at most half full. A key of at most 16 bytes (every
/// Chinese word of up to five characters) lives in its slot as two 64-bit words, so a lookup
/// reads one slot and compares two words; longer keys live in an arena that the slot points to.
/// - Complexity: lookup and insertion O(key length) expected; memory 24 bytes per slot plus the
///   bytes of the long keys.
struct TermTable: Sendable {
    private struct Slot {
        /// A short key's bytes; a long key's arena offset (`first`) and hash (`second`).
        var first: UInt64 = 0
        var second: UInt64 = 0
        /// Key length in bytes; −1 marks an empty slot.
        var length: Int32 = -1
        var value: Int32 = 0
    }

    private static let inlineLength = 16
    private var slots: [Slot]
    private var mask: Int
    private var longKeys: [UInt8] = []
    private(set) var count = 0

    init(expectedCount: Int = 1024) {
        var capacity = 16
        while capacity < 2 * expectedCount { capacity <<= 1 }
        slots = [Slot](repeating: Slot(), count: capacity)
        mask = capacity - 1
    }

    /// The bytes of a short key as two words. Overlapping unaligned loads read only inside the
    /// buffer; with the length, the two words identify the key.
    @inline(__always)
    private static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        let n = bytes.count
        guard n > 0 else { return (0, 0) }
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        if n >= 8 {
            return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return (low | high << 32, 0)
        }
        var word: UInt64 = 0
        for i in 0..<n { word |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        return (word, 0)
    }

    /// A 64-bit mix of two words and the length (multiply–xorshift, as in SplitMix64's finaliser).
    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64, _ length: Int) -> UInt64 {
        var h = (a ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h ^= (b &+ UInt64(length)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 29)
    }

    /// FNV-1a over a long key's bytes, then mixed.
    private static func longHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return mix(h, 0, bytes.count)
    }

    /// The value stored for `bytes`, or nil.
    @inline(__always)
    func value(for bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (slot, found) = locate(bytes)
        return found ? slots[slot].value : nil
    }

    /// Stores `value` for `bytes`, which must not be in the table yet.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, value: Int32) {
        let (slot, found) = locate(bytes)
        precondition(!found, "key inserted twice")
        var entry = Slot(length: Int32(bytes.count), value: value)
        if bytes.count <= Self.inlineLength {
            (entry.first, entry.second) = Self.words(bytes)
        } else {
            entry.first = UInt64(longKeys.count)
            entry.second = Self.longHash(bytes)
            longKeys.append(contentsOf: bytes)
        }
        slots[slot] = entry
        count += 1
        if 2 * count > slots.count { grow() }
    }

    /// The slot holding `bytes` (found), or the empty slot where it would go.
    @inline(__always)
    private func locate(_ bytes: UnsafeBufferPointer<UInt8>) -> (slot: Int, found: Bool) {
        let length = bytes.count
        let short = length <= Self.inlineLength
        let (a, b) = short ? Self.words(bytes) : (0, Self.longHash(bytes))
        var slot = Int(truncatingIfNeeded: short ? Self.mix(a, b, length) : b) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[slot]
                if entry.length < 0 { return (slot, false) }
                if Int(entry.length) == length {
                    if short {
                        if entry.first == a && entry.second == b { return (slot, true) }
                    } else if entry.second == b && longKeyEquals(Int(entry.first), bytes) {
                        return (slot, true)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func longKeyEquals(_ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        longKeys.withUnsafeBufferPointer { arena in
            memcmp(arena.baseAddress! + offset, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private func hash(of entry: Slot) -> UInt64 {
        Int(entry.length) <= Self.inlineLength ? Self.mix(entry.first, entry.second, Int(entry.length)) : entry.second
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        let newMask = capacity - 1
        var fresh = [Slot](repeating: Slot(), count: capacity)
        for entry in slots where entry.length >= 0 {
            var slot = Int(truncatingIfNeeded: hash(of: entry)) & newMask
            while fresh[slot].length >= 0 { slot = (slot + 1) & newMask }
            fresh[slot] = entry
        }
        slots = fresh
        mask = newMask
    }
}

extension String {
    /// Runs `body` on the string's UTF-8 bytes, without copying when they are stored contiguously.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
