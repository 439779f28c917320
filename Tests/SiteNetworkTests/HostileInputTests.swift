import ConnectorAPI
import Foundation
import SiteSamples
import TestSupport
import Testing

@testable import SiteNetwork

/// Every string field of a site config, fed every hostile string: validation refuses what could break out of a
/// line (control characters, separators, 100k strings) and names the field; what it accepts (quotes, `#`, `=`,
/// `$()`...) is data, and every file rendered from the config (dnsmasq configs, udhcpc scripts, the nft
/// ruleset) still has exactly the lines and directives of a harmless config. Messages stay printable.
@Suite struct HostileInputTests {
    /// A string field: where it is in the document, and how to set it on `SiteSamples.branch()`.
    struct Field: Sendable, CustomTestStringConvertible {
        let path: String
        let set: @Sendable (inout SiteConfig, String) -> Void
        var testDescription: String { path }
    }

    static let fields: [Field] = [
        Field(path: "site.id") { $0.site.id = $1 },
        Field(path: "site.name") { $0.site.name = $1 },
        Field(path: "site.description") { $0.site.description = $1 },
        Field(path: "site.connector_id") { $0.site.connectorId = $1 },
        Field(path: "site.location.lat") { $0.site.location?.lat = $1 },
        Field(path: "wans[0].id") { $0.wans[0].id = $1 },
        Field(path: "wans[0].name") { $0.wans[0].name = $1 },
        Field(path: "wans[0].site_id") { $0.wans[0].siteId = $1 },
        Field(path: "wans[0].health_check_rate") { $0.wans[0].healthCheckRate = $1 },
        Field(path: "wans[0].static_addressing.address") { $0.wans[0].staticAddressing?.address = Parsed($1) },
        Field(path: "wans[0].static_addressing.gateway_address") { $0.wans[0].staticAddressing?.gatewayAddress = Parsed($1) },
        Field(path: "lans[0].id") { $0.lans[0].id = $1 },
        Field(path: "lans[0].name") { $0.lans[0].name = $1 },
        Field(path: "lans[0].site_id") { $0.lans[0].siteId = $1 },
        Field(path: "lans[0].nat.static_prefix") { $0.lans[0].nat = NAT(staticPrefix: Parsed($1)) },
        Field(path: "lans[0].routed_subnets[0].prefix") { $0.lans[0].routedSubnets?[0].prefix = Parsed($1) },
        Field(path: "lans[0].routed_subnets[0].next_hop") { $0.lans[0].routedSubnets?[0].nextHop = Parsed($1) },
        Field(path: "lans[0].static_addressing.address") { $0.lans[0].staticAddressing?.address = Parsed($1) },
        Field(path: "lans[0].static_addressing.virtual_address") { $0.lans[0].staticAddressing?.virtualAddress = Parsed($1) },
        Field(path: "lans[0].static_addressing.dhcp_server.dhcp_pool_start") { $0.lans[0].staticAddressing?.dhcpServer?.dhcpPoolStart = Parsed($1) },
        Field(path: "lans[0].static_addressing.dhcp_server.dns_server") { $0.lans[0].staticAddressing?.dhcpServer?.dnsServer = Parsed($1) },
        Field(path: "lans[0].static_addressing.dhcp_server.dns_servers[0]") { $0.lans[0].staticAddressing?.dhcpServer?.dnsServers = [Parsed($1)] },
        Field(path: "lans[0].static_addressing.dhcp_server.reservations") { $0.lans[0].staticAddressing?.dhcpServer?.reservations = [$1: "192.168.10.10"] },
        Field(path: "lans[0].static_addressing.dhcp_server.reservations") { $0.lans[0].staticAddressing?.dhcpServer?.reservations = ["02:00:00:00:10:0a": Parsed($1)] },
        Field(path: "lans[1].static_addressing.dhcp_relay.server_addresses[0]") { $0.lans[1].staticAddressing?.dhcpRelay = DHCPRelay(serverAddresses: [Parsed($1)]) },
        Field(path: "acls[0].id") { $0.acls[0].id = $1 },
        Field(path: "acls[0].name") { $0.acls[0].name = $1 },
        Field(path: "acls[0].description") { $0.acls[0].description = $1 },
        Field(path: "acls[0].protocols[0]") { $0.acls[0].protocols = [$1] },
        Field(path: "acls[0].lan_1.lan_name") { $0.acls[0].lan1?.lanName = $1 },
        Field(path: "acls[0].lan_2.lan_id") { $0.acls[0].lan2?.lanId = $1 },
        Field(path: "acls[0].lan_2.port_ranges[0]") { $0.acls[0].lan2?.portRanges = [$1] },
        Field(path: "acls[0].lan_2.subnets[0]") { $0.acls[0].lan2?.subnets = [Parsed($1)] },
    ]

