import ConnectorAPI
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// How to run the mock: where to listen, which database, how large a body may be.
public struct MockAPIConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// An SQLite file path, or `:memory:` for a throwaway database.
    public var databasePath: String
    public var maxBodyBytes: Int
    /// A JSON resource catalog (fixtures/catalog/example.json) every account's catalog starts with; nil: empty.
    public var catalogPath: String?
    /// Seconds a connection may stay silent (between requests, or in the middle of one) before it is closed.
    public var idleTimeout: Double
    /// Seconds from a connection opening until its first request head must be complete.
    public var headerTimeout: Double
    /// Seconds from a request head until its body must be complete.
    public var bodyTimeout: Double
    /// Seconds of telemetry kept (by the records' own `t`); nil keeps everything.
    public var retention: Double?
    /// Validate snapshot ingests with the byte-level `ShapeValidator` (JSONDecoder only where it is unsure);
    /// false decodes every snapshot with JSONDecoder, the baseline `bench mock-api --decoder-only` compares with.
    public var snapshotFastPath = true

    public static let defaultDatabasePath = "vconnector-mock-api.sqlite"
    public static let defaultMaxBodyBytes = 4 * 1024 * 1024
    public static let defaultIdleTimeout = 30.0
    public static let defaultHeaderTimeout = 10.0
    public static let defaultBodyTimeout = 60.0

    public init(
        host: String = "127.0.0.1", port: Int = 8787, databasePath: String = defaultDatabasePath,
        maxBodyBytes: Int = defaultMaxBodyBytes, catalogPath: String? = nil,
        idleTimeout: Double = defaultIdleTimeout, headerTimeout: Double = defaultHeaderTimeout,
        bodyTimeout: Double = defaultBodyTimeout, retention: Double? = nil
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.maxBodyBytes = maxBodyBytes
        self.catalogPath = catalogPath
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.retention = retention
    }
}

/// The local Cloudflare v4 Magic API: Hummingbird routes over the SQLite store.
public final class MockAPIServer: Sendable {
    public let configuration: MockAPIConfiguration
    public let store: MockStore
    /// The `--catalog` file's resources.
    public let catalog: ResourceCatalog
    let logger: Logger
    /// Request, ingest and database metrics served at /metrics.
    let metrics = MockAPIMetrics()
    private let running = Mutex<ServiceGroup?>(nil)

    public init(configuration: MockAPIConfiguration, logger: Logger = Logger(label: "vconnector.mock-api")) throws {
        self.configuration = configuration
        self.logger = logger
        self.store = try MockStore(path: configuration.databasePath)
        self.catalog = try configuration.catalogPath.map(ResourceCatalog.load) ?? .empty
        // The file may differ from the last run's: AUTO syncs catch up before the first request.
        try store.writer.write { [catalog] db in
            for account in try CatalogSyncStore.accountsWithAutoSyncs(db: db) {
                try CatalogSyncRunner.catalogDidChange(db: db, account: account, catalog: catalog)
            }
        }
    }

