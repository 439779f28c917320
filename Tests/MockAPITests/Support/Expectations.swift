import Testing

/// Checks a failure: HTTP status, the documented envelope, our error code, and that the message names `mentions`.
func expectFailure(
    _ response: TestResponse, status: Int, code: Int, mentions: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "status \(response.status): \(response.text)", sourceLocation: sourceLocation)
    #expect(response.isFailureEnvelope, "not the failure envelope: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.errorCode == code, "code \(String(describing: response.errorCode)): \(response.text)", sourceLocation: sourceLocation)
    if let mentions {
        #expect(response.errorMessage.contains(mentions), "message '\(response.errorMessage)' should mention '\(mentions)'", sourceLocation: sourceLocation)
    }
}

/// Error codes as documented in docs/mock-api.md.
enum Code {
    static let malformedJSON = 1001
    static let missingField = 1002
    static let wrongType = 1003
    static let invalidValue = 1004
    static let invalidQuery = 1005
    static let notFound = 1006
    static let conflict = 1007
    static let methodNotAllowed = 1008
    static let bodyTooLarge = 1009
    static let unauthenticated = 1010
    static let forbidden = 1011
    static let unknownRoute = 1012
}