    static let names = SiteNames(key: "0badf00d", stateRoot: "/run/vconnector-test")

    /// Options a dnsmasq config of ours may hold; anything else in one is an injected directive.
    static let dnsmasqOptions: Set<String> = [
        "interface", "bind-interfaces", "except-interface", "port", "user", "pid-file", "log-facility", "dhcp-leasefile",
        "dhcp-authoritative", "dhcp-range", "dhcp-option", "dhcp-host", "dhcp-relay",
    ]

    @Test(arguments: fields)
    func everyHostileStringIsRefusedOrStaysData(_ field: Field) throws {
        let baseline = try Planner.desiredState(for: SiteSamples.branch(), names: Self.names, leases: [:])
        for (label, value) in HostileStrings.corpus {
            var config = SiteSamples.branch()
            field.set(&config, value)
            let problems = SiteValidator.validate(config)
            for problem in problems {
                #expect(problem.description.unicodeScalars.allSatisfy(TextRules.isPrintable), "\(field.path), \(label): \(problem)")
                #expect(problem.description.count < 1000, "\(field.path), \(label): a message must stay short")
            }
            let breaksALine = value.isEmpty || value.unicodeScalars.count > TextRules.maximumNameLength
                || !value.unicodeScalars.allSatisfy(TextRules.isPrintable)
            if breaksALine {
                #expect(problems.contains { $0.path.hasPrefix(field.path) }, "\(field.path), \(label): must be refused at the field")
            }
            guard problems.isEmpty else { continue }
            // Accepted: the rendered files have the baseline's shape, with the value only as data.
            let desired = try Planner.desiredState(for: config, names: Self.names, leases: [:])
            for daemon in desired.daemons {
                let lines = try #require(daemon.config).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                let twin = try #require(baseline.daemons.first { $0.name == daemon.name }?.config)
                #expect(lines.count == twin.split(separator: "\n", omittingEmptySubsequences: false).count - 1, "\(field.path), \(label)")
                if daemon.name.hasPrefix("dnsmasq-") {
                    #expect(lines.first?.hasPrefix("# ") == true)
                    for line in lines.dropFirst() {
                        let option = String(line.prefix { $0 != "=" })
                        #expect(Self.dnsmasqOptions.contains(option), "\(field.path), \(label): injected line '\(line)'")
                    }
                }
            }
            let ruleLines = desired.ruleset.split(separator: "\n")
            #expect(ruleLines.count == baseline.ruleset.split(separator: "\n").count, "\(field.path), \(label): ruleset lines")
            for line in ruleLines {
                #expect(line.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 }, "\(field.path), \(label): '\(line)'")
                let quotes = line.filter { $0 == "\"" }.count
                #expect(quotes % 2 == 0, "\(field.path), \(label): unbalanced quotes in '\(line)'")
            }
        }
        #expect(!HostileStrings.markerExists)
    }

