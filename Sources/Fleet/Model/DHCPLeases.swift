import ConnectorAPI

/// The site's DHCP server as a model: a population of LAN clients that come and go with the daily rhythm. A
/// client present renews at half its lease; one that left stops renewing, and its lease is dropped once expired
/// (as dnsmasq rewrites its lease file). Each keeps its address while its lease lives, and gets the same one back
/// if it is free when it returns. Addresses and MACs are unique; every listed lease expires after `t`.
struct DHCPLeases: Sendable {
    private struct Client: Sendable {
        var mac: String
        var hostname: String
        var address: Int
        var present = false
        var expiry: Int64?
    }

    private var clients: [Client]
    private let interface: String?
    private let prefix: String
    private let leaseSeconds: Int64

    init(shape: ConnectorShape, random: inout SeededGenerator) {
        interface = shape.lanInterface
        prefix = shape.lanPrefix
        leaseSeconds = random.pick([3600, 3600, 43_200])
        let names = ["laptop", "phone", "printer", "camera", "desk", "pos", "tablet", "tv", "ap"]
        clients = (0..<shape.dhcpClients).map { index in
            let mac = (0..<5).map { _ in String(random.next() % 256, radix: 16).leftPadded(to: 2) }.joined(
                separator: ":")
            return Client(mac: "02:" + mac, hostname: "\(random.pick(names))-\(index + 1)", address: 100 + index)
        }
    }

    /// Clients arrive and leave at rates that make about `0.15 + 0.8 x level` of them present.
    mutating func step(at t: Double, seconds: Double, level: Double, _ random: inout SeededGenerator) {
        let now = Int64(t)
        let wanted = 0.15 + 0.8 * level
        // Each client redecides about every half hour.
        let change = min(1, seconds / 1800)
        for index in clients.indices {
            if random.unit() < change { clients[index].present = random.unit() < wanted }
            if let expiry = clients[index].expiry, expiry <= now { clients[index].expiry = nil }
            guard clients[index].present else { continue }
            if let expiry = clients[index].expiry {
                if expiry - now <= leaseSeconds / 2 { clients[index].expiry = now + leaseSeconds }
            } else {
                clients[index].expiry = now + leaseSeconds
            }
        }
    }

    func fill(_ snapshot: inout Snapshot) {
        guard let interface else { return }
        snapshot.dhcpLeases = clients.compactMap { client in
            client.expiry.map { expiry in
                Snapshot.DHCPLease(
                    clientId: "01:" + client.mac, expiryTime: expiry, hostname: client.hostname,
                    interfaceName: interface,
                    ipAddress: prefix + "\(client.address)", macAddress: client.mac
                )
            }
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
