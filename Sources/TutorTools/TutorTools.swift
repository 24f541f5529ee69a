/// The tutor's tools for the agent (catalogue, progress, plans, retrieval, reviews) over the
/// domain targets and the store, and the built-in offline model that answers when no endpoint
/// is configured.
public enum TutorTools {}
