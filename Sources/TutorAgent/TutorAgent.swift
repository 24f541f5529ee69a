/// The agent loop: the `Tool` protocol and registry, one `AgentSession` actor per chat, the
/// context window (token estimates, budgets, compaction) and the prompt library. It knows no
/// tutoring; tools and prompts bring that in.
public enum TutorAgent {}
