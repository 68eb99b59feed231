import Foundation

/// A table written as CSV that Excel and WPS open cleanly on a Chinese desktop.
///
/// * UTF-8 with a byte-order mark (EF BB BF): without it Excel reads the file in the locale's
///   code page (GBK) and the Chinese turns to mojibake.
/// * RFC 4180: records end with CRLF; a field that contains a comma, a double quote, CR or LF
///   (or starts or ends with a space, which spreadsheets would trim) is enclosed in double
///   quotes, with each inner quote doubled.
/// * Formula-injection guard: a field that starts with `=`, `+`, `-`, `@`, TAB or CR would be
///   run as a formula by a spreadsheet (`=HYPERLINK(…)`, `-40℃…` parsed as an expression), so
///   it is prefixed with an apostrophe, which spreadsheets show as text. Numbers that the
///   exporter writes itself are never negative, so no number is turned into text.
///
/// - Complexity: O(total field length).
public struct CSVTable: Equatable, Sendable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) {
        precondition(!header.isEmpty, "a CSV table needs at least one column")
        self.header = header
    }

    /// Appends a record; it must have one field per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "row has \(row.count) fields, the header \(header.count)")
        rows.append(row)
    }

    /// The file's bytes: BOM, header record, data records, each ending in CRLF.
    public func encoded() -> Data {
        var text = ""
        for record in [header] + rows {
            text += record.map(Self.field).joined(separator: ",")
            text += "\r\n"
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)
    }

    /// One field as written: guarded against formula evaluation, then quoted when needed.
    public static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, formulaTriggers.contains(first) { value = "'" + value }
        let needsQuotes = value.unicodeScalars.contains { quoteTriggers.contains($0) }
            || value.first == " " || value.last == " "
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    private static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    private static let quoteTriggers: Set<Unicode.Scalar> = [",", "\"", "\r", "\n"]
}
