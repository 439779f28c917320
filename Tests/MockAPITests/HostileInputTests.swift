import ConnectorAPI
import Foundation
import Hummingbird
import Testing

/// The trust boundary: every string field of connectors, sites, LANs, WANs, ACLs and app configs gets the
/// hostile corpus through the real routes. Names refuse what could start a new line or directive in a file the
/// agent writes (or hide text on a terminal) and keep odd but printable text verbatim; ids, addresses, ports
/// and enums refuse everything in the corpus; free-text data (`notes`) is stored verbatim and never breaks JSON.
@Suite("Hostile input")
struct HostileInputTests {
    /// Strings no name may hold: control, format and separator characters, NUL, escape sequences, 100k characters.
    static let unprintable: [String] = [
        "office\ndhcp-script=/tmp/x.sh\n#", "carriage\rreturn", "tab\there", "nul\u{0}byte", "clear\u{1B}[2Jscreen",
        "bidi\u{202E}gnp.exe", "zero\u{200B}width", "line\u{2028}separator", "bell\u{7}",
        String(repeating: "x", count: 100_000),
    ]
    /// Printable text that is harmless as data: a name may hold it, an id or address never.
    static let printableOdd: [String] = [
        "#comment", "key=value", #""double" 'single'"#, "$(reboot)", "`id`", "../../etc/passwd", #"a/b\c"#,
        "p\u{0430}ypal", "名前", "semi;colon & pipe |", String(repeating: "y", count: 256),
    ]

    /// Where a value goes in a body.
    enum Step {
        case key(String)
        case index(Int)
    }

    /// How a field treats the corpus.
    enum Kind {
        /// `unprintable` refused, `printableOdd` stored verbatim.
        case name
        /// Every corpus string refused (ids, addresses, ports, enums, dates).
        case strict
        /// Every corpus string stored verbatim.
        case data
    }

    /// What every answer must be: an envelope with a boolean `success`.
    struct EnvelopeHead: Decodable { let success: Bool }

    struct Field {
        let resource: String
        let field: String
        let base: [String: Any]
        let steps: [Step]
        let kind: Kind
    }

    static func path(_ text: String) -> [Step] {
        var steps: [Step] = []
        for part in text.split(separator: ".") {
            if let bracket = part.firstIndex(of: "[") {
                steps.append(.key(String(part[..<bracket])))
                steps.append(.index(Int(part[part.index(after: bracket)..<part.index(before: part.endIndex)])!))
            } else {
                steps.append(.key(String(part)))
            }
        }
        return steps
    }

    static func setting(_ value: Any, at steps: ArraySlice<Step>, in container: Any?) -> Any {
        guard let step = steps.first else { return value }
        switch step {
        case .key(let key):
            var object = container as? [String: Any] ?? [:]
            object[key] = setting(value, at: steps.dropFirst(), in: object[key])
            return object
        case .index(let index):
            var array = container as? [Any] ?? []
            while array.count <= index { array.append(NSNull()) }
            array[index] = setting(value, at: steps.dropFirst(), in: array[index])
            return array
        }
    }

    static func value(at steps: ArraySlice<Step>, in container: JSONValue?) -> JSONValue? {
        guard let step = steps.first else { return container }
        switch (step, container) {
        case (.key(let key), .object(let object)?): return value(at: steps.dropFirst(), in: object[key])
        case (.index(let index), .array(let array)?) where index < array.count:
            return value(at: steps.dropFirst(), in: array[index])
        default: return nil
        }
    }

