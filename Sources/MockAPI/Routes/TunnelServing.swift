import ConnectorAPI

/// What responses add to a stored tunnel: the health check target in the form the client asked for, and the
/// BGP session state.
enum TunnelServing {
    /// With `x-magic-new-hc-target: true` the target is `{effective, saved}` (effective: the saved target, or
    /// `defaultTarget` when none is saved); without it, the effective address as a plain string.
    static func healthCheck(_ check: TunnelHealthCheck?, defaultTarget: AddressField?, objectTargets: Bool) -> TunnelHealthCheck? {
        guard var check else { return nil }
        let saved = check.target?.saved ?? ""
        let effective = saved.text.isEmpty ? defaultTarget ?? "" : saved
        check.target = objectTargets ? HealthCheckTarget(effective: effective, saved: saved) : HealthCheckTarget(saved: effective)
        return check
    }

    /// The mock's edge speaks no BGP: a tunnel with BGP settings reports its session down since it last changed.
    static func bgpStatus(_ bgp: TunnelBGP?, since: String?) -> TunnelBGPStatus? {
        guard bgp != nil else { return nil }
        return TunnelBGPStatus(state: "BGP_DOWN", tcpEstablished: false, updatedAt: since ?? MockStore.timestamp())
    }
}
