import Foundation
import Testing
import ShuoguoData
import ShuoguoEngine
@testable import ShuoguoMarket

enum Chromium {
    /// The headless browser, when installed (`scripts/setup.sh` installs Debian's `chromium`).
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs the browser headless with `arguments` after the common ones; returns stdout.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("shuoguo-chromium-\(ProcessInfo.processInfo.processIdentifier)")
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile.path)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite struct ExportHTMLTests {
    @Test func textIsEscapedEverywhere() {
        #expect(PrintableHTML.escape("<b>&\"'</b>") == "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;")
        let table = PrintableHTML.table(caption: "a<b", header: ["x&y"], rows: [[.init("<script>", className: "c\"d", badge: "新<增")]])
        #expect(!table.contains("<script>") && table.contains("&lt;script&gt;"))
        #expect(table.contains("class=\"c&quot;d\"") && table.contains("新&lt;增") && table.contains("x&amp;y"))
    }

    @Test func aLongNeedCellShowsFiveAndCountsTheRest() {
        let links = (1...7).map { SupplyList.NeedLink(id: "N0\($0)", title: "需求\($0)", score: 0.5) }
        #expect(SupplyList.neededBy(links) == ["N01 需求1", "N02 需求2", "N03 需求3", "N04 需求4", "N05 需求5", "……另 2 项"])
        #expect(SupplyList.neededBy(Array(links.prefix(5))).count == 5)
        #expect(SupplyList.neededBy([]) == ["—"])
    }

    @Test func thePageIsSelfContainedChineseAndPrintable() throws {
        let html = try SupplyFixture.list(.equip).html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("\"WenQuanYi Micro Hei\""))
        #expect(html.contains("@media print"))
        #expect(html.contains("<title>科技创新供给清单 · 智能装备</title>"))
        #expect(!html.contains("<link") && !html.contains("<script") && !html.contains("src="))
    }

    /// A list whose texts carry markup and entities, to see them arrive as text in the DOM.
    static func hostileList() throws -> SupplyList {
        var achievements = SupplyFixture.achievements
        achievements[0].title = "六轴工业机器人<b>视觉</b>引导抓取 & 上下料"
        achievements[0].institution = "青岛\"科技\"大学"
        var configuration = EngineConfiguration()
        configuration.useBackground = false
        configuration.minimumDocumentFrequency = 1
        let model = try MatchModel.build(achievements: achievements, needs: SupplyFixture.needs, resources: SupplyFixture.resources,
                                         configuration: configuration, threads: 1)
        return try SupplyFixture.list(.equip, model: model)
    }

    @Test(.enabled(if: Chromium.path != nil, "chromium is not installed; scripts/setup.sh installs it"))
    func headlessChromiumRendersTheListWithChineseText() throws {
        let list = try Self.hostileList()
        let directory = SupplyFixture.artifacts
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("supply-equip.html")
        let screenshot = directory.appendingPathComponent("supply-equip.png")
        try? FileManager.default.removeItem(at: screenshot)
        try list.export(.html).write(to: page)

        let dom = try Chromium.run(["--dump-dom", page.absoluteString])
        #expect(dom.status == 0)
        #expect(dom.output.contains("<title>科技创新供给清单 · 智能装备</title>"))
        #expect(dom.output.contains("产业需求清单"))
        #expect(dom.output.contains("六轴工业机器人&lt;b&gt;视觉&lt;/b&gt;引导抓取 &amp; 上下料"))
        #expect(!dom.output.contains("<b>视觉</b>"))
        // One body row per achievement and per need, the new ones marked.
        let bodies = dom.output.components(separatedBy: "<tbody>").dropFirst().map { $0.components(separatedBy: "</tbody>")[0] }
        #expect(bodies.count == 2)
        #expect(bodies[0].components(separatedBy: "<tr").count - 1 == list.entries.count)
        #expect(bodies[1].components(separatedBy: "<tr").count - 1 == list.needs.count)
        #expect(bodies[0].components(separatedBy: "<tr class=\"new\">").count - 1 == list.newCount)
        #expect(bodies[0].contains("<span class=\"badge\">新增</span>"))
        #expect(bodies[0].contains("高端数控机床") && bodies[1].contains("机床加工精度随温度漂移"))

        let shot = try Chromium.run(["--screenshot=\(screenshot.path)", "--window-size=1280,1600", page.absoluteString])
        #expect(shot.status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int ?? 0
        #expect(size > 50_000, "screenshot is \(size) bytes")
        let png = try Data(contentsOf: screenshot)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}
