// swift-tools-version:6.2
import PackageDescription

// One module per concern (see README.md, "Layout"). Dependencies are kept deliberate: each one is
// justified in README.md, "Why each dependency". Every module a target imports is declared here, and
// `scripts/test` builds with the explicit target dependency import check.

// No `platforms`: vconnector runs on Linux only (libnl, libnftables, network namespaces, /proc); the list
// names Apple platforms only, and a macOS line there would claim a build that cannot link.
let package = Package(
    name: "vconnector",
    products: [
        .executable(name: "vconnector", targets: ["vconnector"]),
        // The deployable agent alone: `vconnector agent` without mock-api, Hummingbird and NIO linked in.
        .executable(name: "vconnector-agent", targets: ["vconnector-agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // Hummingbird's own dependencies, declared because MockAPI imports them (NIOCore's ByteBuffer,
        // ServiceLifecycle's ServiceGroup); the versions are those Hummingbird 2.28 resolves.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        // Prometheus exposition (mock-api /metrics, the agent's --metrics-listen) without hand-writing the format.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // YAML scenarios for `fleet --scenario` (libyaml underneath: strict, duplicate keys refused).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // mock-api on PostgreSQL (`--db postgres://...`), so several replicas serve one fleet: see README.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Wire types shared by every other module: snapshot, events, connectors, sites, the v4 envelope.
        .target(name: "ConnectorAPI"),

        // libnl-3 / libnl-route-3 through pkg-config, plus static-inline shims for macros and casts.
        .systemLibrary(
            name: "CNetlink",
            pkgConfig: "libnl-route-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]
        ),
        // libnftables (Debian libnftables-dev): rulesets applied and read in-process, in a thread's namespace.
        .systemLibrary(
            name: "CNftables",
            pkgConfig: "libnftables",
            providers: [.apt(["libnftables-dev"])]
        ),
        // libcurl's easy API for the agent's https, loaded with dlopen on first use (not linked): see ccurl.h.
        .target(name: "CCurl"),
        // glibc calls Swift's Glibc module does not declare: close-from in posix_spawn, the malloc arena cap.
        .target(name: "CGlibcExtras"),
        // The one way blocking work leaves the cooperative pool (reused dispatch threads), with its cancel flag.
        .target(name: "Blocking"),
        // A thin, typed Swift API over libnl and libnftables: links, addresses, routes, statistics,
        // nft rulesets, namespace-bound sockets.
        .target(name: "Netlink", dependencies: ["CNetlink", "CNftables"]),

        // Pure parsers per kernel file, readers rooted at a configurable /proc and /sys, the collector.
        .target(
            name: "Telemetry",
            dependencies: [
                "ConnectorAPI", "Netlink",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The local stand-in for the Cloudflare v4 Magic API.
        .target(
            name: "MockAPI",
            dependencies: [
                "ConnectorAPI", "SiteRules", "Blocking",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),

        // Every rule of a site's config, once: the whole document for `site validate` and the agent, one object at a
        // time for mock-api; every problem with its path and a stable code.
        .target(name: "SiteRules", dependencies: ["ConnectorAPI"]),

        // A site's config made real in network namespaces: validation, plan, observe, diff, apply, verify,
        // dnsmasq/udhcpc/nft supervision, the capability probe, teardown, and the lab around a site.
        .target(
            name: "SiteNetwork",
            dependencies: [
                "ConnectorAPI", "SiteRules", "Netlink", "CGlibcExtras",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The device: lifecycle, sequencing, durable spool, transmitter, check-in, identity (attestation, key
        // and PKI rotation), upgrades inside the interrupt window.
        .target(
            name: "Agent",
            dependencies: [
                "ConnectorAPI", "Telemetry", "SiteNetwork", "Blocking", "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // Many virtual connectors in one process (`vconnector fleet`): host profiles from real trees, a seeded
        // model of each connector's telemetry, scenarios, sinks (the API through the agent's client, NDJSON,
        // stdout) and the checker of a recorded fleet's invariants.
        .target(
            name: "Fleet",
            dependencies: [
                "Agent", "Blocking", "CGlibcExtras", "ConnectorAPI", "SiteNetwork", "Telemetry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The agent's command line (flags, help, logging, signals), shared by `vconnector agent` and
        // `vconnector-agent`; it must never depend on MockAPI (that would link the server into the agent binary).
        .target(
            name: "AgentCommandLine",
            dependencies: [
                "Agent", "CGlibcExtras",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The benchmarks behind `vconnector bench`, kept out of the product modules: the load generator, the
        // measurements of other processes, one statistics helper. They reach what they time in the product
        // modules through `package` access.
        .target(
            name: "Benchmarks",
            dependencies: [
                "Agent", "Blocking", "ConnectorAPI", "Fleet", "MockAPI", "Netlink", "SiteNetwork", "Telemetry",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The CLI and nothing else.
        .executableTarget(
            name: "vconnector",
            dependencies: [
                "ConnectorAPI", "Telemetry", "Netlink", "MockAPI", "Agent", "AgentCommandLine", "SiteNetwork", "SiteRules", "Benchmarks",
                "Fleet", "CGlibcExtras",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The agent-only binary: `vconnector agent` as a command of its own.
        .executableTarget(
            name: "vconnector-agent",
            dependencies: [
                "AgentCommandLine", "ConnectorAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Test helpers shared by the test targets (namespaces made and removed by tests).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The site configs the rule and site tests start from (SiteSamples.branch, .haSite) and the fixture paths.
        .target(name: "SiteSamples", dependencies: ["ConnectorAPI", "SiteRules"], path: "Tests/SiteSamples"),

        .testTarget(name: "ConnectorAPITests", dependencies: ["ConnectorAPI"]),
        .testTarget(name: "SiteRulesTests", dependencies: ["SiteRules", "ConnectorAPI", "SiteSamples"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks"]),
        // Runs the built binaries as a user would.
        .testTarget(name: "CLITests", dependencies: ["vconnector", "vconnector-agent"]),
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "TestSupport"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", "ConnectorAPI", "Netlink", "TestSupport"]),
        .testTarget(
            name: "SiteNetworkTests", dependencies: ["SiteNetwork", "SiteRules", "ConnectorAPI", "Netlink", "TestSupport", "SiteSamples"]
        ),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "Agent", "MockAPI", "ConnectorAPI", "SiteNetwork", "Netlink", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "FleetTests",
            dependencies: [
                "Fleet", "Agent", "Benchmarks", "ConnectorAPI", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MockAPITests",
            dependencies: [
                "MockAPI", "ConnectorAPI", "SiteRules", "SiteNetwork", "TestSupport", "Benchmarks", "Telemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
    ]
)

// Every target of ours builds with warnings as errors, new ones included; dependencies' warnings stay warnings
// (the setting is per target). The C targets are the two without Swift sources.
for target in package.targets where target.type != .system {
    if ["CCurl", "CGlibcExtras"].contains(target.name) {
        target.cSettings = (target.cSettings ?? []) + [.treatAllWarnings(as: .error)]
    } else {
        target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
    }
}
