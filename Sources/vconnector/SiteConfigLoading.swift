import ConnectorAPI
import SiteNetwork

/// Reads a site config file for a command; a missing file, bad JSON or a wrong type exits 1 with the file's
/// own error (path, line and column), without usage text.
func loadSiteConfig(_ path: String) throws -> SiteConfig {
    do { return try SiteConfigFile.load(path: path) } catch { throw CommandFailure("\(error)") }
}
