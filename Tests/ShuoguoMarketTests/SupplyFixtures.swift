import Foundation
import ShuoguoData
import ShuoguoEngine
@testable import ShuoguoMarket

/// A small market over three industries (智能装备, 绿色能源, 现代轻工), fitted once.
enum SupplyFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let resources: Resources = try! Resources.load(corpusDirectory: root.appendingPathComponent("Corpus"))
    static let taxonomy: Taxonomy = try! Taxonomy.load(from: root.appendingPathComponent("Corpus/taxonomy.json"))
    /// Where tests leave files for inspection (git-ignored).
    static let artifacts = root.appendingPathComponent(".build/test-artifacts")

    static func achievement(_ id: String, _ title: String, _ summary: String, industry: [Industry], date: String?,
                            maturity: Int? = 3, advancement: Int? = 3, willingness: Willingness? = .normal,
                            institution: String = "青岛科技大学") -> Achievement {
        Achievement(id: id, title: title, summary: summary, institution: institution, category: .industrial,
                    maturity: maturity, advancement: advancement, transferModes: [.license, .coDevelop],
                    willingness: willingness, industry: industry, region: "崂山区", date: date)
    }

    static let achievements: [Achievement] = [
        achievement("E01", "六轴工业机器人视觉引导抓取系统", "工业机器人通过三维视觉识别散乱工件位姿，引导机械臂完成抓取和上下料，节拍小于6秒，适用于汽车零部件与家电装配产线。",
                    industry: [.equip], date: "2025-05-10", maturity: 4, advancement: 3, willingness: .strong),
        achievement("E02", "协作机器人力控打磨工作站", "协作机器人末端六维力传感器实时调整打磨压力，机械臂沿曲面轨迹自动打磨铸件，替代人工粉尘作业。",
                    industry: [.equip], date: "2024-11-02", maturity: 3, advancement: 3, willingness: .normal),
        achievement("E03", "五轴数控机床热误差补偿技术", "数控机床主轴与丝杠温升引起热变形，本成果建立温度场与误差模型，数控系统实时补偿，加工精度提升40%。",
                    industry: [.equip], date: "2023-09-18", maturity: 5, advancement: 4, willingness: .normal),
        achievement("E04", "高速列车转向架轴承故障诊断", "轨道交通装备在线监测转向架轴承振动与温度，故障诊断算法提前预警剥落与裂纹，降低高速列车运维成本。",
                    industry: [.equip, .it], date: "2025-02-20", maturity: 4, advancement: 4, willingness: .strong),
        achievement("E05", "海洋工程装备防腐监测系统", "海洋平台钢结构腐蚀在线监测，传感器网络测量腐蚀速率并评估剩余寿命，服务海工装备运维。",
                    industry: [.equip, .chem], date: nil, maturity: 3, advancement: 2, willingness: .normal),
        achievement("W1", "工业机器人末端快换夹具", "工业机器人末端夹具快速更换，机械臂在产线切换工件时自动更换夹具，换型时间缩短到30秒。",
                    industry: [.equip], date: "2025-03-01", maturity: 3, advancement: 3, willingness: .strong),
        achievement("W2", "工业机器人末端快换夹具", "工业机器人末端夹具快速更换，机械臂在产线切换工件时自动更换夹具，换型时间缩短到30秒。",
                    industry: [.equip], date: "2025-03-01", maturity: 3, advancement: 3, willingness: Willingness.none, institution: "青岛理工大学"),
        achievement("G01", "碱性电解槽制氢电极涂层", "氢能制备中碱性电解槽电极的镍基催化涂层，降低析氢过电位，电解制氢能耗下降8%。",
                    industry: [.energy], date: "2025-04-12", maturity: 4, advancement: 4, willingness: .strong),
        achievement("G02", "海上风电叶片雷击损伤检测", "海上风电机组叶片雷击与前缘腐蚀损伤，无人机巡检图像识别损伤位置，缩短风机停机检修时间。",
                    industry: [.energy], date: "2024-08-30", maturity: 3, advancement: 3, willingness: .normal),
        achievement("G03", "储能电站电池簇均衡管理", "储能电站锂电池簇之间电压不一致，主动均衡电路与管理策略提升可用容量，延长储能系统寿命。",
                    industry: [.energy], date: "2025-06-01", maturity: 4, advancement: 3, willingness: .normal),
        achievement("G04", "质子交换膜电解水制氢系统", "质子交换膜电解槽制氢，电解水系统在波动的风电光伏电源下稳定制氢，绿氢纯度99.999%。",
                    industry: [], date: "2025-07-15", maturity: 3, advancement: 4, willingness: .strong),
        achievement("L01", "啤酒酵母菌种选育与发酵控制", "食品饮料行业啤酒发酵过程中酵母活力下降，选育耐高浓酵母菌种并优化发酵温度曲线，口味稳定。",
                    industry: [.light], date: "2025-01-08", maturity: 5, advancement: 3, willingness: .normal),
        achievement("L02", "纺织面料抗菌整理工艺", "纺织服装面料抗菌整理，壳聚糖复合整理剂耐水洗50次抗菌率仍大于90%。",
                    industry: [.light], date: "2024-05-21", maturity: 4, advancement: 2, willingness: .strong),
        achievement("L03", "海参加工即食产品保鲜技术", "食品加工中即食海参自溶变软，低温酶抑制与包装工艺延长货架期到12个月，风味保持。",
                    industry: [.light, .health], date: "2025-03-27", maturity: 4, advancement: 3, willingness: .normal),
    ]

    static let needs: [Need] = [
        Need(id: "N01", title: "产线换型太慢", description: "装配线经常换型号，机械臂换夹具要停线很久，想让机器人自己换夹具。",
             enterprise: "青岛某汽车零部件有限公司", enterpriseSize: .sme, industry: [.equip], date: "2025-06-18"),
        Need(id: "N02", title: "机床加工精度随温度漂移", description: "数控机床开机几小时后零件尺寸就变，早晚精度不一样，希望有补偿办法。",
             enterprise: "青岛某精密机械有限公司", enterpriseSize: .sme, industry: [.equip], date: "2024-12-03"),
        Need(id: "N03", title: "风机叶片检修停机时间长", description: "海上风电场叶片损伤靠人工吊篮检查，风机停机时间长，想用无人机巡检。",
             enterprise: "青岛某海上风电运维公司", enterpriseSize: .large, industry: [.energy], date: "2025-05-05"),
        Need(id: "N04", title: "制氢电耗偏高", description: "电解槽制氢每方氢电耗高，希望电极涂层或系统改造降低能耗。",
             enterprise: "青岛某氢能科技有限公司", enterpriseSize: .sme, industry: [.energy], date: "2025-02-11"),
        Need(id: "N05", title: "啤酒口味批次不稳定", description: "不同批次啤酒口味差异大，酵母发酵后劲不足，想稳定发酵。",
             enterprise: "青岛某啤酒有限公司", enterpriseSize: .large, industry: [.light], date: "2025-04-02"),
    ]

    static let model: MatchModel = {
        var configuration = EngineConfiguration()
        configuration.useBackground = false
        configuration.minimumDocumentFrequency = 1
        return try! MatchModel.build(achievements: achievements, needs: needs, resources: resources, configuration: configuration, threads: 1)
    }()

    static func list(_ industry: Industry, track: String? = nil, since: String? = "2025-03-01", top: Int? = nil,
                     model: MatchModel = SupplyFixture.model) throws -> SupplyList {
        let request = try SupplyListRequest(industry: industry, track: track, since: since, generated: "2025-08-01", top: top)
        return try SupplyList.build(model: model, taxonomy: taxonomy, thesaurus: resources.thesaurus, request: request)
    }
}
