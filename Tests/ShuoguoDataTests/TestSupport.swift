import Foundation
import ShuoguoData

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so every randomized
/// test sees the same sequence on every run and every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (multiply-shift; the bias is negligible for small bounds).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive, got \(bound)")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool {
        below(denominator) < numerator
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// A random subset without repeats, in a random order.
    mutating func subset<T: Equatable>(of items: [T], maxCount: Int) -> [T] {
        var pool = items
        var result: [T] = []
        for _ in 0..<below(min(maxCount, items.count) + 1) {
            result.append(pool.remove(at: below(pool.count)))
        }
        return result
    }
}

/// Reads achievements from a string, naming the file `a.jsonl`.
func readAchievements(_ text: String) -> LoadReport<Achievement> {
    JSONLines.readAchievements(data: Data(text.utf8), fileName: "a.jsonl")
}

func readAchievements(bytes: [UInt8]) -> LoadReport<Achievement> {
    JSONLines.readAchievements(data: Data(bytes), fileName: "a.jsonl")
}

/// Reads needs from a string, naming the file `n.jsonl`.
func readNeeds(_ text: String) -> LoadReport<Need> {
    JSONLines.readNeeds(data: Data(text.utf8), fileName: "n.jsonl")
}

extension LoadReport {
    var issueLines: [String] { issues.map(\.description) }
}

/// A minimal valid achievement line with extra members appended (`extra` starts with a comma).
func achievementLine(_ extra: String = "", id: String = "A-1") -> String {
    #"{"id":"\#(id)","title":"海水淡化反渗透膜","summary":"高通量抗污染复合膜"\#(extra)}"#
}

/// A minimal valid need line with extra members appended.
func needLine(_ extra: String = "", id: String = "N-1") -> String {
    #"{"id":"\#(id)","title":"养殖水体在线监测","description":"想不出、说不清"\#(extra)}"#
}
