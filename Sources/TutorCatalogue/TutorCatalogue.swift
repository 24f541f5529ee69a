/// The AI-engineer roadmap as data: stages, skills, tracks and portfolio projects, kept as
/// human-editable JSON in `Resources/Catalogue`, with graph queries (prerequisite closure,
/// topological order) and search over it. Pure: no I/O beyond reading its own resources.
///
/// The data files land first; the loader, validation and graph queries arrive with the
/// catalogue issue.
public enum TutorCatalogue {}
