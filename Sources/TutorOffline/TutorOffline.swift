/// The built-in offline model: a `ChatModel` that reads the learner's message with simple rules,
/// calls the tutor's tools by their ``ToolName`` and writes its answer from their results through
/// the `offline-*` templates. It depends on the model protocols and the tools' names and views,
/// not on how the tools work.
public enum TutorOffline {}
