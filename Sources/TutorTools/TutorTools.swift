/// The learner's application service (profile, goals, plans, reviews, placement), notes, study
/// jobs, the model prompts and the transcript store, over the domain targets and the store. The
/// tools the agent calls are in `TutorToolAdapters`, the offline model in `TutorOffline`.
public enum TutorTools {}
