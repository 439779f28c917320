extension SiteProblem {
    /// The rule a problem breaks. The raw values are part of the interface (`site validate --json`, mock-api's
    /// errors): add codes, never rename one.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// A field the object needs is missing.
        case required
        /// Not an IPv4 address (a.b.c.d).
        case notAnAddress = "not_an_address"
        /// Not an IPv4 address with a prefix length (a.b.c.d/len).
        case notAPrefix = "not_a_prefix"
        /// A network prefix with host bits set.
        case hostBits = "host_bits"
        /// A network or broadcast address where a host address is needed.
        case notAHost = "not_a_host"
        /// An address outside the subnet it must lie in.
        case outsideSubnet = "outside_subnet"
        /// A prefix of the wrong length (NAT sizes, a tunnel's /31, an address's prefix against its LAN's).
        case prefixLength = "prefix_length"
        /// Not an address a packet can be sent to (this-network, loopback, link-local, multicast, broadcast).
        case notUnicast = "not_unicast"
        /// Outside RFC 1918 space where private space is required.
        case notPrivate = "not_private"
        /// A number outside its range (ports, VLAN tags, priorities, coordinates...).
        case outOfRange = "out_of_range"
        /// A value that is not one of the allowed words (protocols, rates, health check types...).
        case notOneOf = "not_one_of"
        /// Text of the wrong form (a MAC, a port range, a coordinate, a domain name).
        case badFormat = "bad_format"
        /// A name or description that is blank, too long, not printable or not on one line.
        case badText = "bad_text"
        /// An id that is not a short token of letters, digits, '-' and '_'.
        case badID = "bad_id"
        /// The same name, id, address or entry given twice where each must be unique.
        case duplicate
        /// A physport and VLAN another WAN or LAN already uses.
        case portInUse = "port_in_use"
        /// Subnets that must not overlap do.
        case overlap
        /// One of the connector's own addresses where another host's is needed.
        case ownAddress = "own_address"
        /// Fields that exclude each other, or one that needs another that is absent.
        case inconsistent
        /// A field a high-availability site requires (the secondary's and the shared addresses).
        case requiredInHA = "required_in_ha"
        /// Something only a high-availability site may have.
        case needsHA = "needs_ha"
        /// A reference to an object that is not there (a LAN of an ACL, a WAN of a tunnel, a tunnel of a route).
        case unknownReference = "unknown_reference"
        /// More objects than a site can hold.
        case tooMany = "too_many"
        /// A key the API's objects do not have.
        case unknownKey = "unknown_key"
    }
}
