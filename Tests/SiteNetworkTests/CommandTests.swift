@testable import SiteNetwork
import Foundation
import Testing

@Suite("Command: programs spawned for a site")
struct CommandTests {
    @Test("a spawned program gets stdin, stdout and stderr only, not our other descriptors (a daemon would keep them)")
    func noInheritedDescriptors() throws {
        // Opened without O_CLOEXEC, as a library might.
        let inheritable = open("/dev/null", O_RDONLY)
        #expect(inheritable > 2)
        defer { close(inheritable) }
        let listing = try Command.run("sh", ["-c", "ls /proc/$$/fd"])
        let descriptors = Set(listing.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        #expect(descriptors.isSuperset(of: [0, 1, 2]))
        #expect(!descriptors.contains(inheritable), "inherited: \(descriptors.sorted())")
    }

    @Test("a failing program's status and stderr make the error")
    func failure() throws {
        #expect {
            try Command.run("sh", ["-c", "echo broken >&2; exit 3"])
        } throws: { error in
            let failure = error as? CommandError
            return failure?.status == 3 && "\(error)".contains("broken")
        }
    }
}
