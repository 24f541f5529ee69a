/// The tutor's tools for the agent: each declared once (``ToolName``, ``TutorTool``), a thin,
/// schema-checked call into the application services, registered in one place
/// (``LearnerTools/registry(_:notes:quizWriter:)``). A new tool is a new file here.
public enum TutorToolAdapters {}
