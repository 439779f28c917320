import ConnectorAPI

/// keepalived (VRRPv3) of one HA node: one VRRP instance per LAN owning the LAN's `virtual_address`, one on the
/// HA link, all in one sync group so the LANs move together, and a notify script that records the node's state
/// and starts or stops the node's DHCP servers with it.
///
/// Every instance advertises by multicast on its own segment every 100 ms (`advert_int 0.1`, failover in about
/// 0.35 s): a node takes over only when its peer is silent on every segment (keepalived moves a sync group to
/// MASTER only when each of its instances timed out), so losing the HA link alone, or one LAN, never makes
/// two active nodes. Both nodes start `BACKUP` with `nopreempt`; the primary's higher priority decides an
/// election both enter at once. See docs/ha.md.
///
/// Like every generated file, the config is written from typed values (addresses, link names, our paths)
/// through `ConfigText`; the notify script is fixed text that gets its paths as arguments.
enum Keepalived {
    static func stateFile(_ names: SiteNames) -> String { "\(names.stateDirectory)/ha-state" }
    static func pidFile(_ names: SiteNames) -> String { "\(names.stateDirectory)/keepalived.pid" }
    /// The DHCP configs the notify script starts dnsmasq with on MASTER (apart from the supervised daemons'
    /// pid files, which the reconciler would otherwise take for strays).
    static func dhcpDirectory(_ names: SiteNames) -> String { "\(names.stateDirectory)/ha-dhcp" }

    /// The VRRP router id of the LAN at `index` (the HA link's included): segments are separate, so ids only
    /// need to differ from other VRRP routers on the same segment.
    static func routerID(_ index: Int) -> Int { 10 + index }

    /// The daemon of `names.node` for `config`, or nil for a single connector or a site without LANs.
    static func daemon(config: SiteConfig, names: SiteNames, pingBeforeOffer: Bool = true) throws(UnsafeConfigValue) -> DaemonSpec? {
        guard let node = names.node, config.site.haMode == true, !config.lans.isEmpty else { return nil }
        let base = "\(names.stateDirectory)/keepalived"
        var dhcp: [String: String] = [:]
        for lan in config.lans where lan.haLink != true {
            guard let addressing = lan.staticAddressing, addressing.dhcpServer != nil || addressing.dhcpRelay != nil else { continue }
            let link = SiteNames.link(of: lan)
            let dhcpBase = "\(dhcpDirectory(names))/dnsmasq-\(link)"
            dhcp["\(dhcpBase).conf"] = try Dnsmasq.config(lan: lan, link: link, base: dhcpBase, leaseFile: Dnsmasq.leaseFile(link: link, names: names),
                                                         pingBeforeOffer: pingBeforeOffer)
        }
        let text = try render(config, node: node, names: names, dhcpFingerprint: Fingerprint.of(dhcp.sorted { $0.key < $1.key }.map { $0.key + $0.value }.joined()))
        let heartbeat = config.lans.first { $0.haLink == true } ?? config.lans[0]
        return DaemonSpec(
            name: "keepalived", link: SiteNames.link(of: heartbeat),
            command: ["keepalived", "--vrrp", "--no-syslog", "--use-file=\(base).conf", "--pid=\(base).pid", "--vrrp_pid=\(base)-vrrp.pidfile"],
            configFile: "\(base).conf", config: text, pidFile: "\(base).pid",
            companionFile: "\(base)-notify.sh", companion: notifyScript, files: dhcp, childPidFiles: ["\(base)-vrrp.pidfile"])
    }

    /// The config text. `dhcpFingerprint` stands in a comment so that a changed DHCP config restarts keepalived,
    /// which restarts the DHCP servers it started.
    static func render(_ config: SiteConfig, node: HANode, names: SiteNames, dhcpFingerprint: String) throws(UnsafeConfigValue) -> String {
        let file = "a keepalived config"
        var lines = [
            "# " + ConfigText.comment("vconnector: HA \(node.rawValue) of site \(names.key) (\(config.site.name ?? "")); written by `vconnector site apply`, do not edit"),
            "# dhcp \(try ConfigText.value(dhcpFingerprint, in: file))",
            "global_defs {",
            "  router_id \(try ConfigText.value(names.connector, in: file))",
            "  vrrp_version 3",
            "  script_user root",
            "  enable_script_security",
            "}",
        ]
        var instances: [String] = []
        var group: [String] = []
        for (index, lan) in config.lans.enumerated() {
            let name = "lan\(index)"
            let link = try ConfigText.value(SiteNames.link(of: lan), in: file)
            let virtual = try lan.staticAddressing?.virtualAddress?.value.map { cidr throws(UnsafeConfigValue) in
                try ConfigText.value(cidr.description, in: file)
            }
            group.append(name)
            instances += [
                "vrrp_instance \(name) {",
                "  state BACKUP",
                "  nopreempt",
                "  interface \(link)",
                "  virtual_router_id \(routerID(index))",
                "  priority \(node.priority)",
                "  advert_int 0.1",
            ]
            // The HA link's own carrier is no reason to fail: a cut link must not fault both nodes at once.
            if lan.haLink == true { instances.append("  dont_track_primary") }
            if let virtual { instances += ["  virtual_ipaddress {", "    \(virtual) dev \(link)", "  }"] }
            instances.append("}")
        }
        let notify = [
            "/bin/sh", "\(names.stateDirectory)/keepalived-notify.sh", stateFile(names), dhcpDirectory(names),
        ]
        var checked: [String] = []
        for word in notify { checked.append(try ConfigText.value(word, in: file)) }
        lines += ["vrrp_sync_group vconnector {", "  group {"] + group.map { "    \($0)" } + ["  }", "  notify \"\(checked.joined(separator: " "))\"", "}"]
        return (lines + instances).joined(separator: "\n") + "\n"
    }

    /// Fixed text: `$1` the state file, `$2` the DHCP configs' directory, then keepalived's TYPE NAME STATE. On
    /// MASTER it starts a dnsmasq per config (unless one runs), on any other state it stops them, so DHCP follows
    /// the active node; the shared lease file keeps the hosts' addresses across a failover.
    static let notifyScript = """
        #!/bin/sh
        # vconnector: keepalived notify script of an HA node; fixed text, its paths come as arguments.
        state_file=$1 dhcp_dir=$2 state=$5
        printf '%s\\n' "$state" > "$state_file.tmp" && mv "$state_file.tmp" "$state_file"
        for conf in "$dhcp_dir"/*.conf; do
          [ -e "$conf" ] || continue
          pid_file="${conf%.conf}.pid"
          running=false
          [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null && running=true
          if [ "$state" = MASTER ]; then
            $running || dnsmasq --conf-file="$conf"
          elif $running; then
            kill "$(cat "$pid_file")"
            rm -f "$pid_file"
          fi
        done
        exit 0

        """
}