    @Test func theReportedLANNameIsRefusedAndNeverReachesDnsmasq() throws {
        var config = SiteSamples.branch()
        config.lans[0].name = HostileStrings.dnsmasqScript
        let problems = SiteValidator.validate(config)
        #expect(problems.first?.path == "lans[0].name")
        #expect(problems.first?.message == "contains a newline (U+000A); names are printable text on one line")
        // Even unvalidated, the renderer keeps the name inside its comment line.
        let file = try Dnsmasq.config(lan: config.lans[0], link: "port3", base: "/run/vconnector/sites/0badf00d/dnsmasq-port3")
        #expect(!file.contains("\ndhcp-script"))
        #expect(file.hasPrefix(#"# vconnector: LAN office\u{a}dhcp-script="#))
    }

    @Test(arguments: HostileStrings.corpus.map(\.value))
    func configValuesRefuseEverythingButSafeCharacters(_ value: String) {
        var file = DnsmasqConfig(comment: value)
        file.add("interface", [value])
        let safe = !value.isEmpty && value.utf8.count <= 1024 && value.unicodeScalars.allSatisfy(ConfigText.isSafeValueCharacter)
        if safe {
            #expect((try? file.render()) != nil)
        } else {
            #expect(throws: UnsafeConfigValue.self) { try file.render() }
        }
        // The comment alone never adds a line.
        let commentOnly = DnsmasqConfig(comment: value)
        #expect((try? commentOnly.render())?.split(separator: "\n").count == 1)
    }

    @Test(arguments: HostileStrings.corpus.map(\.value).filter { !$0.contains("\u{0}") })
    func shellQuotingKeepsEveryWordIntact(_ word: String) throws {
        // `printf %s 'WORD'` through a real shell prints WORD back: nothing expanded, nothing split, nothing run.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf %s " + ConfigText.shellQuoted(word)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == word)
        #expect(!HostileStrings.markerExists)
    }

    @Test(arguments: HostileStrings.corpus.map(\.value))
    func hostileNamesInExplainAndFaultQuestionsAreClearPrintableErrors(_ value: String) {
        let config = SiteSamples.branch()
        func message(_ body: () throws -> Void) -> String? {
            do { try body() } catch { return "\(error)" }
            return nil
        }
        let errors = [
            message { _ = try SiteExplainer(config).explain(from: value, to: "lab", probe: Probe(.icmp)) },
            message { _ = try SiteExplainer(config).explain(from: "office", to: value, probe: Probe(.icmp)) },
            message { _ = try LabFault.wan(value, in: config) },
            message { _ = try LabFault(kind: value, target: "isp-a") },
        ]
        #expect(errors[2] != nil && errors[3] != nil, "no WAN and no fault is named '\(value)'")
        for error in errors.compactMap({ $0 }) {
            #expect(error.unicodeScalars.allSatisfy(TextRules.isPrintable), "'\(error)'")
            #expect(error.count < 600)
        }
    }

    @Test func aStateRootWithUnsafeCharactersFailsTheRenderNotTheHost() {
        let names = SiteNames(key: "0badf00d", stateRoot: "/tmp/x\ndhcp-script=/tmp/y")
        #expect(throws: UnsafeConfigValue.self) { try Planner.desiredState(for: SiteSamples.branch(), names: names, leases: [:]) }
    }

    @Test func anACLThatDoesNotParseAllowsNothing() {
        var config = SiteSamples.branch()
        config.acls[0].lan2?.subnets = ["not-a-subnet"]
        let ruleset = Ruleset.render(config, names: Self.names).text
        #expect(!ruleset.contains("accept comment \"acl"), "no allow rule when a side does not parse")
        #expect(ruleset.contains("LAN to LAN without an ACL"))
        config.acls[0].lan2?.subnets = nil
        config.acls[0].protocols = ["tcp", "gre"]
        #expect(!Ruleset.render(config, names: Self.names).text.contains("accept comment \"acl"))
    }

    @Test func nftCommentsAreShortAndQuotedSafely() {
        #expect(Ruleset.sanitize(String(repeating: "x", count: 300)).count == 64)
        #expect(Ruleset.sanitize("a\" accept; \\ b\n") == "a_ accept_ _ b_")
        #expect(Ruleset.sanitize("café") == "caf_")
    }
}
