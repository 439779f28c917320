// Magic Cloud Networking catalog syncs as documented ("Catalog Sync", Closed Beta): a policy over the
// account's resource catalog whose matches are written to a destination (a Zero Trust list, or none).

/// Where a sync writes its matches. Fixed at creation.
public enum CatalogSyncDestinationType: String, Codable, Sendable, CaseIterable {
    case none = "NONE"
    case zeroTrustList = "ZERO_TRUST_LIST"
}

/// AUTO: the sync reruns whenever the catalog (or its policy) changes. MANUAL: only on refresh.
public enum CatalogSyncUpdateMode: String, Codable, Sendable, CaseIterable {
    case auto = "AUTO"
    case manual = "MANUAL"
}

/// `meta` of a catalog-sync error item.
public struct CatalogErrorMeta: Codable, Sendable, Equatable {
    public var l10nKey: String?
    public var loggableError: String?
    public var templateData: [String: String]?
    public var traceId: String?

    public init(l10nKey: String? = nil, loggableError: String? = nil, templateData: [String: String]? = nil, traceId: String? = nil) {
        self.l10nKey = l10nKey
        self.loggableError = loggableError
        self.templateData = templateData
        self.traceId = traceId
    }

    enum CodingKeys: String, CodingKey {
        case l10nKey = "l10n_key"
        case loggableError = "loggable_error"
        case templateData = "template_data"
        case traceId = "trace_id"
    }
}

/// `source` of a catalog-sync error item: the query/path parameter or the JSON pointer into the body.
public struct CatalogErrorSource: Codable, Sendable, Equatable {
    public var parameter: String?
    public var parameterValueIndex: Int?
    public var pointer: String?

    public init(parameter: String? = nil, parameterValueIndex: Int? = nil, pointer: String? = nil) {
        self.parameter = parameter
        self.parameterValueIndex = parameterValueIndex
        self.pointer = pointer
    }

    enum CodingKeys: String, CodingKey {
        case parameter, pointer
        case parameterValueIndex = "parameter_value_index"
    }
}

/// The documented Magic Cloud Networking error item: `{code, message, documentation_url, meta, source}`.
public struct CatalogErrorItem: Codable, Sendable, Equatable, Error {
    public var code: Int
    public var message: String
    public var documentationUrl: String?
    public var meta: CatalogErrorMeta?
    public var source: CatalogErrorSource?

    public init(code: Int, message: String, documentationUrl: String? = nil, meta: CatalogErrorMeta? = nil, source: CatalogErrorSource? = nil) {
        self.code = code
        self.message = message
        self.documentationUrl = documentationUrl
        self.meta = meta
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case code, message, meta, source
        case documentationUrl = "documentation_url"
    }
}

/// A catalog sync as the API returns it.
public struct CatalogSync: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var policy: String
    public var destinationType: CatalogSyncDestinationType
    /// The Zero Trust list the sync writes; the nil UUID for destination type NONE.
    public var destinationId: String
    public var updateMode: CatalogSyncUpdateMode
    public var lastUserUpdateAt: String
    public var lastAttemptedUpdateAt: String?
    public var lastSuccessfulUpdateAt: String?
    /// The newest discovery time in the catalog the last successful run saw.
    public var includesDiscoveriesUntil: String?
    /// Why the last run failed, by subject (e.g. "destination"); empty after a successful run.
    public var errors: [String: CatalogErrorItem]

    public init(
        id: String, name: String, description: String, policy: String, destinationType: CatalogSyncDestinationType,
        destinationId: String, updateMode: CatalogSyncUpdateMode, lastUserUpdateAt: String,
        lastAttemptedUpdateAt: String? = nil, lastSuccessfulUpdateAt: String? = nil, includesDiscoveriesUntil: String? = nil,
        errors: [String: CatalogErrorItem] = [:]
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.policy = policy
        self.destinationType = destinationType
        self.destinationId = destinationId
        self.updateMode = updateMode
        self.lastUserUpdateAt = lastUserUpdateAt
        self.lastAttemptedUpdateAt = lastAttemptedUpdateAt
        self.lastSuccessfulUpdateAt = lastSuccessfulUpdateAt
        self.includesDiscoveriesUntil = includesDiscoveriesUntil
        self.errors = errors
    }

    /// `destination_id` of a sync without a destination.
    public static let noDestination = "00000000-0000-0000-0000-000000000000"

    enum CodingKeys: String, CodingKey {
        case id, name, description, policy, errors
        case destinationType = "destination_type"
        case destinationId = "destination_id"
        case updateMode = "update_mode"
        case lastUserUpdateAt = "last_user_update_at"
        case lastAttemptedUpdateAt = "last_attempted_update_at"
        case lastSuccessfulUpdateAt = "last_successful_update_at"
        case includesDiscoveriesUntil = "includes_discoveries_until"
    }
}

/// The body of create (`destination_type`, `name`, `update_mode` required), PUT and PATCH (all optional;
/// `destination_type` may only repeat the current value). Enums are strings here so a wrong value is a
/// 422 naming the field and the allowed values, not a decoding failure.
public struct CatalogSyncRequest: Codable, Sendable, Equatable {
    public var destinationType: String?
    public var name: String?
    public var updateMode: String?
    public var description: String?
    public var policy: String?

    public init(destinationType: String? = nil, name: String? = nil, updateMode: String? = nil, description: String? = nil, policy: String? = nil) {
        self.destinationType = destinationType
        self.name = name
        self.updateMode = updateMode
        self.description = description
        self.policy = policy
    }

    enum CodingKeys: String, CodingKey {
        case name, description, policy
        case destinationType = "destination_type"
        case updateMode = "update_mode"
    }
}

/// One entry of `GET .../catalog-syncs/prebuilt-policies`.
public struct PrebuiltPolicy: Codable, Sendable, Equatable {
    public var policyName: String
    public var policyDescription: String
    public var policyString: String
    public var applicableDestinations: [CatalogSyncDestinationType]

    public init(policyName: String, policyDescription: String, policyString: String, applicableDestinations: [CatalogSyncDestinationType]) {
        self.policyName = policyName
        self.policyDescription = policyDescription
        self.policyString = policyString
        self.applicableDestinations = applicableDestinations
    }

    enum CodingKeys: String, CodingKey {
        case policyName = "policy_name"
        case policyDescription = "policy_description"
        case policyString = "policy_string"
        case applicableDestinations = "applicable_destinations"
    }
}

/// `result` of deleting a sync.
public struct CatalogSyncDeleted: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}