    /// Every string field a create body may carry, with a valid body around it.
    static func fields(lan1: String, lan2: String) -> [Field] {
        let addressing: [String: Any] = [
            "address": "10.0.1.1/24", "dhcp_server": ["dhcp_pool_start": "10.0.1.100", "dhcp_pool_end": "10.0.1.200"],
        ]
        let lan: [String: Any] = ["physport": 5, "static_addressing": addressing]
        let relayLAN: [String: Any] = [
            "physport": 5,
            "static_addressing": ["address": "10.0.1.1/24", "dhcp_relay": ["server_addresses": ["10.9.9.9"]]],
        ]
        let acl: [String: Any] = ["name": "acl", "lan_1": ["lan_id": lan1], "lan_2": ["lan_id": lan2]]
        let wanStatic: [String: Any] = [
            "physport": 1, "static_addressing": ["address": "192.0.2.2/24", "gateway_address": "192.0.2.1"],
        ]
        let connector: [String: Any] = ["device": ["provision_license": true]]
        var fields: [Field] = []
        func add(_ resource: String, _ field: String, _ base: [String: Any], _ kind: Kind) {
            fields.append(Field(resource: resource, field: field, base: base, steps: path(field), kind: kind))
        }
        add("connectors", "device.id", [:], .strict)
        add("connectors", "device.serial_number", [:], .name)
        add("connectors", "notes", connector, .data)
        add("connectors", "timezone", connector, .strict)
        add("connectors", "interrupt_window_days_of_week[0]", connector, .strict)
        add("connectors", "interrupt_window_embargo_dates[0]", connector, .strict)
        add("sites", "name", [:], .name)
        add("sites", "description", ["name": "described"], .name)
        add("sites", "connector_id", ["name": "with-connector"], .strict)
        add("sites", "secondary_connector_id", ["name": "ha", "ha_mode": true], .strict)
        add("sites", "location.lat", ["name": "located"], .strict)
        add("sites", "location.lon", ["name": "located"], .strict)
        add("lans", "name", lan, .name)
        for field in [
            "address", "secondary_address", "virtual_address", "dhcp_server.dhcp_pool_start",
            "dhcp_server.dhcp_pool_end",
            "dhcp_server.dns_server", "dhcp_server.dns_servers[0]",
        ] {
            add("lans", "static_addressing.\(field)", lan, .strict)
        }
        add("lans", "static_addressing.dhcp_relay.server_addresses[0]", relayLAN, .strict)
        add("lans", "static_addressing.dhcp_server.reservations.aa:bb:cc:dd:ee:ff", lan, .strict)
        add("lans", "nat.static_prefix", lan, .strict)
        for field in ["prefix", "next_hop", "nat.static_prefix"] {
            var base = lan
            base["routed_subnets"] = [["prefix": "192.168.50.0/24", "next_hop": "10.0.1.254"]]
            add("lans", "routed_subnets[0].\(field)", base, .strict)
        }
        add("wans", "name", ["physport": 1], .name)
        add("wans", "health_check_rate", ["physport": 1], .strict)
        for field in ["address", "gateway_address", "secondary_address"] {
            add("wans", "static_addressing.\(field)", wanStatic, .strict)
        }
        add("acls", "name", acl, .name)
        add("acls", "description", acl, .name)
        add("acls", "lan_1.lan_id", acl, .strict)
        add("acls", "lan_2.lan_id", acl, .strict)
        add("acls", "lan_1.port_ranges[0]", acl, .strict)
        add("acls", "lan_2.subnets[0]", acl, .strict)
        add("acls", "protocols[0]", acl, .strict)
        add("app_configs", "account_app_id", [:], .strict)
        add("app_configs", "managed_app_id", [:], .strict)
        add("app_configs", "preferred_wans[0]", ["managed_app_id": "zoom", "breakout": true], .strict)
        return fields
    }

    @Test(
        "every string field of every create body: hostile strings are refused naming the field, odd names kept verbatim"
    )
    func corpusThroughEveryField() async throws {
        // A method of its own, not the closure: the Swift 6.3 compiler crashes checking this loop inside it.
        try await withRouter { api in try await Self.corpusThroughEveryFieldBody(api) }
    }

