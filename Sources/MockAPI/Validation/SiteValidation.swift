import ConnectorAPI

/// Rules of a site that need no database: name, location, HA consistency.
enum SiteValidation {
    static func validate(_ site: Site) throws {
        guard let name = site.name else { throw APIError.missing("name") }
        try Rules.nonEmpty(name, "name")
        if let lat = site.location?.lat {
            guard let value = Double(lat), (-90...90).contains(value) else {
                throw APIError.invalid("location.lat", "'\(lat)' is not a latitude (a decimal number -90 to 90)")
            }
        }
        if let lon = site.location?.lon {
            guard let value = Double(lon), (-180...180).contains(value) else {
                throw APIError.invalid("location.lon", "'\(lon)' is not a longitude (a decimal number -180 to 180)")
            }
        }
        if site.secondaryConnectorId != nil, site.haMode != true {
            throw APIError.invalid("secondary_connector_id", "a secondary connector needs ha_mode: true")
        }
        if let primary = site.connectorId, primary == site.secondaryConnectorId {
            throw APIError.invalid("secondary_connector_id", "must differ from connector_id")
        }
    }
}
