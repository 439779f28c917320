import ConnectorAPI

/// Rules of a site that need no database: name, description, connector ids, location, HA consistency.
enum SiteValidation {
    /// Longest latitude or longitude text; a decimal degree needs far fewer characters.
    static let maxCoordinateLength = 32

    static func validate(_ site: Site) throws {
        guard let name = site.name else { throw APIError.missing("name") }
        try Rules.name(name, "name")
        try Rules.description(site.description, "description")
        try Rules.id(site.connectorId, "connector_id")
        try Rules.id(site.secondaryConnectorId, "secondary_connector_id")
        if let lat = site.location?.lat {
            guard let value = coordinate(lat), (-90...90).contains(value) else {
                throw APIError.invalid("location.lat", "\(Rules.quoted(lat)) is not a latitude (a decimal number -90 to 90)")
            }
        }
        if let lon = site.location?.lon {
            guard let value = coordinate(lon), (-180...180).contains(value) else {
                throw APIError.invalid("location.lon", "\(Rules.quoted(lon)) is not a longitude (a decimal number -180 to 180)")
            }
        }
        if site.secondaryConnectorId != nil, site.haMode != true {
            throw APIError.invalid("secondary_connector_id", "a secondary connector needs ha_mode: true")
        }
        if let primary = site.connectorId, primary == site.secondaryConnectorId {
            throw APIError.invalid("secondary_connector_id", "must differ from connector_id")
        }
    }

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
