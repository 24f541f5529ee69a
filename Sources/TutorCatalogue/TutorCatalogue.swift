/// The AI-engineer roadmap as data: five stages, the skills of each, portfolio projects and
/// tracks for three backgrounds, kept as human-editable JSON in `Resources/Catalogue`.
///
/// ``Catalogue`` loads and validates that data (``Catalogue/bundled()``, or any folder with
/// ``Catalogue/load(directory:)``), reporting every problem at once as a ``CatalogueError``. It
/// answers lookups that follow skill renames through aliases, graph queries (prerequisite closure,
/// topological and track order) and free-text search. Pure: no I/O beyond reading catalogue files.
public enum TutorCatalogue {}
