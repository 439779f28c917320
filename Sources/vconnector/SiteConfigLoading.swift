import ConnectorAPI
import Foundation
import SiteNetwork

/// Reads a site config file for a command; a missing file, bad JSON, a wrong type or an unknown key exits 1 with
/// the file's own error (path, line and column, "did you mean"), without usage text. With `lenient`, unknown keys
/// are printed as warnings on stderr instead.
func loadSiteConfig(_ path: String, lenient: Bool = false) throws -> SiteConfig {
    let loaded: SiteConfigFile.Loaded
    do { loaded = try SiteConfigFile.load(path: path, lenient: lenient) } catch { throw CommandFailure("\(error)", code: error.code) }
    for warning in loaded.warnings {
        FileHandle.standardError.write(Data("warning: \(path): \(warning)\n".utf8))
    }
    return loaded.config
}