    static func corpusThroughEveryFieldBody(_ api: RouterClient) async throws {
        let site = try await api.createSite(SiteTests.Body(name: "hostile"))
        let lan1 = try await api.createLAN(site: site, lan(physport: 2, third: 1, name: "users"))
        let lan2 = try await api.createLAN(site: site, lan(physport: 3, third: 2, name: "servers"))
        _ = try await api.createWAN(site: site)
        var vlan = 100
        var checked = 0
        for field in Self.fields(lan1: lan1, lan2: lan2) {
            let collection =
                field.resource == "connectors" || field.resource == "sites"
                ? "\(Paths.account)/\(field.resource)" : "\(Paths.site(site))/\(field.resource)"
            for value in Self.unprintable + Self.printableOdd {
                var base = field.base
                // Resources must not clash with each other when a value is accepted.
                vlan += 1
                if field.resource == "lans" || field.resource == "wans" { base["vlan_tag"] = vlan }
                if field.resource == "acls" || field.resource == "sites", field.field != "name" {
                    base["name"] = "n\(vlan)"
                }
                if field.resource == "connectors", field.field != "device.id", field.field != "device.serial_number" {
                    base["device"] = ["id": "device-\(vlan)"]
                }
                // The value goes anywhere in an untyped body: built as a JSON object, the answer read typed.
                let body = Self.setting(value, at: field.steps[...], in: base)
                let response = try await api.send(.post, collection, raw: try jsonData(body))
                let refused = field.kind == .strict || (field.kind == .name && Self.unprintable.contains(value))
                let label = "\(field.resource) \(field.field) = \(value.debugDescription.prefix(60))"
                let envelope = try? JSONDecoder().decode(Envelope<String>.self, from: Data(buffer: response.body))
                let message = envelope?.errors.first?.message ?? ""
                #expect(
                    (try? JSONDecoder().decode(EnvelopeHead.self, from: Data(buffer: response.body))) != nil,
                    "\(label): the answer is not a JSON envelope: \(response.text.prefix(200))"
                )
                if refused {
                    let mention =
                        field.field.hasPrefix("static_addressing.dhcp_server.reservations")
                        ? "reservations" : field.field
                    expectFailure(response, status: .unprocessableContent, code: Code.invalidValue, mentions: mention)
                    #expect(
                        !message.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" },
                        "\(label): the message repeats control characters")
                    #expect(message.count < 1000, "\(label): the message repeats the whole value")
                } else {
                    #expect(response.status == .ok, "\(label): \(response.status) \(response.text.prefix(300))")
                    let result = try api.resultValue(response)
                    let created: JSONValue? = if case .array(let items)? = result { items.first } else { result }
                    guard case .object(let object)? = created, case .string(let id)? = object["id"] else {
                        Issue.record("\(label): no id in \(response.text.prefix(300))")
                        continue
                    }
                    let fetched = try api.resultValue(try await api.send(.get, "\(collection)/\(id)"))
                    #expect(
                        Self.value(at: field.steps[...], in: fetched) == .string(value), "\(label): not stored verbatim"
                    )
                }
                checked += 1
            }
        }
        #expect(checked > 500)
        // A reservation's key (the MAC) is checked as well as its value.
        for mac in Self.unprintable + Self.printableOdd {
            var body = lan(physport: 9, third: 1)
            body.staticAddressing?.dhcpServer?.reservations = [mac: "10.0.1.50"]
            expectFailure(
                try await api.send(.post, "\(Paths.site(site))/lans", body: body), status: .unprocessableContent,
                code: Code.invalidValue,
                mentions: "reservations"
            )
        }
        // A client-supplied lan_name is never stored: the mock fills in the LAN's own name.
        let named = ACL(
            lan1: ACLConfiguration(lanId: lan1, lanName: "x\ny"), lan2: ACLConfiguration(lanId: lan2), name: "named")
        let acl = try await api.send(.post, "\(Paths.site(site))/acls", body: named)
        #expect(try api.decode(ACL.self, acl).result?.lan1?.lanName == "users")
    }

    @Test("the dnsmasq injection of issue 13 is refused on create, PUT and PATCH, and nothing is stored")
    func lanNameInjection() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let hostile = "office\ndhcp-script=/tmp/x.sh\n#"
            expectFailure(
                try await api.send(.post, "\(Paths.site(site))/lans", body: lan(name: hostile)),
                status: .unprocessableContent, code: Code.invalidValue,
                mentions: "name"
            )
            let id = try await api.createLAN(site: site, lan(name: "office"))
            expectFailure(
                try await api.send(.patch, "\(Paths.site(site))/lans/\(id)", body: LAN(name: hostile)),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "name"
            )
            expectFailure(
                try await api.send(.put, "\(Paths.site(site))/lans/\(id)", body: lan(name: hostile)),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "name"
            )
            let lans = try await api.get([LAN].self, "\(Paths.site(site))/lans").result
            #expect(lans?.count == 1 && lans?.first?.name == "office")
            // Site and WAN updates too.
            expectFailure(
                try await api.send(.patch, Paths.site(site), body: SiteTests.Body(name: "a\u{202E}b")),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "name"
            )
            expectFailure(
                try await api.send(.patch, Paths.site(site), body: SiteTests.Body(description: "a\nb")),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "description"
            )
            let wan = try await api.createWAN(site: site)
            expectFailure(
                try await api.send(.patch, "\(Paths.site(site))/wans/\(wan)", body: WAN(name: "w\u{0}")),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "name"
            )
        }
    }

    @Test("port ranges and coordinates take plain digits only: '+80-90', '0x1p3', 'nan' are refused")
    func numbersWrittenAsText() async throws {
        try await withRouter { api in
            let site = try await api.createSite()
            let lan1 = try await api.createLAN(site: site, lan(physport: 2, third: 1))
            let lan2 = try await api.createLAN(site: site, lan(physport: 3, third: 2))
            for range in ["+80-90", "80-+90", " 80-90", "80-90 ", "080000-90", "٨٠-٩٠"] {
                let body = ACL(
                    lan1: ACLConfiguration(lanId: lan1, portRanges: [range]), lan2: ACLConfiguration(lanId: lan2),
                    name: "acl")
                expectFailure(
                    try await api.send(.post, "\(Paths.site(site))/acls", body: body), status: .unprocessableContent,
                    code: Code.invalidValue,
                    mentions: "lan_1.port_ranges[0]"
                )
            }
            let ok = ACL(
                lan1: ACLConfiguration(lanId: lan1, portRanges: ["8000-8100"]), lan2: ACLConfiguration(lanId: lan2),
                name: "acl")
            #expect(try await api.send(.post, "\(Paths.site(site))/acls", body: ok).status == .ok)
            for lat in ["nan", "inf", "0x1p3", "1e1", "", "-", "1.2.3", " 5"] {
                let body = SiteTests.Body(name: "s-\(lat)", location: SiteLocation(lat: lat, lon: "0"))
                expectFailure(
                    try await api.send(.post, Paths.sites, body: body), status: .unprocessableContent,
                    code: Code.invalidValue, mentions: "location.lat")
            }
            for (lat, lon) in [("-33.86", "151.2"), ("90", "-180"), ("+1.5", ".5"), ("0", "0.")] {
                let body = SiteTests.Body(name: "ok \(lat) \(lon)", location: SiteLocation(lat: lat, lon: lon))
                #expect(try await api.send(.post, Paths.sites, body: body).status == .ok, "\(lat), \(lon)")
            }
        }
    }

    @Test(
        "catalog-sync names and descriptions, tunnel and upgrade strings are refused when they hold control characters")
    func otherWritableStrings() async throws {
        try await withRouter { api in
            for name in ["a\nb", "bidi\u{202E}x", "nul\u{0}"] {
                expectMCNFailure(
                    try await api.send(
                        .post, CatalogPaths.syncs(),
                        body: CatalogSyncRequest(destinationType: "NONE", name: name, updateMode: "MANUAL")),
                    status: .unprocessableContent, code: Code.invalidValue, pointer: "/name"
                )
            }
            let escape = CatalogSyncRequest(
                destinationType: "NONE", name: "ok", updateMode: "MANUAL", description: "a\u{1B}[2J")
            expectMCNFailure(
                try await api.send(.post, CatalogPaths.syncs(), body: escape), status: .unprocessableContent,
                code: Code.invalidValue, pointer: "/description"
            )
            let odd = CatalogSyncRequest(
                destinationType: "NONE", name: "Ok $(x) #1", updateMode: "MANUAL", description: "a = b")
            #expect(try await api.send(.post, CatalogPaths.syncs(), body: odd).status == .created)

            let connector = try await api.createConnector(
                ConnectorFields(device: ConnectorDeviceOptions(id: "tunnel-device"))
            ).id
            let tunnel = "\(Paths.connector(connector))/cloudflared_tunnel"
            let id = "8f1a3c2e-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
            func ingress(_ hostname: String?, _ service: String) -> [CloudflaredIngressRule] {
                [CloudflaredIngressRule(hostname: hostname, service: service)]
            }
            expectFailure(
                try await api.send(.put, tunnel, body: CloudflaredTunnelConfig(tunnelId: id, token: "abc\ndef")),
                status: .unprocessableContent, code: Code.invalidValue,
                mentions: "token"
            )
            expectFailure(
                try await api.send(
                    .put, tunnel,
                    body: CloudflaredTunnelConfig(
                        tunnelId: id, token: "abc", ingress: ingress("a.example\n  service: x", "http://10.0.1.10:80"))),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "ingress[0].hostname"
            )
            expectFailure(
                try await api.send(
                    .put, tunnel,
                    body: CloudflaredTunnelConfig(
                        tunnelId: id, token: "abc", ingress: ingress(nil, "http://10.0.1.10:80\n- x"))),
                status: .unprocessableContent, code: Code.invalidValue, mentions: "ingress[0].service"
            )
            let good = CloudflaredTunnelConfig(
                tunnelId: id, token: "eyJhIjoi", ingress: ingress("app.example.com", "http://10.0.1.10:8080"))
            #expect(try await api.send(.put, tunnel, body: good).status == .ok)
            let upgrade = "\(Paths.connector(connector))/upgrade"
            let sha = String(repeating: "a", count: 64)
            expectFailure(
                try await api.send(
                    .put, upgrade, body: UpgradeOffer(version: "1.2.3", url: "http://x.example/b\nin", sha256: sha)),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "url"
            )
            expectFailure(
                try await api.send(
                    .put, upgrade, body: UpgradeOffer(version: "1.2.3", url: "http://x.example/a b", sha256: sha)),
                status: .unprocessableContent,
                code: Code.invalidValue, mentions: "url"
            )
            #expect(
                try await api.send(
                    .put, upgrade, body: UpgradeOffer(version: "1.2.3", url: "http://x.example/bundle", sha256: sha)
                ).status == .ok)
        }
    }
}
