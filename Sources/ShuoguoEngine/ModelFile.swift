import Foundation

/// The container of a saved model: a fixed header and named sections.
///
///     offset 0   8 bytes   magic "SHUOGUO" + 0x1A
///            8   UInt32    format version (little-endian)
///           12   UInt32    CRC-32 of every byte from offset 24 to the end
///           16   UInt64    number of bytes from offset 24 to the end
///           24   sections: UInt32 name length, name (UTF-8), UInt64 length, bytes
///
/// Numeric arrays are stored little-endian. Files are written to a temporary file in the
/// same directory and renamed into place, so a reader never sees a half-written model.
struct ModelFile {
    static let magic: [UInt8] = Array("SHUOGUO".utf8) + [0x1A]
    static let formatVersion: UInt32 = 1
    static let headerSize = 24

    private(set) var sections: [(name: String, bytes: Data)] = []

    mutating func add(_ name: String, _ bytes: Data) { sections.append((name, bytes)) }
    mutating func add(_ name: String, string: String) { add(name, Data(string.utf8)) }
    mutating func add<T: FixedWidthInteger>(_ name: String, integers: [T]) {
        add(name, integers.map(\.littleEndian).withUnsafeBytes { Data($0) })
    }
    mutating func add(_ name: String, floats: [Float]) {
        add(name, integers: floats.map(\.bitPattern))
    }

    /// The file's bytes.
    func encoded() -> Data {
        var body = Data()
        for (name, bytes) in sections {
            let nameBytes = Data(name.utf8)
            append(UInt32(nameBytes.count), to: &body)
            body.append(nameBytes)
            append(UInt64(bytes.count), to: &body)
            body.append(bytes)
        }
        var file = Data(Self.magic)
        append(Self.formatVersion, to: &file)
        append(body.withUnsafeBytes { CRC32.checksum($0) }, to: &file)
        append(UInt64(body.count), to: &file)
        file.append(body)
        return file
    }

    /// Writes atomically: temporary file beside the target, then rename.
    func write(to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try encoded().write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw EngineError.invalidInput("cannot move the model into place at \(url.path): \(String(cString: strerror(code)))")
        }
    }

    /// Parses and verifies a file's bytes; every failure names what is wrong.
    static func decode(_ data: Data, file: String) throws(EngineError) -> ModelFile {
        guard data.count >= headerSize else { throw .invalidModel("\(file): truncated (\(data.count) bytes, header needs \(headerSize))") }
        guard Array(data.prefix(8)) == magic else { throw .invalidModel("\(file): not a shuoguo model (bad magic bytes)") }
        let version: UInt32 = integer(data, at: 8)
        guard version == formatVersion else {
            throw .invalidModel("\(file): format version \(version), this build reads version \(formatVersion); rebuild it with `shuoguo index`")
        }
        let expectedCRC: UInt32 = integer(data, at: 12)
        let length: UInt64 = integer(data, at: 16)
        guard UInt64(data.count - headerSize) == length else {
            throw .invalidModel("\(file): truncated or extended: header says \(length) bytes of content, found \(data.count - headerSize)")
        }
        let body = data.subdata(in: (data.startIndex + headerSize)..<data.endIndex)
        let actualCRC = body.withUnsafeBytes { CRC32.checksum($0) }
        guard actualCRC == expectedCRC else {
            throw .invalidModel("\(file): checksum mismatch (stored \(hex(expectedCRC)), computed \(hex(actualCRC))): the file is corrupted")
        }
        var model = ModelFile()
        var offset = 0
        while offset < body.count {
            guard offset + 4 <= body.count else { throw .invalidModel("\(file): section header cut at byte \(offset + headerSize)") }
            let nameLength = Int(integer(body, at: offset) as UInt32)
            offset += 4
            guard offset + nameLength + 8 <= body.count else { throw .invalidModel("\(file): section name cut at byte \(offset + headerSize)") }
            let name = String(decoding: body.subdata(in: offset..<(offset + nameLength)), as: UTF8.self)
            offset += nameLength
            let size = integer(body, at: offset) as UInt64
            offset += 8
            guard size <= UInt64(body.count - offset) else { throw .invalidModel("\(file): section '\(name)' overruns the file") }
            model.add(name, body.subdata(in: offset..<(offset + Int(size))))
            offset += Int(size)
        }
        return model
    }

    func section(_ name: String, file: String) throws(EngineError) -> Data {
        guard let found = sections.first(where: { $0.name == name }) else { throw .invalidModel("\(file): missing section '\(name)'") }
        return found.bytes
    }

    func integers<T: FixedWidthInteger>(_ name: String, file: String, as type: T.Type = T.self) throws(EngineError) -> [T] {
        let bytes = try section(name, file: file)
        guard bytes.count % MemoryLayout<T>.size == 0 else { throw .invalidModel("\(file): section '\(name)' has a partial value") }
        var values = [T](repeating: 0, count: bytes.count / MemoryLayout<T>.size)
        _ = values.withUnsafeMutableBytes { bytes.copyBytes(to: $0) }
        return values.map { T(littleEndian: $0) }
    }

    func floats(_ name: String, file: String) throws(EngineError) -> [Float] {
        try integers(name, file: file, as: UInt32.self).map(Float.init(bitPattern:))
    }

    func string(_ name: String, file: String) throws(EngineError) -> String {
        let bytes = try section(name, file: file)
        guard let text = String(data: bytes, encoding: .utf8) else { throw .invalidModel("\(file): section '\(name)' is not UTF-8") }
        return text
    }

    private func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func integer<T: FixedWidthInteger>(_ data: Data, at offset: Int) -> T {
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { target in
            data.copyBytes(to: target, from: (data.startIndex + offset)..<(data.startIndex + offset + MemoryLayout<T>.size))
        }
        return T(littleEndian: value)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
