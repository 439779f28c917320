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
            "database": "\(configuration.databasePath)",
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

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: EnvelopeMiddleware())
        makeRouteTable().install(on: router)
        outsideAPIRoutes().install(on: router)
        return router
    }

    /// What is served beside the API, outside /client/v4: /metrics and the dashboard at /.
    func outsideAPIRoutes() -> RouteTable<BasicRequestContext> {
        let services = Services(store: store, maxBodyBytes: configuration.maxBodyBytes, catalog: catalog)
        var table = RouteTable<BasicRequestContext>()
        MetricsRoutes(store: store, metrics: metrics, databasePath: configuration.databasePath).register(&table)
        DashboardRoutes(services: services).register(&table)
        return table
    }

    func makeRouteTable() -> RouteTable<BasicRequestContext> {
        let services = Services(store: store, maxBodyBytes: configuration.maxBodyBytes, catalog: catalog)
        var table = RouteTable<BasicRequestContext>()
        ConnectorRoutes(services: services).register(&table)
        TelemetryRoutes(services: services).register(&table)
        SiteRoutes(services: services).register(&table)
        SiteChildRoutes<LAN>(services: services).register(&table)
        SiteChildRoutes<WAN>(services: services).register(&table)
        SiteChildRoutes<ACL>(services: services).register(&table)
        SiteChildRoutes<AppConfig>(services: services).register(&table)
        CatalogSyncRoutes(services: services).register(&table)
        CatalogRoutes(services: services).register(&table)
        GatewayListRoutes(services: services).register(&table)
        IdentityRoutes(services: services).register(&table)
        let directives = DirectiveRoutes(services: services)
        directives.register(&table)
        directives.registerInterrupts(&table)
        MagicObjectRoutes<GRETunnel>(services: services).register(&table)
        let ipsecTunnels = MagicObjectRoutes<IPsecTunnel>(services: services)
        ipsecTunnels.register(&table)
        ipsecTunnels.registerPSKGenerate(&table)
        MagicObjectRoutes<CFInterconnect>(services: services).register(&table)
        let routes = MagicObjectRoutes<MagicRoute>(services: services)
        routes.register(&table)
        routes.registerDeleteMany(&table)
        MagicObjectRoutes<AccountApp>(services: services).registerApps(&table)
        MagicObjectRoutes<PacketCapture>(services: services).registerPCAPs(&table)
        MagicObjectRoutes<PCAPOwnership>(services: services).registerPCAPOwnership(&table)
        PCAPCaptureRoutes(services: services).register(&table)
        OpenAPIRoutes().register(&table)
        return table
    }
}
