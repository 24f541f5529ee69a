/// Search over the learner's notes and the catalogue's text: ingest, chunking, an FTS5 BM25
/// index in the store, optional embeddings, hybrid fusion and citations. ``NotesIndex`` is the
/// entry point.
public enum TutorRetrieval {}
