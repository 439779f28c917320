// Magic WAN Connectors as documented ("Connectors": list, fetch, add, replace, edit, remove).

/// The device behind a connector: its id and, for hardware, its serial number.
public struct ConnectorDevice: Codable, Sendable, Equatable {
    public var id: String
    public var serialNumber: String?
    /// `MANAGED` (an appliance Cloudflare manages) or `LICENSED` (a virtual connector activated by a license key).
    public var type: String?

    public init(id: String, serialNumber: String? = nil, type: String? = nil) {
        self.id = id
        self.serialNumber = serialNumber
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case id, type
        case serialNumber = "serial_number"
    }
}

/// A connector as the API returns it.
public struct Connector: Codable, Sendable, Equatable {
    public var id: String
    public var activated: Bool
    /// Allowed days of the week for upgrades ("Sunday" ... "Saturday").
    public var interruptWindowDaysOfWeek: [String]
    public var interruptWindowDurationHours: Double
    /// Dates (YYYY-MM-DD) when upgrades are blocked.
    public var interruptWindowEmbargoDates: [String]
    public var interruptWindowHourOfDay: Double
    public var lastUpdated: String
    public var notes: String
    /// An IANA time zone name.
    public var timezone: String
    public var device: ConnectorDevice?
    /// Whether the connector is its site's primary (true also when it serves no site: the schema's default).
    public var primary: Bool?
    /// The site the connector serves, if any.
    public var siteId: String?
    public var lastHeartbeat: String?
    public var lastSeenVersion: String?
    /// Present only in the response that provisioned it.
    public var licenseKey: String?

    public init(
        id: String, activated: Bool, interruptWindowDaysOfWeek: [String], interruptWindowDurationHours: Double,
        interruptWindowEmbargoDates: [String], interruptWindowHourOfDay: Double, lastUpdated: String,
        notes: String, timezone: String, device: ConnectorDevice? = nil, lastHeartbeat: String? = nil,
        lastSeenVersion: String? = nil, licenseKey: String? = nil
    ) {
        self.id = id
        self.activated = activated
        self.interruptWindowDaysOfWeek = interruptWindowDaysOfWeek
        self.interruptWindowDurationHours = interruptWindowDurationHours
        self.interruptWindowEmbargoDates = interruptWindowEmbargoDates
        self.interruptWindowHourOfDay = interruptWindowHourOfDay
        self.lastUpdated = lastUpdated
        self.notes = notes
        self.timezone = timezone
        self.device = device
        self.lastHeartbeat = lastHeartbeat
        self.lastSeenVersion = lastSeenVersion
        self.licenseKey = licenseKey
    }

    enum CodingKeys: String, CodingKey {
        case id, activated, notes, timezone, device, primary
        case siteId = "site_id"
        case interruptWindowDaysOfWeek = "interrupt_window_days_of_week"
        case interruptWindowDurationHours = "interrupt_window_duration_hours"
        case interruptWindowEmbargoDates = "interrupt_window_embargo_dates"
        case interruptWindowHourOfDay = "interrupt_window_hour_of_day"
        case lastUpdated = "last_updated"
        case lastHeartbeat = "last_heartbeat"
        case lastSeenVersion = "last_seen_version"
        case licenseKey = "license_key"
    }
}

/// `device` of "Add a connector": exactly one of `id`, `serial_number`, `provision_license`.
public struct ConnectorDeviceOptions: Codable, Sendable, Equatable {
    public var id: String?
    public var serialNumber: String?
    /// When true, create and provision a new license key for the connector.
    public var provisionLicense: Bool?

    public init(id: String? = nil, serialNumber: String? = nil, provisionLicense: Bool? = nil) {
        self.id = id
        self.serialNumber = serialNumber
        self.provisionLicense = provisionLicense
    }

    enum CodingKeys: String, CodingKey {
        case id
        case serialNumber = "serial_number"
        case provisionLicense = "provision_license"
    }
}

/// The settable fields of a connector: the body of PUT and PATCH, and (with `device`) of POST.
public struct ConnectorFields: Codable, Sendable, Equatable {
    public var device: ConnectorDeviceOptions?
    public var activated: Bool?
    public var interruptWindowDaysOfWeek: [String]?
    public var interruptWindowDurationHours: Double?
    public var interruptWindowEmbargoDates: [String]?
    public var interruptWindowHourOfDay: Double?
    public var notes: String?
    public var timezone: String?
    /// PUT/PATCH: when true, regenerate the connector's license key.
    public var provisionLicense: Bool?

    public init(
        device: ConnectorDeviceOptions? = nil, activated: Bool? = nil, interruptWindowDaysOfWeek: [String]? = nil,
        interruptWindowDurationHours: Double? = nil, interruptWindowEmbargoDates: [String]? = nil,
        interruptWindowHourOfDay: Double? = nil, notes: String? = nil, timezone: String? = nil,
        provisionLicense: Bool? = nil
    ) {
        self.device = device
        self.activated = activated
        self.interruptWindowDaysOfWeek = interruptWindowDaysOfWeek
        self.interruptWindowDurationHours = interruptWindowDurationHours
        self.interruptWindowEmbargoDates = interruptWindowEmbargoDates
        self.interruptWindowHourOfDay = interruptWindowHourOfDay
        self.notes = notes
        self.timezone = timezone
        self.provisionLicense = provisionLicense
    }

    enum CodingKeys: String, CodingKey {
        case device, activated, notes, timezone
        case interruptWindowDaysOfWeek = "interrupt_window_days_of_week"
        case interruptWindowDurationHours = "interrupt_window_duration_hours"
        case interruptWindowEmbargoDates = "interrupt_window_embargo_dates"
        case interruptWindowHourOfDay = "interrupt_window_hour_of_day"
        case provisionLicense = "provision_license"
    }
}
