import ArgumentParser
import Foundation

extension VConnector {
    /// ArgumentParser's `main()`, except for a `ValidationError` thrown from a subcommand's `run()` (a check made
    /// after parsing, e.g. `site teardown` without a site): ArgumentParser would print the root's usage line
    /// (`Usage: vconnector <subcommand>`); this prints the subcommand's own, as it does for parse errors.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                var sync = command
                try sync.run()
            }
        } catch let error as ValidationError {
            let type = Swift.type(of: command)
            let usage = usageString(for: type).trimmingCharacters(in: .whitespacesAndNewlines)
            let path = Self.commandPath(to: type).joined(separator: " ")
            FileHandle.standardError.write(Data("Error: \(error.message)\nUsage: \(usage)\n  See '\(path) --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// The command names from the root down to `type` (`["vconnector", "site", "teardown"]`).
    static func commandPath(to type: any ParsableCommand.Type) -> [String] {
        func search(_ current: any ParsableCommand.Type, _ path: [String]) -> [String]? {
            let name = current.configuration.commandName ?? String(describing: current).lowercased()
            let here = path + [name]
            if current == type { return here }
            for subcommand in current.configuration.subcommands {
                if let found = search(subcommand, here) { return found }
            }
            return nil
        }
        return search(VConnector.self, []) ?? ["vconnector"]
    }
}
