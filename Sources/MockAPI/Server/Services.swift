import Hummingbird

/// What every route needs: storage, the bounded body reader and the resource catalog.
struct Services: Sendable {
    let store: MockStore
    let body: RequestBodyReader
    let ingest: IngestBatcher
    /// The `--catalog` file's resources, the start of every account's catalog.
    let catalog: ResourceCatalog
    /// Snapshot ingest tries `SnapshotFastPath` before JSONDecoder.
    let snapshotFastPath: Bool

    init(store: MockStore, maxBodyBytes: Int, catalog: ResourceCatalog = .empty, snapshotFastPath: Bool = true) {
        self.store = store
        self.snapshotFastPath = snapshotFastPath
        self.catalog = catalog
        self.ingest = IngestBatcher(writer: store.writer, tally: store.ingestTally)
        self.body = RequestBodyReader(maxBytes: maxBodyBytes)
    }
}

/// Where every API path starts.
let apiBase = "/client/v4"
