import ConnectorAPI

// Rules of a WAN uplink: port, priority, health check rate, static addressing (and what an HA site requires).

extension SiteCheck {
    static let healthCheckRates = ["low", "mid", "high"]

    mutating func checkWAN(_ wan: WAN, base: String, owner: String) {
        identifier(wan.id, "\(base).id")
        identifier(wan.siteId, "\(base).site_id")
        checkName(wan.name, "\(base).name", owner: owner, kind: "WAN", seen: \.wanNames)
        if wan.physport == nil {
            add("\(base).physport", .required, "required: the port this WAN uplink is on (1 or more)")
        }
        checkPort(physport: wan.physport, vlanTag: wan.vlanTag, base: base, owner: owner)
        if let priority = wan.priority, priority < 0 {
            add("\(base).priority", .outOfRange, "\(priority) is negative; priority is 0 or more")
        }
        if let rate = wan.healthCheckRate, !Self.healthCheckRates.contains(rate) {
            add(
                "\(base).health_check_rate", .notOneOf,
                "'\(rate)' is not a health check rate (expected low, mid or high)")
        }
        if let addressing = wan.staticAddressing {
            checkWANAddressing(addressing, base: "\(base).static_addressing", owner: owner)
        }
    }

    private mutating func checkWANAddressing(_ addressing: WANStaticAddressing, base: String, owner: String) {
        if addressing.address == nil {
            add(
                "\(base).address", .required,
                "required with static_addressing: the WAN's address and prefix, e.g. 198.51.100.2/24")
        }
        if addressing.gatewayAddress == nil {
            add(
                "\(base).gateway_address", .required,
                "required with static_addressing: the upstream router, inside the WAN subnet")
        }
        let subnet = interfaceAddress(addressing.address, "\(base).address")
        let gateway = address(addressing.gatewayAddress, "\(base).gateway_address")
        let secondary = interfaceAddress(addressing.secondaryAddress, "\(base).secondary_address")
        if haSite && addressing.secondaryAddress == nil {
            // Each node of the pair has its own WAN link: the secondary's address is this one.
            add(
                "\(base).secondary_address", .requiredInHA,
                "required with static_addressing in a high-availability site: the secondary connector's own address")
        }
        guard let subnet else { return }
        claims.append(SubnetClaim(kind: .wan, cidr: subnet, path: "\(base).address", owner: owner))

        if let gateway {
            if !subnet.contains(gateway) {
                add(
                    "\(base).gateway_address", .outsideSubnet,
                    "\(gateway) is outside the WAN subnet \(subnet.networkCIDR) (static_addressing.address)")
            } else if gateway == subnet.address {
                add(
                    "\(base).gateway_address", .ownAddress,
                    "\(gateway) is the WAN's own address; the gateway is the upstream router")
            } else if let special = Self.reserved(gateway, in: subnet) {
                add(
                    "\(base).gateway_address", .notAHost,
                    "\(gateway) is the \(special) of the WAN subnet \(subnet.networkCIDR); the gateway is a host")
            }
        }
        if let secondary {
            if !subnet.contains(secondary.address) {
                add(
                    "\(base).secondary_address", .outsideSubnet,
                    "\(secondary.address) is outside the WAN subnet \(subnet.networkCIDR) (static_addressing.address)"
                )
            } else if secondary.address == subnet.address {
                add(
                    "\(base).secondary_address", .ownAddress,
                    "\(secondary.address) is the same as address; the secondary connector needs its own")
            } else if secondary.address == gateway {
                add(
                    "\(base).secondary_address", .ownAddress,
                    "\(secondary.address) is the gateway_address; the secondary connector needs its own")
            }
        }
    }
}