    /// Serves until the task is cancelled or, with `handleSignals`, until SIGINT/SIGTERM (graceful: in-flight
    /// requests finish). `onListening` gets the bound port, which matters when `port` is 0.
    public func run(handleSignals: Bool = true, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let logger = self.logger
        let headerTimeout = Self.timeAmount(seconds: configuration.headerTimeout)
        let bodyTimeout = Self.timeAmount(seconds: configuration.bodyTimeout)
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestReadTimeoutHandler(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout)],
            idleTimeout: Self.timeAmount(seconds: configuration.idleTimeout)
        )
        let app = Application(
            router: makeRouter(),
            server: .http1(configuration: http1),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "vconnector-mock-api",
                backlog: Self.listenBacklog
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("mock-api listening", metadata: ["address": "http://\(channel.localAddress?.ipAddress ?? "?"):\(port)\(apiBase)"])
                await onListening(port)
            },
            logger: logger
        )
        var services: [any Service] = [app]
        if let retention = configuration.retention {
            services.append(TelemetryRetention(store: store, retention: retention, logger: logger))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: logger)
        )
        running.withLock { $0 = group }
        logger.info("mock-api starting", metadata: [
            "database": "\(store.location)",
            "catalog": "\(configuration.catalogPath ?? "none") (\(catalog.resourceCount) resources)",
            "timeouts_s": "header \(configuration.headerTimeout), body \(configuration.bodyTimeout), idle \(configuration.idleTimeout)",
            "retention_s": "\(configuration.retention.map { "\(Int($0))" } ?? "none")",
        ])
        try await group.run()
        running.withLock { $0 = nil }
        logger.info("mock-api stopped")
    }

    /// Connections the kernel completes before the server accepts them. Hummingbird's 256 overflows when a fleet
    /// reconnects at once (or during a connection flood): the kernel drops the SYN and the client waits a second
    /// to retry. The kernel caps it at net.core.somaxconn.
    static let listenBacklog = 4096

    static func timeAmount(seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((max(seconds, 0.001) * 1e9).rounded()))
    }

    /// Stops a running server gracefully: no new connections, in-flight requests finish, then `run` returns.
    public func shutdown() async {
        let group = running.withLock { $0 }
        await group?.triggerGracefulShutdown()
    }

    /// Every route, the request metrics and the envelope around all of them, and the 405 answers for known paths.
    func makeRouter() -> Router<MockRequestContext> {
        let router = Router(context: MockRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: EnvelopeMiddleware())
        addRoutes(to: router)
        router.answerMethodNotAllowed()
        return router
    }

    /// Registers every route family: account routes on groups behind the auth middleware, then the public ones
    /// (openapi.json, /metrics and the dashboard at /, which signs in with its own session).
    func addRoutes(to router: Router<MockRequestContext>) {
        let services = Services(
            store: store, maxBodyBytes: configuration.maxBodyBytes, catalog: catalog,
            snapshotFastPath: configuration.snapshotFastPath)
        let accounts = AccountRouter(router: router, auth: AccountAuthMiddleware(store: store))
        ConnectorRoutes(services: services).register(on: accounts)
        TelemetryRoutes(services: services).register(on: accounts)
        SiteRoutes(services: services).register(on: accounts)
        SiteChildRoutes<LAN>(services: services).register(on: accounts)
        SiteChildRoutes<WAN>(services: services).register(on: accounts)
        SiteChildRoutes<ACL>(services: services).register(on: accounts)
        SiteChildRoutes<AppConfig>(services: services).register(on: accounts)
        CatalogSyncRoutes(services: services).register(on: accounts)
        CatalogRoutes(services: services).register(on: accounts)
        GatewayListRoutes(services: services).register(on: accounts)
        IdentityRoutes(services: services).register(on: accounts)
        let directives = DirectiveRoutes(services: services)
        directives.register(on: accounts)
        directives.registerInterrupts(on: accounts)
        MagicObjectRoutes<GRETunnel>(services: services).register(on: accounts)
        let ipsecTunnels = MagicObjectRoutes<IPsecTunnel>(services: services)
        ipsecTunnels.register(on: accounts)
        ipsecTunnels.registerPSKGenerate(on: accounts)
        MagicObjectRoutes<CFInterconnect>(services: services).register(on: accounts)
        let routes = MagicObjectRoutes<MagicRoute>(services: services)
        routes.register(on: accounts)
        routes.registerDeleteMany(on: accounts)
        MagicObjectRoutes<AccountApp>(services: services).registerApps(on: accounts)
        MagicObjectRoutes<PacketCapture>(services: services).registerPCAPs(on: accounts)
        MagicObjectRoutes<PCAPOwnership>(services: services).registerPCAPOwnership(on: accounts)
        PCAPCaptureRoutes(services: services).register(on: accounts)
        OpenAPIRoutes().register(on: router)
        MetricsRoutes(store: store, metrics: metrics, databasePath: configuration.databasePath).register(on: router)
        DashboardRoutes(services: services).register(on: router)
    }
}
