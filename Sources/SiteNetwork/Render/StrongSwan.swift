import ConnectorAPI

/// strongSwan for one IPsec tunnel: a charon (charon-systemd) of its own with the `kernel-libipsec` plugin,
/// which does ESP in userspace over a TUN device (this kernel has no xfrm), and the tunnel's connection and
/// pre-shared key for swanctl. One charon per tunnel gives each tunnel its own TUN device, so tunnels are
/// route-based: the kernel's routes (by priority, health) choose the tunnel, not IPsec policies.
///
/// Both files are rendered from typed values: addresses, ports, our own paths, identities that passed
/// `isIdentity`, and the PSK as hex (`0x...`), so no string of the config can end a line or open a section.
///
/// kernel-libipsec always routes a child SA's remote traffic selector (0.0.0.0/0 here) into its TUN device, in
/// charon's routing table (220). Its rule gets priority 32767, after the main table's, so the main table (where
/// vconnector puts the tunnel routes, by health and priority) decides and table 220 only catches what it has no
/// route for.
package enum StrongSwan {
    /// IKE and ESP proposals Cloudflare's edge accepts (AES-GCM-256 or AES-CBC-256 with SHA-256).
    static let ikeProposals = "aes256gcm16-prfsha256-curve25519,aes256-sha256-modp2048"
    static let espProposals = "aes256gcm16,aes256-sha256"
    /// The plugins charon needs here, built in order (`kdf` is required; kernel-libipsec before kernel-netlink).
    static let plugins = "random nonce aes sha1 sha2 hmac kdf gcm pem pkcs1 x509 pubkey curve25519 gmp openssl kernel-libipsec kernel-netlink socket-default vici updown counters"
    /// The port Cloudflare's edge takes IKE and ESP-in-UDP on (NAT-T from the first packet).
    static let edgePort = 4500

    /// One charon's files: `<base>.conf` (its strongswan.conf), `<base>.swanctl.conf`, `<base>.vici`, `<base>.log`.
    package struct Instance: Sendable, Equatable, Hashable {
        package let base: String
        /// The local UDP port of IKE and ESP-in-UDP (charon's `port_nat_t`).
        package let natPort: Int

        package var daemonConfigFile: String { "\(base).conf" }
        package var connectionFile: String { "\(base).swanctl.conf" }
        package var viciSocket: String { "\(base).vici" }
        package var logFile: String { "\(base).log" }
        package var pidFile: String { "\(base).pid" }
    }

    /// One side of a tunnel's IKE session.
    struct Connection: Sendable, Equatable {
        enum Role: Sendable { case initiator, responder }
        let role: Role
        let localAddress: IPv4Address?
        let remoteAddress: IPv4Address?
        let remotePort: Int?
        /// The local port the session uses (the charon's `port_nat_t`): an initiator's flow is recognisable by it.
        let localPort: Int?
        let localIdentity: String
        let remoteIdentity: String
        let psk: String
    }

    /// The charon's strongswan.conf. `connectionFingerprint` ties the connection file to it, so a changed
    /// connection (a new PSK, another endpoint) restarts the daemon like a changed config does.
    static func daemonConfig(_ instance: Instance, connectionFingerprint: String, comment: String) throws(UnsafeConfigValue) -> String {
        let file = "a strongSwan config"
        return """
            # \(ConfigText.comment(comment))
            # connection \(connectionFingerprint)
            charon-systemd {
              load_modular = no
              load = \(plugins)
              port = 0
              port_nat_t = \(instance.natPort)
              install_routes = no
              install_virtual_ip = no
              routing_table = 220
              routing_table_prio = 32767
              retransmit_timeout = 1
              retransmit_base = 1.4
              retransmit_tries = 3
              journal {
                default = -1
              }
              filelog {
                main {
                  path = \(try ConfigText.value(instance.logFile, in: file))
                  default = 1
                  time_format = %T
                  flush_line = yes
                }
              }
              plugins {
                vici {
                  socket = unix://\(try ConfigText.value(instance.viciSocket, in: file))
                }
              }
            }

            """
    }

    /// The swanctl.conf of one connection (named `tunnel`) and its PSK.
    static func connectionConfig(_ connection: Connection) throws(UnsafeConfigValue) -> String {
        let file = "a swanctl config"
        for identity in [connection.localIdentity, connection.remoteIdentity] where !isIdentity(identity) {
            throw UnsafeConfigValue(file: file, value: identity, reason: "is not a domain name or an address")
        }
        var lines = ["connections {", "  tunnel {", "    version = 2", "    proposals = \(ikeProposals)", "    encap = yes",
                     "    dpd_delay = 2s", "    unique = replace", "    mobike = no"]
        if let local = connection.localAddress { lines.append("    local_addrs = \(local)") }
        if let remote = connection.remoteAddress { lines.append("    remote_addrs = \(remote)") }
        if let port = connection.remotePort { lines.append("    remote_port = \(port)") }
        if let port = connection.localPort { lines.append("    local_port = \(port)") }
        if connection.role == .initiator { lines.append("    keyingtries = 0") }
        lines += ["    local {", "      auth = psk", "      id = \(try ConfigText.value(connection.localIdentity, in: file))", "    }",
                  "    remote {", "      auth = psk", "      id = \(try ConfigText.value(connection.remoteIdentity, in: file))", "    }",
                  "    children {", "      tunnel {", "        local_ts = 0.0.0.0/0", "        remote_ts = 0.0.0.0/0",
                  "        esp_proposals = \(espProposals)"]
        if connection.role == .initiator {
            lines += ["        start_action = start", "        dpd_action = restart", "        close_action = start"]
        }
        lines += ["      }", "    }", "  }", "}", "secrets {", "  ike-tunnel {",
                  "    id = \(connection.remoteIdentity)", "    secret = \(hex(connection.psk))", "  }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The PSK as swanctl's hex form: any bytes, and nothing a parser could take for syntax.
    static func hex(_ secret: String) -> String {
        "0x" + secret.utf8.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// An IKE identity vconnector writes: a domain name (letters, digits, '-', '.'), or an IPv4 address.
    static func isIdentity(_ text: String) -> Bool {
        guard (1...253).contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy { byte in
            (0x61...0x7a).contains(byte) || (0x41...0x5a).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2d || byte == 0x2e
        } && !text.hasPrefix(".") && !text.hasPrefix("-")
    }

    /// The IKE identity of a tunnel's customer side: its custom FQDN, else one derived from the tunnel's id (or
    /// name) and the site, in the shape of Cloudflare's generated ones (`<tunnel>.<account>.ipsec...`).
    static func customerIdentity(of tunnel: IPsecTunnel, siteKey: String) -> String {
        if let fqdn = tunnel.customRemoteIdentities?.fqdnId, isIdentity(fqdn) { return fqdn }
        let token = tunnel.id.flatMap { TextRules.idProblem($0) == nil ? $0.lowercased() : nil } ?? Fingerprint.of(tunnel.name ?? "")
        return "\(token).\(siteKey).ipsec.vconnector.lab"
    }

    /// The command that runs a charon: in the foreground (start-stop-daemon backgrounds it and writes its pid
    /// file), with its own strongswan.conf (whose path marks the process as ours, see `Daemons.isRunning`).
    static func command(_ instance: Instance) -> [String] {
        ["env", "STRONGSWAN_CONF=\(instance.daemonConfigFile)", "charon-systemd"]
    }
}
