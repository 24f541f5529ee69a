import TutorPrompts

/// The name ``ModelPrompts`` still calls the template helpers by (they lived with the offline
/// replies, now in `TutorOffline`); they are ``PromptFormat``'s. Drop this alias once its calls
/// say `PromptFormat`.
typealias OfflineReplies = PromptFormat
