import Agent
import ConnectorAPI
import Foundation
import TestSupport
import Testing

/// `--metrics-listen`: a snapshot as Prometheus metrics, read back by prometheus_client's parser and compared with
/// the snapshot it came from; the bounded listener.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AgentMetricsTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/golden/linux-6.json")

    static func goldenSnapshot() throws -> Snapshot {
        try JSONDecoder().decode(Snapshot.self, from: Data(contentsOf: golden))
    }

    static func agentState(observations: AgentObservations) -> SnapshotMetrics.Agent {
        var statistics = AgentStatistics()
        statistics.counters.transmitFailures = 7
        statistics.recorded = 42
        statistics.delivered = 40
        return SnapshotMetrics.Agent(statistics: statistics, observations: observations, spoolDepth: 2, version: "2026.11.0")
    }

    @Test("every node_exporter-named and vconnector_ metric equals the snapshot's value, as Prometheus parses it",
          .enabled(if: PrometheusParser.python != nil, "\(PrometheusParser.unavailableReason)"))
    func snapshotValues() throws {
        var snapshot = try Self.goldenSnapshot()
        snapshot.t = 1_795_500_000.5
        var tunnel = Snapshot.Tunnel(healthState: "degraded", healthValue: 1, interfaceName: "ipsec0", tunnelId: "t1")
        tunnel.probedMtu = 1420
        snapshot.tunnels = [tunnel]
        snapshot.haState = "active"
        var observations = AgentObservations()
        observations.latestSnapshot = snapshot
        observations.lastCheckinSeconds = 0.125
        observations.checkins = 5
        observations.checkinFailures = 1
        observations.lastApplyOperations = 3
        let text = String(decoding: SnapshotMetrics.exposition(snapshot: snapshot, agent: Self.agentState(observations: observations)), as: UTF8.self)
        let samples = try PrometheusParser.parse(text)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? { PrometheusParser.value(samples, name, labels) }

        #expect(value("node_cpu_seconds_total", ["cpu": "all", "mode": "user"]) == Double(try #require(snapshot.cpuTimeUserMs)) / 1000)
        #expect(value("node_cpu_seconds_total", ["cpu": "all", "mode": "idle"]) == Double(try #require(snapshot.cpuTimeIdleMs)) / 1000)
        #expect(value("node_memory_MemAvailable_bytes") == Double(try #require(snapshot.memoryAvailableBytes)))
        #expect(value("node_memory_MemTotal_bytes") == Double(try #require(snapshot.memoryTotalBytes)))
        #expect(value("node_load1") == snapshot.loadAverage1m)
        #expect(value("node_context_switches_total") == Double(try #require(snapshot.kernelCtxt)))
        #expect(value("node_pressure_io_stalled_seconds_total") == Double(try #require(snapshot.ioPressureFullTotalUs)) / 1e6)
        #expect(value("vconnector_pressure_average_percent", ["resource": "cpu", "kind": "some", "window": "10"]) == snapshot.cpuPressure10s)
        let netdevs = try #require(snapshot.netdevs)
        #expect(!netdevs.isEmpty)
        for netdev in netdevs {
            #expect(value("node_network_receive_bytes_total", ["device": netdev.name]) == Double(netdev.recvBytes), "\(netdev.name)")
            #expect(value("node_network_transmit_packets_total", ["device": netdev.name]) == Double(netdev.sentPackets), "\(netdev.name)")
        }
        #expect(samples.filter { $0.name == "node_network_receive_bytes_total" }.count == Set(netdevs.map(\.name)).count)
        for disk in snapshot.disks ?? [] {
            #expect(value("node_disk_read_bytes_total", ["device": disk.name]) == Double(disk.sectorsRead * 512))
            #expect(value("node_disk_io_time_seconds_total", ["device": disk.name]) == Double(disk.timeInProgressMs) / 1000)
        }
        for interface in snapshot.interfaces ?? [] {
            #expect(value("node_network_up", ["device": interface.name]) == (interface.operstate == "up" ? 1 : 0))
        }
        #expect(value("vconnector_tunnel_healthy", ["tunnel_id": "t1", "interface": "ipsec0"]) == 0)
        #expect(value("vconnector_tunnel_probed_mtu_bytes", ["tunnel_id": "t1", "interface": "ipsec0"]) == 1420)
        #expect(value("vconnector_ha_state", ["state": "active"]) == 1)
        #expect(value("vconnector_snapshot_timestamp_seconds") == snapshot.t)
        // The agent's own, from its live statistics (newer than the snapshot's copy of the counters).
        #expect(value("vconnector_transmit_failures_total") == 7)
        #expect(value("vconnector_spool_depth") == 2)
        #expect(value("vconnector_records_delivered_total") == 40)
        #expect(value("vconnector_checkin_duration_seconds") == 0.125)
        #expect(value("vconnector_checkin_failures_total") == 1)
        #expect(value("vconnector_last_apply_operations") == 3)
        #expect(value("vconnector_build_info", ["version": "2026.11.0"]) == 1)
        // Counters are typed counters, gauges gauges: what rate() and friends rely on.
        #expect(samples.first { $0.name == "node_network_receive_bytes_total" }?.type == "counter")
        #expect(samples.first { $0.name == "node_memory_MemAvailable_bytes" }?.type == "gauge")
    }

    @Test("hostile interface names and lease hostnames stay label values: the text parses and they read back unchanged",
          .enabled(if: PrometheusParser.python != nil, "\(PrometheusParser.unavailableReason)"))
    func hostileLabels() throws {
        var snapshot = try Self.goldenSnapshot()
        let corpus = HostileStrings.corpus.map(\.value).filter { !$0.contains("\u{0}") && $0.count < 1000 }
        let template = try #require(snapshot.netdevs?.first)
        snapshot.netdevs = corpus.enumerated().map { index, name in
            var netdev = template
            netdev.name = "\(index)\(name)"
            netdev.recvBytes = UInt64(index * 1000 + 7)
            return netdev
        }
        snapshot.tunnels = [Snapshot.Tunnel(healthState: "healthy", healthValue: 0, interfaceName: "x\n# HELP fake\nfake 1", tunnelId: "a\"b\\c")]
        let text = String(decoding: SnapshotMetrics.exposition(snapshot: snapshot, agent: nil), as: UTF8.self)
        let samples = try PrometheusParser.parse(text)
        for (index, name) in corpus.enumerated() {
            #expect(PrometheusParser.value(samples, "node_network_receive_bytes_total", ["device": "\(index)\(name)"]) == Double(index * 1000 + 7), "\(name.debugDescription)")
        }
        #expect(PrometheusParser.value(samples, "vconnector_tunnel_healthy", ["tunnel_id": "a\"b\\c", "interface": "x\n# HELP fake\nfake 1"]) == 1)
        #expect(!samples.contains { $0.name == "fake" }, "a label value became a line of its own")
    }

    @Test("the listener serves GET /metrics, refuses other paths, methods and oversized heads, and survives garbage")
    func listener() async throws {
        let listener = try MetricsListener(address: "127.0.0.1:0") { Array("vconnector_up 1\n".utf8) }
        defer { listener.close() }
        #expect(listener.port > 0)
        let ok = try await Self.exchange(port: listener.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(ok.hasPrefix("HTTP/1.1 200 OK"), "\(ok)")
        #expect(ok.contains("text/plain; version=0.0.4"))
        #expect(ok.hasSuffix("vconnector_up 1\n"))
        #expect(try await Self.exchange(port: listener.port, "GET /other HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404"))
        #expect(try await Self.exchange(port: listener.port, "POST /metrics HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 405"))
        #expect(try await Self.exchange(port: listener.port, "\u{0}\u{1}garbage\r\n\r\n").hasPrefix("HTTP/1.1 400"))
        let huge = "GET /metrics HTTP/1.1\r\nX: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
        #expect(try await Self.exchange(port: listener.port, huge).hasPrefix("HTTP/1.1 431"))
        // Still serving after all that.
        #expect(try await Self.exchange(port: listener.port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n").hasPrefix("HTTP/1.1 200"))
    }

    @Test("--metrics-listen refuses what is not a numeric address and port, with the value named",
          arguments: ["localhost:9100", "9100", "127.0.0.1:", "127.0.0.1:abc", "$(touch x):1", "../..:1", "[::1]:99999999"])
    func badAddresses(address: String) {
        #expect(throws: MetricsListener.ListenError.self) { _ = try MetricsListener(address: address) { [] } }
    }

    /// Sends `request` on a new connection and reads until the server closes it (off the cooperative pool).
    static func exchange(port: Int, _ request: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    defer { close(fd) }
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(UInt16(port).bigEndian)
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    let connected = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
                    let bytes = Array(request.utf8)
                    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    var response: [UInt8] = []
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while true {
                        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                        if count <= 0 { break }
                        response += buffer[0..<count]
                    }
                    return String(decoding: response, as: UTF8.self)
                })
            }.start()
        }
    }
}

