import ConnectorAPI

/// /proc/net/dev, the links and /proc/net/snmp as a model of a router between its WAN and LANs: what the LANs
/// send goes out of the WAN and what the WAN receives goes to the LANs (forwarded, so counted in
/// ip_forw_datagrams), downloads outweigh uploads, packets are bytes over a plausible size per direction, and
/// errors are rare draws per packet, except when a link flaps.
struct NetworkModel: Sendable {
    private(set) var netdevs: [Snapshot.Netdev]
    /// Links that are down now (a flap), by name.
    private(set) var down: Set<String> = []
    let roles: [ConnectorShape.Role]
    private var snmp = SNMPCounters()

    init(shape: ConnectorShape) {
        netdevs = shape.nics.map { Self.zero($0.name) }
        roles = shape.nics.map(\.role)
    }

    mutating func reboot() {
        netdevs = netdevs.map { Self.zero($0.name) }
        snmp = SNMPCounters()
    }

    /// A link goes down: carrier and framing errors and drops jump as it does, as a NIC reports them.
    mutating func linkDown(_ name: String, _ random: inout SeededGenerator) {
        guard let index = netdevs.firstIndex(where: { $0.name == name }), !down.contains(name) else { return }
        down.insert(name)
        netdevs[index].sentCarrier += 1 + random.poisson(20)
        netdevs[index].recvErrs += 5 + random.poisson(100)
        netdevs[index].recvFrame += random.poisson(40)
        netdevs[index].recvDrop += random.poisson(60)
        netdevs[index].sentErrs += random.poisson(10)
        netdevs[index].sentDrop += random.poisson(30)
    }

    mutating func linkUp(_ name: String) { down.remove(name) }

    /// `seconds` of traffic at `level` (0...1 of the daily peak) with `wanPeak` bytes/s down at the peak.
    mutating func step(
        seconds: Double, level: Double, wanPeak: Double, busy: Double, congested: Bool, _ random: inout SeededGenerator
    ) {
        let wanUp = !roles.indices.contains { roles[$0] == .wan && down.contains(netdevs[$0].name) }
        let download = wanUp ? wanPeak * (0.05 + 0.95 * level) * seconds : 0
        let upload = download * random.uniform(0.15...0.35)
        let lanCount = Double(max(1, roles.filter { $0 == .lan }.count))
        var forwarded: UInt64 = 0, local: UInt64 = 0, sentLocal: UInt64 = 0
        for index in netdevs.indices {
            let (received, sent, receivedSize, sentSize): (Double, Double, Double, Double)
            switch roles[index] {
            case .wan: (received, sent, receivedSize, sentSize) = (download, upload, 1100, 420)
            case .lan: (received, sent, receivedSize, sentSize) = (upload / lanCount, download / lanCount, 420, 1100)
            case .loopback:
                let bytes = (2_000 + 30_000 * busy) * seconds
                (received, sent, receivedSize, sentSize) = (bytes, bytes, 240, 240)
            case .idle: continue
            }
            guard !down.contains(netdevs[index].name) else { continue }
            let receivedPackets = UInt64(received / receivedSize)
            let sentPackets = roles[index] == .loopback ? receivedPackets : UInt64(sent / sentSize)
            netdevs[index].recvBytes += UInt64(received)
            netdevs[index].sentBytes += roles[index] == .loopback ? UInt64(received) : UInt64(sent)
            netdevs[index].recvPackets += receivedPackets
            netdevs[index].sentPackets += sentPackets
            netdevs[index].recvMulticast += random.poisson(0.3 * seconds)
            // About one bad frame in ten million; a saturated CPU drops at the ring (softirq cannot keep up).
            netdevs[index].recvErrs += random.poisson(Double(receivedPackets) * 1e-7)
            netdevs[index].recvDrop += random.poisson(Double(receivedPackets) * (congested ? 2e-3 : 1e-6))
            netdevs[index].sentDrop += random.poisson(Double(sentPackets) * (congested ? 5e-4 : 1e-7))
            if roles[index] == .loopback {
                local += receivedPackets
                sentLocal += sentPackets
            } else {
                forwarded += receivedPackets
            }
        }
        snmp.step(
            forwarded: forwarded, local: local, sentLocal: sentLocal, seconds: seconds, busy: busy, random: &random)
    }

    func fill(_ snapshot: inout Snapshot, shape: ConnectorShape) {
        snapshot.netdevs = netdevs
        snapshot.interfaces = shape.nics.map { nic in
            // The loopback's operstate is "unknown" on Linux; a link that never carried traffic is down.
            let state =
                nic.role == .loopback ? "unknown" : (nic.role == .idle || down.contains(nic.name) ? "down" : "up")
            var link = Snapshot.Interface(name: nic.name, operstate: state)
            link.speed = down.contains(nic.name) ? nil : nic.speed
            link.ipAddresses = nic.address.map { [Snapshot.InterfaceAddress(interfaceName: nic.name, ipAddress: $0)] }
            return link
        }
        if let bonds = snapshot.bonds {
            snapshot.bonds = bonds.map { Snapshot.Bond(name: $0.name, status: down.contains($0.name) ? "down" : "up") }
        }
        snmp.fill(&snapshot)
    }

    private static func zero(_ name: String) -> Snapshot.Netdev {
        Snapshot.Netdev(
            name: name, recvBytes: 0, recvCompressed: 0, recvDrop: 0, recvErrs: 0, recvFifo: 0, recvFrame: 0,
            recvMulticast: 0,
            recvPackets: 0, sentBytes: 0, sentCarrier: 0, sentColls: 0, sentCompressed: 0, sentDrop: 0, sentErrs: 0,
            sentFifo: 0,
            sentPackets: 0
        )
    }
}
