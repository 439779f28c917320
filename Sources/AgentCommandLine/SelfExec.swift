import Foundation

/// An interrupt's restart: this process is replaced by a fresh run of the same executable and arguments. The pid
/// stays (a supervisor sees no exit) and the new process finds the spool and identity in the state directory.
enum SelfExec {
    /// Returns only when the exec failed: why.
    static func replaceProcess() -> String {
        // An ignored or blocked signal survives exec: the new process must start with SIGTERM/SIGINT as a fresh one.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_DFL)
            sigaddset(&signals, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        var arguments = CommandLine.arguments.map { strdup($0) }
        arguments.append(nil)
        execv("/proc/self/exe", arguments)
        let reason = String(cString: strerror(errno))
        for argument in arguments { free(argument) }
        return reason
    }
}