/// A running agent's --metrics-listen against a real mock-api: what a scrape shows is the snapshot the mock stored.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: PrometheusParser.python != nil, "\(PrometheusParser.unavailableReason)"))
struct AgentMetricsEndToEndTests {
    @Test("a scrape of a running agent equals the snapshot the mock received, plus check-ins and the spool")
    func scrapeRunningAgent() async throws {
        let mock = try await LoopbackMock.start()
        defer { mock.remove() }
        let connector = try await mock.createConnector()
        var configuration = testConfiguration(mock: mock, connector: connector, stateDirectory: temporaryStateDirectory())
        // One snapshot in the test's time, so the scrape and the stored one are the same.
        configuration.snapshotInterval = 600
        let golden = try AgentMetricsTests.goldenSnapshot()
        let agent = try Agent(configuration: configuration, logger: quietLogger, snapshotSource: { counters in
            var snapshot = golden
            snapshot.countTransmitFailures = counters.transmitFailures
            return snapshot
        })
        let listener = try MetricsListener(address: "127.0.0.1:0") { agent.metricsExposition() }
        let running = launch(agent)
        #expect(try await eventually { try await mock.snapshots(connector: connector).count == 1 && agent.observations.checkins >= 1 })
        let response = try await AgentMetricsTests.exchange(port: listener.port, "GET /metrics HTTP/1.1\r\nHost: agent\r\n\r\n")
        agent.stop()
        await running.value
        listener.close()

        let body = try #require(response.components(separatedBy: "\r\n\r\n").dropFirst().first)
        let samples = try PrometheusParser.parse(body)
        let stored = try #require(try await mock.latestSnapshots(connector: connector, limit: 1).first)
        // JSONSerialization on Linux may be an ulp off in `t`.
        let t = try #require((stored["t"] as? NSNumber)?.doubleValue)
        #expect(abs((PrometheusParser.value(samples, "vconnector_snapshot_timestamp_seconds") ?? 0) - t) < 1e-6)
        let netdevs = try #require(stored["netdevs"] as? [[String: Any]])
        for netdev in netdevs {
            let name = try #require(netdev["name"] as? String)
            #expect(PrometheusParser.value(samples, "node_network_receive_bytes_total", ["device": name]) == (netdev["recv_bytes"] as? NSNumber)?.doubleValue)
        }
        #expect(PrometheusParser.value(samples, "node_memory_MemAvailable_bytes") == (stored["memory_available_bytes"] as? NSNumber)?.doubleValue)
        #expect((PrometheusParser.value(samples, "vconnector_checkins_total") ?? 0) >= 1)
        #expect(PrometheusParser.value(samples, "vconnector_checkin_duration_seconds").map { $0 > 0 && $0 < 5 } == true)
        #expect(PrometheusParser.value(samples, "vconnector_spool_depth") != nil)
        await mock.stop()
    }
}
