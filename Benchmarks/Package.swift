// swift-tools-version: 6.0
// The engine's speed benchmark, a package of its own so that the engine's package stays free
// of benchmark code. It builds the engine from the enclosing checkout (`..`).
//
//     swift build -c release --package-path Benchmarks
//     Benchmarks/.build/release/shuoguo-bench --help
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its directory, so the engine's package is known by the
/// name of the checkout that holds `Benchmarks/` (`main`, `shuoguo`, …).
let engine = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "shuoguo-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "shuoguo-bench",
            dependencies: [
                .product(name: "ShuoguoEngine", package: engine),
                .product(name: "ShuoguoText", package: engine),
                .product(name: "ShuoguoVectors", package: engine),
                .product(name: "ShuoguoRanking", package: engine),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
