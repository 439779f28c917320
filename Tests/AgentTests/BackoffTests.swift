import Agent
import ConnectorAPI
import Foundation
import Testing

@Suite struct BackoffTests {
    @Test func doublesUpToTheCapWithJitterInTheUpperHalf() {
        var backoff = Backoff(initial: 0.5, cap: 4)
        let ceilings = [0.5, 1, 2, 4, 4, 4]
        for ceiling in ceilings {
            let delay = backoff.next()
            #expect(delay >= ceiling / 2 && delay <= ceiling, "delay \(delay) for ceiling \(ceiling)")
        }
        backoff.reset()
        #expect(backoff.next() <= 0.5)
    }
}
