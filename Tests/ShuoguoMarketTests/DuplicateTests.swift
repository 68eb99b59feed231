import Foundation
import Testing
import ShuoguoData
import ShuoguoText
import ShuoguoVectors
@testable import ShuoguoMarket

@Suite struct DuplicateTests {
    static let original = Need(
        id: "N1", title: "PEM电解槽膜电极衰减快",
        description: "我们的PEM电解槽在80℃下连续运行2000小时后，膜电极电压上升超过50mV。希望找到耐久性更好的催化剂涂层。现场有3台1MW设备可以做验证。",
        enterprise: "青岛某氢能有限公司")

    static func need(_ id: String, _ title: String, _ description: String, enterprise: String? = nil) -> Need {
        Need(id: id, title: title, description: description, enterprise: enterprise)
    }

    /// Full-width forms of the ASCII letters, digits and signs in `text`.
    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x21...0x7E).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0xFEE0)! : scalar
        }))
    }

    @Test func copiesWithWhitespaceWidthPunctuationEditsAndReorderingAreLinked() {
        let o = Self.original
        let spaced = Self.need("C1", " PEM 电解槽 膜电极 衰减快 ", o.description.replacingOccurrences(of: "，", with: ", ").replacingOccurrences(of: "。", with: ".\n"))
        let wide = Self.need("C2", Self.fullWidth(o.title), Self.fullWidth(o.description))
        let edited = Self.need("C3", o.title, o.description.replacingOccurrences(of: "2000小时", with: "2500小时")
            .replacingOccurrences(of: "希望找到", with: "想找"))
        let sentences = o.description.split(separator: "。").map(String.init)
        let reordered = Self.need("C4", o.title, [sentences[2], sentences[0], sentences[1]].joined(separator: "。") + "。")
        let other = Self.need("X", "注塑件缩痕", "家电外壳注塑后表面有缩痕和熔接线，想优化模具和保压参数。")

        let groups = DuplicateDetector().groups([o, other, spaced, wide, edited, reordered])
        #expect(groups.count == 1)
        let group = groups[0]
        #expect(group.primary == "N1" && group.primaryIndex == 0)
        #expect(group.copies.map(\.id) == ["C1", "C2", "C3", "C4"])
        let similarity = Dictionary(uniqueKeysWithValues: group.copies.map { ($0.id, $0.similarity) })
        #expect(similarity["C1"] == 1 && similarity["C2"] == 1)  // only folded characters differ
        #expect(similarity["C3"]! >= 0.5 && similarity["C3"]! < 1)
        #expect(similarity["C4"]! >= 0.8 && similarity["C4"]! < 1)
    }

    @Test func distinctButSimilarListingsAreNotLinked() {
        // Same problem from two enterprises, and two listings that share a template sentence.
        let listings = [
            Self.need("A", "风机轴承坏了才知道", "车间的引风机和循环水泵以前都是坏了再修，上个月一台风机轴承抱死，整条线停了两天。"),
            Self.need("B", "泵站电机声音发闷要出毛病", "泵站几十台电机和水泵，老师傅走一圈就知道哪台声音发闷要坏，年轻人听不出来。"),
            Self.need("C", "征集高效换热器技术", "本企业长期从事化工生产，现面向高校院所征集技术方案：板式换热器结垢快，清洗周期短，希望提高换热效率。"),
            Self.need("D", "征集废水除磷技术", "本企业长期从事化工生产，现面向高校院所征集技术方案：含磷废水处理成本高，出水总磷不稳定，希望降低药剂用量。"),
        ]
        #expect(DuplicateDetector().groups(listings).isEmpty)
    }

    @Test func theDevelopmentSetHoldsNoCopies() throws {
        let dev = PoolFixture.root.appendingPathComponent("Corpus/dev")
        let needs = try JSONLines.readNeeds(at: dev.appendingPathComponent("needs.jsonl")).records
        let achievements = try JSONLines.readAchievements(at: dev.appendingPathComponent("achievements.jsonl")).records
        #expect(DuplicateDetector().groups(needs).isEmpty)
        #expect(DuplicateDetector().groups(achievements).isEmpty)
        // The margin: even at 0.2 no two listings of the set are linked.
        #expect(DuplicateDetector(threshold: 0.2).groups(achievements).isEmpty)
    }

    @Test func groupsAreTransitiveAndNamedByTheirEarliestRecord() {
        let base = "低温环境下锂电池充电慢，续航缩水，冬季车辆趴窝，需要电池包快速加热和充电策略优化方案。"
        // B differs from A at both ends, C from B in its last clause: C reaches A only through B.
        let a = Self.need("A", "冬季充电慢", base)
        let b = Self.need("B", "冬季充电慢", "寒冷" + base.dropFirst(2) + "谢谢")
        let c = Self.need("C", "冬季充电慢", "寒冷" + base.dropFirst(2).dropLast(12) + "的改进建议和试验验证谢谢")
        let groups = DuplicateDetector().groups([c, a, b])
        #expect(groups.count == 1)
        #expect(groups[0].primary == "C" && groups[0].ids == ["C", "A", "B"])
        let similarity = Dictionary(uniqueKeysWithValues: groups[0].copies.map { ($0.id, $0.similarity) })
        #expect(similarity["B"]! >= 0.5)
        #expect(similarity["A"]! < 0.5)  // linked through B, reported against the primary
    }

    @Test func prefixFilteringFindsExactlyThePairsAboveTheThreshold() {
        // Random texts over a small alphabet, some of them edited copies of others; the pairs
        // found must equal the brute-force Jaccard comparison of every pair.
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("电池充放寿命温控材料涂层检测振动故障预警算法数据平台")
        var texts: [String] = []
        for i in 0..<160 {
            if i >= 40 && generator.next() % 2 == 0 {
                var scalars = Array(texts[Int(generator.next() % UInt64(texts.count))])
                let edits = Int(generator.next() % 8)
                for _ in 0..<edits { scalars[Int(generator.next() % UInt64(scalars.count))] = alphabet[Int(generator.next() % UInt64(alphabet.count))] }
                texts.append(String(scalars))
            } else {
                texts.append(String((0..<(20 + Int(generator.next() % 40))).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
            }
        }
        for threshold in [0.3, 0.5, 0.8] {
            let detector = DuplicateDetector(threshold: threshold)
            let sets = texts.map { detector.shingles(of: $0) }
            var expected: [(Int, Int)] = []
            for i in sets.indices {
                for j in (i + 1)..<sets.count where DuplicateDetector.jaccard(sets[i], sets[j]) >= threshold { expected.append((i, j)) }
            }
            let found = detector.similarPairs(sets)
            #expect(found.map(\.first) == expected.map(\.0) && found.map(\.second) == expected.map(\.1),
                    "threshold \(threshold): \(found.count) pairs found, \(expected.count) expected")
            #expect(!expected.isEmpty)
        }
    }

    @Test func textsWithoutLettersOrDigitsPairWithNothing() {
        let groups = DuplicateDetector().groups(ids: ["a", "b", "c"], texts: ["。，！", "—— ……", "电池"])
        #expect(groups.isEmpty)
        #expect(DuplicateDetector().shingles(of: "。，！").isEmpty)
        #expect(DuplicateDetector().shingles(of: "电池").count == 1)
    }
}

