import Agent
import Testing

@Suite struct StopSignalPolicyTests {
    @Test("the first signal stops gracefully; repeats within 1 s are ignored; a signal after that exits at once")
    func byArrivalTime() {
        var policy = StopSignalPolicy()
        let first = ContinuousClock.now
        #expect(policy.receive(at: first) == .stopGracefully)
        #expect(policy.receive(at: first + .milliseconds(50)) == .ignoreRepeat)
        #expect(policy.receive(at: first + .milliseconds(1000)) == .ignoreRepeat)
        #expect(policy.receive(at: first + .milliseconds(1001)) == .exitNow)
        #expect(policy.receive(at: first + .seconds(30)) == .exitNow)
    }
}
