/// Pure learning policies over the catalogue, with no I/O: goal decomposition into tasks,
/// weekly scheduling into the learner's free time, timeline forecasts, mastery rules and
/// FSRS review scheduling. Everything here is deterministic for the same inputs.
public enum TutorLearning {}
