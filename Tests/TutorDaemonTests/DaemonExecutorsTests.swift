import Testing
import TutorStore

@testable import TutorDaemon

@Suite("DaemonExecutors")
struct DaemonExecutorsTests {
    @Test func eachSwitchIsReadFromItsOwnVariableAndOnlyZeroOrOneCount() {
        let both = DaemonExecutors(environment: ["TUTORD_STORE_EXECUTOR": "1", "TUTORD_NIO_GLOBAL_EXECUTOR": "1"])
        #expect(both.storeExecutor && both.eventLoopsAsGlobalExecutor)
        #expect(both.store === StoreExecutor.shared)
        let neither = DaemonExecutors(environment: ["TUTORD_STORE_EXECUTOR": "0", "TUTORD_NIO_GLOBAL_EXECUTOR": "0"])
        #expect(!neither.storeExecutor && !neither.eventLoopsAsGlobalExecutor)
        #expect(neither.store == nil)
        let defaults = DaemonExecutors()
        let unset = DaemonExecutors(environment: ["TUTORD_STORE_EXECUTOR": "yes"])
        #expect(unset.storeExecutor == defaults.storeExecutor)
        #expect(unset.eventLoopsAsGlobalExecutor == defaults.eventLoopsAsGlobalExecutor)
    }
}
