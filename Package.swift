// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "shuoguo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shuoguo", targets: ["shuoguo"]),
        .library(name: "ShuoguoEngine", targets: ["ShuoguoEngine"]),
        .library(name: "ShuoguoText", targets: ["ShuoguoText"]),
        .library(name: "ShuoguoVectors", targets: ["ShuoguoVectors"]),
        .library(name: "ShuoguoRanking", targets: ["ShuoguoRanking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - C boundary
        .systemLibrary(name: "CLinearAlgebra", path: "Sources/CLinearAlgebra"),

        // MARK: - Layers (dependencies point one way: data/text → vectors → ranking → engine → CLI)
        .target(name: "ShuoguoData"),
        .target(name: "ShuoguoText"),
        .target(name: "ShuoguoVectors", dependencies: ["CLinearAlgebra"]),
        .target(name: "ShuoguoRanking", dependencies: ["ShuoguoVectors"]),
        .target(name: "ShuoguoEngine", dependencies: ["ShuoguoData", "ShuoguoText", "ShuoguoVectors", "ShuoguoRanking"]),
        // Market services on top of the engine: pools of common needs, routing, supply lists, listing lint.
        .target(name: "ShuoguoMarket", dependencies: ["ShuoguoEngine", "ShuoguoData", "ShuoguoText", "ShuoguoVectors", "ShuoguoRanking"]),
        .executableTarget(name: "shuoguo", dependencies: [
            "ShuoguoEngine",
            "ShuoguoMarket",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: - Tests
        .testTarget(name: "ShuoguoDataTests", dependencies: ["ShuoguoData"]),
        .testTarget(name: "ShuoguoTextTests", dependencies: ["ShuoguoText"], exclude: ["Fixtures"]),
        .testTarget(name: "ShuoguoVectorsTests", dependencies: ["ShuoguoVectors"]),
        .testTarget(name: "ShuoguoRankingTests", dependencies: ["ShuoguoRanking"], exclude: ["Fixtures"]),
        .testTarget(name: "ShuoguoEngineTests", dependencies: ["ShuoguoEngine"], exclude: ["Fixtures"]),
        .testTarget(name: "ShuoguoMarketTests", dependencies: ["ShuoguoMarket"]),
        .testTarget(name: "ShuoguoCLITests", dependencies: ["shuoguo"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
