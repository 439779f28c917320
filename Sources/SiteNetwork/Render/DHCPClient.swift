import ConnectorAPI
import Foundation

/// busybox udhcpc on a DHCP WAN (or a LAN without static addressing). Its script only records the lease
/// in a file; the reconciler applies it over netlink (address, and the WAN's default route), so a lease is
/// just another input of the desired state.
enum DHCPClient {
    static func daemon(link: String, names: SiteNames) throws(UnsafeConfigValue) -> DaemonSpec {
        let name = "udhcpc-\(link)"
        let base = "\(names.stateDirectory)/\(name)"
        return DaemonSpec(
            name: name, link: link,
            command: ["busybox", "udhcpc", "-i", link, "-f", "-R", "-t", "3", "-T", "1", "-A", "3",
                      "-p", "\(base).pid", "-s", "\(base).sh", "-x", "hostname:vconnector-\(names.key)"],
            configFile: "\(base).sh", config: try script(leaseFile: leaseFile(link: link, names: names)), pidFile: "\(base).pid",
            detached: true)
    }

    static func leaseFile(link: String, names: SiteNames) -> String { "\(names.stateDirectory)/udhcpc-\(link).lease" }

    /// The udhcpc script: on bound/renew write the lease atomically, on deconfig/leasefail remove it. What the
    /// DHCP server sent arrives in variables that are only ever expanded inside double quotes as printf
    /// arguments; the only text of ours in the script is the lease file's path, checked and single-quoted.
    static func script(leaseFile: String) throws(UnsafeConfigValue) -> String {
        let file = ConfigText.shellQuoted(try ConfigText.value(leaseFile, in: "a udhcpc script"))
        let temporary = ConfigText.shellQuoted(try ConfigText.value(leaseFile + ".tmp", in: "a udhcpc script"))
        return """
            #!/bin/sh
            # vconnector: udhcpc event script; records the lease for the reconciler, which applies it over netlink.
            case "$1" in
              bound|renew)
                printf 'ip=%s\\nmask=%s\\nrouter=%s\\ndns=%s\\nlease=%s\\nserverid=%s\\nobtained=%s\\n' \\
                  "$ip" "$mask" "${router%% *}" "$dns" "$lease" "$serverid" "$(date +%s)" > \(temporary) \\
                  && mv \(temporary) \(file) ;;
              deconfig|leasefail|nak)
                rm -f \(file) ;;
            esac
            exit 0

            """
    }
}

/// A lease udhcpc obtained, as its script recorded it.
public struct DHCPClientLease: Sendable, Equatable {
    public var address: String
    public var prefixLength: Int
    public var router: String?
    public var leaseSeconds: Int?
    public var obtained: Int?

    public var cidr: String { "\(address)/\(prefixLength)" }

    /// Parses the `key=value` lines the script writes; nil when the address or mask is missing.
    public init?(text: String) {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let ip = values["ip"], IPv4Address(ip) != nil, let maskText = values["mask"] else { return nil }
        let length: Int
        if let bits = Int(maskText), (0...32).contains(bits) {
            length = bits
        } else if let mask = IPv4Address(maskText) {
            length = mask.value.nonzeroBitCount
        } else {
            return nil
        }
        address = ip
        prefixLength = length
        router = values["router"].flatMap { IPv4Address($0) != nil ? $0 : nil }
        leaseSeconds = values["lease"].flatMap(Int.init)
        obtained = values["obtained"].flatMap(Int.init)
    }
}
