import ConnectorAPI

// Rules of the site object: name, description, connector ids, location, HA consistency.

extension SiteCheck {
    mutating func checkSite(_ site: Site, base: String) {
        identifier(site.id, "\(base).id")
        if let name = site.name {
            if name.allSatisfy(\.isWhitespace) {
                add("\(base).name", .badText, "must not be empty")
            } else {
                text(name, "\(base).name")
            }
        } else {
            add("\(base).name", .required, "required: the site's name")
        }
        text(site.description, "\(base).description")
        identifier(site.connectorId, "\(base).connector_id")
        identifier(site.secondaryConnectorId, "\(base).secondary_connector_id")
        if let lat = site.location?.lat, Self.coordinate(lat).map({ (-90...90).contains($0) }) != true {
            add("\(base).location.lat", .outOfRange, "'\(lat)' is not a latitude (expected a decimal number -90 to 90)")
        }
        if let lon = site.location?.lon, Self.coordinate(lon).map({ (-180...180).contains($0) }) != true {
            add(
                "\(base).location.lon", .outOfRange,
                "'\(lon)' is not a longitude (expected a decimal number -180 to 180)")
        }
        if site.secondaryConnectorId != nil, site.haMode != true {
            add("\(base).secondary_connector_id", .needsHA, "a secondary connector needs ha_mode: true")
        }
        if let primary = site.connectorId, primary == site.secondaryConnectorId {
            add("\(base).secondary_connector_id", .duplicate, "must differ from connector_id '\(primary)'")
        }
    }

    /// Longest latitude or longitude text; a decimal degree needs far fewer characters.
    static let maxCoordinateLength = 32

    /// A plain decimal number (`-33.86`, `151`): `Double(_:)` alone would also take `nan`, `0x1p3` and `1e1`.
    static func coordinate(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count <= maxCoordinateLength else { return nil }
        var digits = 0
        var dots = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"): if index != 0 { return nil }
            default: return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        return Double(text)
    }
}
