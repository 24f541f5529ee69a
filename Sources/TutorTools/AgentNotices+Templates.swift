import TutorAgent
import TutorModel
import TutorPrompts

extension AgentNotices {
    /// The notices from the bundled templates, without user overrides.
    public static let bundled = AgentNotices(library: .bundled)

    /// The notices rendered from `library`'s `notice-*` templates (see `Prompts/README.md`).
    public init(library: PromptLibrary) {
        let shortened = library.render("notice-shortened")
        let overflow = library.render("notice-overflow")
        self.init(
            heldChangeNotMade: { library.render("notice-held-not-made", ["tools": $0.joined(separator: ", ")]) },
            heldForConfirmation: { library.render("notice-held", ["calls": $0]) },
            resultsShortened: shortened,
            overflowRetried: overflow,
            smallWindow: { library.render("notice-small-window", ["limit": $0, "toolTokens": $1]) },
            incomplete: { reason, error in library.render("notice-incomplete", Self.incompleteContext(reason, error)) },
            stepLimit: { library.render("notice-step-limit", ["steps": $0]) },
            toolsNotRun: { library.render("notice-tools-not-run", ["tools": $0.joined(separator: ", ")]) },
            replyReplaced: library.render("notice-reply-replaced"),
            overflowNoRoom: { library.render("notice-overflow-no-room", ["limit": $0]) },
            toolsNotRendered: library.render("notice-no-tools"),
            modelNotListed: { model, listed in
                let shown = listed.prefix(10).joined(separator: ", ") + (listed.count > 10 ? ", …" : "")
                return library.render("notice-model-not-listed", ["model": model, "listed": shown])
            })
    }

    /// The `notice-incomplete` variables: which reason applies, and the error's code for a stall.
    static func incompleteContext(_ reason: FinishReason, _ error: LLMError?) -> [String: Any] {
        switch reason {
        case .length: ["length": true]
        case .contentFilter: ["contentFilter": true]
        default: error.map { ["stalled": true, "error": $0.code.rawValue] } ?? ["ended": true]
        }
    }
}
