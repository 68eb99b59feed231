import ShuoguoData
import Testing

@Suite("Enumerations match the interchange format")
struct EnumerationTests {
    @Test("raw values are exactly the format's strings, in the format's order")
    func rawValues() {
        #expect(Industry.allCases.map(\.rawValue)
            == ["it", "ai", "health", "nev", "lowalt", "energy", "equip", "appliance", "chem", "light", "future"])
        #expect(AchievementCategory.allCases.map(\.rawValue) == ["major", "industrial", "enterprise"])
        #expect(TransferMode.allCases.map(\.rawValue)
            == ["self_invest", "transfer", "license", "co_develop", "equity", "other"])
        #expect(Willingness.allCases.map(\.rawValue) == ["strong", "normal", "none"])
        #expect(ConversionNeed.allCases.map(\.rawValue)
            == ["concept_verification", "pilot", "promotion", "funding", "site", "team", "other"])
        #expect(EnterpriseSize.allCases.map(\.rawValue) == ["large", "sme"])
        #expect(NeedChannel.allCases.map(\.rawValue) == ["cloud_rd", "order", "jiebang", "squad", "event", "other"])
        #expect(ProblemType.allCases.map(\.rawValue) == ["material", "component", "system", "algorithm", "other"])
    }

    @Test("industries carry their Chinese names and the 2 + 5 + 3 + 1 grouping")
    func industries() {
        #expect(Industry.it.chineseName == "新一代信息技术")
        #expect(Industry.nev.chineseName == "智能网联新能源汽车")
        #expect(Industry.chem.chineseName == "高端化工与新材料")
        #expect(Industry.future.chineseLabel == "未来产业")
        let counts = IndustryGroup.allCases.map { group in Industry.allCases.filter { $0.group == group }.count }
        #expect(counts == [2, 5, 3, 1])
        #expect(Industry.ai.group == .leading && Industry.lowalt.group == .emerging && Industry.light.group == .advantage)
        #expect(IndustryGroup.leading.chineseLabel == "先导产业")
        #expect(IndustryGroup.future.chineseLabel == "未来产业")
    }

    @Test("Chinese labels follow the forms and are distinct within each vocabulary")
    func labels() {
        #expect(TransferMode.transfer.chineseLabel == "技术转让")
        #expect(TransferMode.coDevelop.chineseLabel == "合作开发")
        #expect(Willingness.strong.chineseLabel == "强烈")
        #expect(Willingness.none.chineseLabel == "无")
        #expect(ConversionNeed.pilot.chineseLabel == "中试熟化")
        #expect(NeedChannel.cloudRD.chineseLabel == "云端研发")
        #expect(NeedChannel.jiebang.chineseLabel == "揭榜挂帅")
        #expect(ProblemType.algorithm.chineseLabel == "核心算法")
        #expect(AchievementCategory.major.chineseLabel == "重大科技成果")
        #expect(EnterpriseSize.sme.chineseLabel == "中小企业")
        func distinct<E: FormatEnumeration>(_ type: E.Type) -> Bool {
            Set(E.allCases.map(\.chineseLabel)).count == E.allCases.count
        }
        #expect(distinct(Industry.self) && distinct(AchievementCategory.self) && distinct(TransferMode.self))
        #expect(distinct(Willingness.self) && distinct(ConversionNeed.self) && distinct(EnterpriseSize.self))
        #expect(distinct(NeedChannel.self) && distinct(ProblemType.self) && distinct(IndustryGroup.self))
        #expect(Achievement.maturityLabels.count == 5 && Achievement.maturityLabels[4] == "可以量产")
        #expect(Achievement.advancementLabels.count == 5 && Achievement.advancementLabels[0] == "国家/行业标准")
    }
}
