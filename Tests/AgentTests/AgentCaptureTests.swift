import Agent
import ConnectorAPI
import Foundation
import SiteNetwork
import Testing
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Root with site apply's tools, tcpdump, and dpkt to read the capture back.
let captureLabAvailable = siteApplyAvailable && ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    && (try? Command.run("python3", ["-c", "import dpkt"])) != nil

/// A real packet capture in a lab: a capture request with a filter reaches the agent of the site's connector
/// through mock-api, the agent runs tcpdump on the site's WAN link, and the pcap file the API then serves holds
/// the probes the filter matches and none of those it excludes (read back with dpkt). Root only, torn down even
/// on failure.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: captureLabAvailable, "needs root, dnsmasq, busybox, tcpdump and dpkt (scripts/install-deps)"))
struct AgentCaptureTests {
    static let gateway = "203.0.113.1"

    @Test("a capture of udp to the gateway's port 5001 holds the matching probes and no other port's, no ICMP")
    func captureOnTheWAN() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        let site = try await mock.call("POST", "/sites", ["name": "capture-\(UUID().uuidString.prefix(8))", "connector_id": connector])
        let siteID = try #require((site as? [String: Any])?["id"] as? String)
        try await mock.call("POST", "/sites/\(siteID)/wans", [
            "physport": 1, "name": "isp", "static_addressing": ["address": "203.0.113.2/24", "gateway_address": Self.gateway],
        ])
        try await mock.call("POST", "/sites/\(siteID)/lans", mock.lanBody(physport: 2, third: 1, name: "office"))
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("vct-agent-pcap-\(UUID().uuidString.prefix(8))").path
        let names = SiteNames(key: SiteNames.key(for: siteID), stateRoot: stateRoot)
        defer {
            _ = try? SiteReconciler(stateRoot: stateRoot).teardown(names)
            try? FileManager.default.removeItem(atPath: stateRoot)
        }
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        configuration.snapshotInterval = 1
        configuration.siteApply = true
        configuration.siteStateRoot = stateRoot
        let agent = try Agent(configuration: configuration, logger: quietLogger)
        let running = launch(agent)
        #expect(try await eventually(within: 60) { try await mock.events(connector: connector).map(\.kind) == ["Init", "Reconcile"] })
        let config = try #require(agent.reconciledConfig)
        // The upstream router that holds the gateway address, so probes leave the WAN link for real.
        _ = try await offPool { try Lab(reconciler: SiteReconciler(stateRoot: stateRoot)).up(config, hostsPerLAN: 0) }

        let pcaps = "/accounts/\(LoopbackMock.account)/pcaps"
        let created = try await request("POST", pcaps, mock, json: [
            "system": "magic-transit", "type": "simple", "time_limit": 8, "packet_limit": 100,
            "filter_v1": ["destination_address": Self.gateway, "destination_port": 5001, "protocol": 17],
        ])
        let id = try #require((try JSONSerialization.jsonObject(with: created) as? [String: Any]).flatMap { ($0["result"] as? [String: Any])?["id"] as? String })
        // Claimed, and tcpdump listening (its file is open) before the probes go.
        #expect(try await eventually(within: 20) { (try await mock.call("GET", "/connectors/\(connector)/pcaps") as? [Any])?.isEmpty == true })
        #expect(await eventually(within: 10) { Self.tcpdumpRunning() })
        try await Task.sleep(for: .milliseconds(700))

        let probes = """
            import socket, subprocess
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for i in range(5):
                s.sendto(b"match-%d" % i, ("\(Self.gateway)", 5001))
                s.sendto(b"other-%d" % i, ("\(Self.gateway)", 5002))
            subprocess.run(["busybox", "ping", "-c", "2", "\(Self.gateway)"], stdout=subprocess.DEVNULL)
            """
        _ = try await offPool { try Command.run(in: names.connector, "python3", ["-c", probes]) }

        var status = ""
        #expect(try await eventually(within: 30) {
            let capture = try JSONSerialization.jsonObject(with: try await request("GET", "\(pcaps)/\(id)", mock)) as? [String: Any]
            status = (capture?["result"] as? [String: Any])?["status"] as? String ?? ""
            return status == "success" || status == "failed"
        })
        #expect(status == "success")
        let file = try await request("GET", "\(pcaps)/\(id)/download", mock)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vct-capture-\(UUID().uuidString).pcap").path
        try file.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let summary = try await offPool { try Command.run("python3", [Self.summarizer, path]) }
        let packets = summary.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let payloads = packets.compactMap { $0["payload"] as? String }
        #expect(Set(payloads) == Set((0..<5).map { "match-\($0)" }), "every matching probe and nothing else: \(summary)")
        #expect(packets.allSatisfy { $0["proto"] as? Int == 17 && $0["dst"] as? String == Self.gateway && $0["dport"] as? Int == 5001 }, "\(summary)")
        agent.stop()
        await running.value
        #expect(!Self.tcpdumpRunning(), "no tcpdump left")
    }

    static let summarizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/pcap/summarize.py").path

    /// Whether a tcpdump writing an agent capture file runs.
    static func tcpdumpRunning() -> Bool {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return pids.contains { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains("tcpdump") && line.contains("/captures/capture-")
        }
    }

    /// The body of one request outside /magic (captures are account-level), with the write token.
    private func request(_ method: String, _ path: String, _ mock: LoopbackMock, json: Any? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: mock.base + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(LoopbackMock.token)", forHTTPHeaderField: "Authorization")
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await LoopbackMock.session.data(for: request)
        try #require((response as? HTTPURLResponse)?.statusCode == 200, "\(method) \(path): \(String(decoding: data, as: UTF8.self))")
        return data
    }
}
