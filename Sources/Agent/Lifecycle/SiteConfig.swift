import ConnectorAPI

/// The device-side check of a fetched site config.
extension SiteConfig {
    /// What makes this config impossible to apply on a connector; empty when it validates. The minimal
    /// device-side check until SiteNetwork's validation exists: ports, VLANs, no port+VLAN used twice,
    /// ACLs naming LANs of this site.
    public func problems() -> [String] {
        var problems: [String] = []
        var used: [String: String] = [:]
        func port(_ physport: Int?, _ vlan: Int?, _ owner: String) {
            guard let physport, physport >= 1 else { problems.append("\(owner): physport must be 1 or more"); return }
            let tag = vlan ?? 0
            guard (0...4094).contains(tag) else { problems.append("\(owner): vlan_tag \(tag) is outside 0-4094"); return }
            let key = "\(physport).\(tag)"
            if let other = used[key] { problems.append("\(owner): physport \(physport) vlan \(tag) is already used by \(other)") }
            used[key] = owner
        }
        for lan in lans { port(lan.physport, lan.vlanTag, "LAN \(lan.name ?? lan.id ?? "?")") }
        for wan in wans { port(wan.physport, wan.vlanTag, "WAN \(wan.name ?? wan.id ?? "?")") }
        let lanIDs = Set(lans.compactMap(\.id))
        for acl in acls {
            for side in [acl.lan1, acl.lan2] {
                if let id = side?.lanId, !lanIDs.contains(id) { problems.append("ACL \(acl.name ?? acl.id ?? "?"): LAN \(id) is not a LAN of this site") }
            }
        }
        return problems
    }
}
