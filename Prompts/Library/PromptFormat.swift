import Foundation

/// Helpers for the values put into templates, shared by the model prompts and the offline replies.
public enum PromptFormat {
    /// A template context without its nil values (an absent key is false in a section; a stored nil is not).
    public static func context(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }

    /// A number with at most one decimal, none when it is whole: "6", "7.5".
    public static func oneDecimal(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)
    }
}
