import ConnectorAPI

/// Rules of a WAN uplink.
enum WANValidation {
    static let healthCheckRates = ["low", "mid", "high"]

    static func validate(_ wan: WAN) throws {
        guard wan.physport != nil else { throw APIError.missing("physport") }
        try Rules.physport(wan.physport)
        try Rules.vlanTag(wan.vlanTag)
        try Rules.name(wan.name, "name")
        if let priority = wan.priority, priority < 0 {
            throw APIError.invalid("priority", "\(priority) must be 0 or more")
        }
        if let rate = wan.healthCheckRate, !healthCheckRates.contains(rate) {
            throw APIError.invalid("health_check_rate", "\(Rules.quoted(rate)) is not one of low, mid, high")
        }
        if let addressing = wan.staticAddressing {
            guard let addressText = addressing.address else { throw APIError.missing("static_addressing.address") }
            guard let gatewayText = addressing.gatewayAddress else { throw APIError.missing("static_addressing.gateway_address") }
            let subnet = try Rules.cidr(addressText, "static_addressing.address")!
            let gateway = try Rules.ipv4(gatewayText, "static_addressing.gateway_address")!
            guard subnet.contains(gateway) else {
                throw APIError.invalid(
                    "static_addressing.gateway_address", "\(gateway) is outside the WAN subnet \(subnet.network)/\(subnet.prefixLength)"
                )
            }
            if let secondary = try Rules.cidr(addressing.secondaryAddress, "static_addressing.secondary_address") {
                guard subnet.contains(secondary.address) else {
                    throw APIError.invalid("static_addressing.secondary_address", "\(secondary.address) is outside the WAN subnet")
                }
            }
        }
    }
}
