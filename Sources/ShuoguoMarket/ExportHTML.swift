/// Building blocks of a self-contained, printable HTML page in Chinese.
///
/// Everything that is text goes through ``escape(_:)``; only the markup these functions write
/// themselves is emitted raw. The page carries its CSS inline (no external file, font or
/// script), declares `lang="zh-CN"` and UTF-8, names a CJK font stack with WenQuanYi Micro Hei
/// for Linux (Debian's `fonts-wqy-microhei`) before the usual Windows and macOS fonts, and has an
/// `@media print` block: A4 landscape, table headers repeated on every page, rows not split.
public enum PrintableHTML {
    /// Escapes `& < > " '` so text is safe both in element content and in attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// One cell: escaped text lines (joined by `<br>`), an optional class, and an optional
    /// badge (a short label drawn as a tag, such as 新增).
    public struct Cell: Equatable, Sendable {
        public var lines: [String]
        public var className: String?
        public var badge: String?

        public init(_ text: String, className: String? = nil, badge: String? = nil) {
            self.init(lines: [text], className: className, badge: badge)
        }

        public init(lines: [String], className: String? = nil, badge: String? = nil) {
            self.lines = lines
            self.className = className
            self.badge = badge
        }

        var html: String {
            var inner = badge.map { "<span class=\"badge\">\(escape($0))</span>" } ?? ""
            inner += lines.map(escape).joined(separator: "<br>")
            return "<td" + (className.map { " class=\"\(escape($0))\"" } ?? "") + ">" + inner + "</td>"
        }
    }

    /// A table with a caption, a header row and body rows; `rowClasses` (same length as
    /// `rows`, or empty) class whole rows.
    public static func table(caption: String, header: [String], rows: [[Cell]], rowClasses: [String?] = [],
                             emptyMessage: String = "（无）") -> String {
        precondition(rowClasses.isEmpty || rowClasses.count == rows.count, "one row class per row")
        var html = "<table>\n<caption>\(escape(caption))</caption>\n<thead><tr>"
        html += header.map { "<th>\(escape($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        if rows.isEmpty {
            html += "<tr><td class=\"empty\" colspan=\"\(header.count)\">\(escape(emptyMessage))</td></tr>\n"
        }
        for (i, row) in rows.enumerated() {
            precondition(row.count == header.count, "row has \(row.count) cells, the header \(header.count)")
            let rowClass = rowClasses.isEmpty ? nil : rowClasses[i]
            html += "<tr" + (rowClass.map { " class=\"\(escape($0))\"" } ?? "") + ">" + row.map(\.html).joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// A whole page: `<h1>` title, a definition list of facts (label, value), free paragraphs,
    /// then the given sections (already HTML, e.g. from ``table(caption:header:rows:rowClasses:emptyMessage:)``).
    public static func page(title: String, facts: [(label: String, value: String)], notes: [String], sections: [String]) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            \(style)</style>
            </head>
            <body>
            <header>
            <h1>\(escape(title))</h1>
            <dl class="facts">

            """
        for fact in facts {
            html += "<div><dt>\(escape(fact.label))</dt><dd>\(escape(fact.value))</dd></div>\n"
        }
        html += "</dl>\n"
        for note in notes { html += "<p class=\"note\">\(escape(note))</p>\n" }
        html += "</header>\n<main>\n"
        html += sections.joined()
        return html + "</main>\n</body>\n</html>\n"
    }

    static let style = """
        :root { color-scheme: light; }
        body { font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
               font-size: 13px; line-height: 1.45; color: #1a1a1a; margin: 24px 28px; }
        h1 { font-size: 22px; margin: 0 0 8px; letter-spacing: 0.05em; border-bottom: 3px solid #8b1a1a; padding-bottom: 6px; }
        dl.facts { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 8px 0; }
        dl.facts div { display: flex; gap: 6px; }
        dt { color: #666; } dd { margin: 0; font-weight: bold; }
        p.note { color: #444; font-size: 11.5px; margin: 4px 0; }
        table { width: 100%; border-collapse: collapse; margin: 18px 0 8px; }
        caption { text-align: left; font-size: 16px; font-weight: bold; padding: 4px 0; color: #8b1a1a; }
        th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
        th { background: #efe7dc; white-space: nowrap; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.center { text-align: center; white-space: nowrap; }
        td.small { font-size: 11.5px; color: #333; }
        td.empty { text-align: center; color: #777; }
        tr.new td { background: #fff6e0; }
        .badge { display: inline-block; background: #c0392b; color: #fff; font-size: 11px; border-radius: 3px;
                 padding: 0 4px; margin-right: 4px; }
        @media print {
          @page { size: A4 landscape; margin: 12mm; }
          body { margin: 0; font-size: 10.5pt; }
          thead { display: table-header-group; }
          tr, td, th { page-break-inside: avoid; break-inside: avoid; }
          table { page-break-before: auto; }
          tr.new td, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """
}
