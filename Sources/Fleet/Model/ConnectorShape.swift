import ConnectorAPI
import Foundation

/// What one virtual connector is, fixed for its life: a host profile's shape at the connector's own size, its
/// NICs and their roles, its site's addresses, its daily rhythm and how busy it is.
struct ConnectorShape: Sendable {
    enum Role: Sendable { case loopback, wan, lan, idle }

    struct NIC: Sendable {
        var name: String
        var role: Role
        /// Bits per second, reported in `interfaces[].speed`; nil for virtual links.
        var speed: UInt64?
        var address: String?
    }

    let index: Int
    let profile: HostProfile
    let cpuCount: Int
    let memoryTotal: UInt64
    let rhythm: DailyRhythm
    /// Busy fraction of the CPUs at the daily low and at the peak.
    let quietLoad: Double
    let peakLoad: Double
    /// WAN bytes received per second at the peak.
    let peakWANBytesPerSecond: Double
    let nics: [NIC]
    /// The LAN its site serves DHCP on, its /24 prefix ("10.1.2.") and how many clients use it.
    let lanInterface: String?
    let lanPrefix: String
    let dhcpClients: Int
    /// The file system each mount shares its space with, by mount index.
    let fileSystemOfMount: [Int]
    /// Fraction of the CPUs stolen by a hypervisor (profiles whose template shows steal).
    let stealFraction: Double

    init(index: Int, profile: HostProfile, random: inout SeededGenerator) {
        self.index = index
        self.profile = profile
        let template = profile.template
        let templateCPUs = template.cpuCount ?? 2
        // Half keep the real host's size; the rest are a smaller or larger box of the same kind.
        let scale = random.unit() < 0.5 ? 1.0 : random.pick([0.5, 2, 4])
        cpuCount = max(1, Int((Double(templateCPUs) * scale).rounded()))
        memoryTotal = UInt64(Double(template.memoryTotalBytes ?? 4 << 30) * scale) / 4096 * 4096
        rhythm = DailyRhythm(utcOffsetHours: random.pick([-8, -5, -3, 0, 1, 2, 5.5, 8, 9, 10]))
        quietLoad = random.uniform(0.02...0.08)
        peakLoad = random.uniform(0.25...0.7)
        peakWANBytesPerSecond = random.uniform(2e5...5e7)
        stealFraction = (template.cpuTimeStealMs ?? 0) > 0 ? random.uniform(0.002...0.02) : 0

        let octets = (index / 256 % 256, index % 256)
        lanPrefix = "10.\(octets.0).\(octets.1)."
        var nics: [NIC] = []
        let netdevs = template.netdevs ?? []
        // The busiest link of the template is the WAN; any other that carried traffic is a LAN; one that never
        // did (ifb0, a down port) stays idle.
        let wanName = netdevs.filter { $0.name != "lo" }.max(by: { $0.recvBytes < $1.recvBytes })?.name
        for netdev in netdevs {
            let speed = template.interfaces?.first(where: { $0.name == netdev.name })?.speed
            if netdev.name == "lo" {
                nics.append(NIC(name: "lo", role: .loopback, speed: nil, address: "127.0.0.1/8"))
            } else if netdev.name == wanName {
                let wan = "100.\(64 + index / 65_536 % 64).\(octets.0).\(octets.1 == 0 ? 1 : octets.1)/10"
                nics.append(NIC(name: netdev.name, role: .wan, speed: speed ?? 1_000_000_000, address: wan))
            } else if netdev.recvBytes > 0 || netdev.sentBytes > 0 {
                nics.append(NIC(name: netdev.name, role: .lan, speed: speed ?? 1_000_000_000, address: nil))
            } else {
                nics.append(NIC(name: netdev.name, role: .idle, speed: nil, address: nil))
            }
        }
        // A host with one port serves its LAN on a VLAN of it, as a one-armed connector's site does.
        if let firstLAN = nics.firstIndex(where: { $0.role == .lan }) {
            nics[firstLAN].address = lanPrefix + "1/24"
            lanInterface = nics[firstLAN].name
        } else if let wanName {
            let vlan = "\(wanName).10"
            nics.append(NIC(name: vlan, role: .lan, speed: nil, address: lanPrefix + "1/24"))
            lanInterface = vlan
        } else {
            lanInterface = nil
        }
        self.nics = nics
        dhcpClients = lanInterface == nil ? 0 : Int(random.uniform(4...60))

        // Mounts of one device share its space; an overlay shares the space of the first mount of its size.
        let mounts = template.mounts ?? []
        fileSystemOfMount = mounts.indices.map { index in
            let mount = mounts[index]
            return mounts.firstIndex(where: { other in
                other.name == mount.name || (mount.fileSystem == "overlay" && other.totalBytes == mount.totalBytes)
            }) ?? index
        }
    }

    func nic(_ role: Role) -> NIC? { nics.first { $0.role == role } }
}
