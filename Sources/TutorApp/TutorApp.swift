/// The application layer: one service per kind of record the learner owns (profile, goals and tasks,
/// plans and forecasts, reviews and quizzes, placement, catalogue, export, notes), the scheduled jobs
/// behind one ``Job`` protocol, one ``AppContext`` they share, and one ``AppError`` they throw.
///
/// The daemon's methods and the agent's tools call these services; nothing above this layer reads
/// or writes the store through a service.
public enum TutorApp {}
