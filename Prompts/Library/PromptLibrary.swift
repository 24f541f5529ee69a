import Foundation
import Mustache

/// The tutor's prompts and canned replies, as Mustache templates.
///
/// Every `*.mustache` file in the repository's `Prompts/` folders is built into the binary as a template named after its file (`system.mustache` is
/// `system`). A file of the same name in the user's prompt folder (see ``overrideDirectory(environment:)``)
/// replaces the bundled one. An override that cannot be read or does not parse is skipped, the bundled
/// template stays in use, and ``warnings`` says why, so the daemon can log it.
///
/// Templates render as plain text: values are never HTML-escaped, whether written `{{name}}` or
/// `{{{name}}}`. Templates may include each other as partials (`{{> offline-help}}`), and the rendered
/// text loses its trailing newlines.
public struct PromptLibrary: Sendable {
    /// Where a template came from.
    public enum Origin: Sendable, Equatable {
        case bundled
        case override(path: String)
    }

    /// Problems met while loading, one sentence each (unreadable or broken overrides, unknown names).
    public let warnings: [String]
    /// The folder overrides were read from, if any.
    public let overrideDirectory: String?
    private let library: MustacheLibrary
    private let origins: [String: Origin]

    /// The bundled templates alone, with no user overrides.
    public static let bundled = PromptLibrary(overrideDirectory: nil)

    /// Loads every bundled template, then the overrides in `overrideDirectory` (a missing folder is fine).
    public init(overrideDirectory: String?) {
        var warnings: [String] = []
        var library = MustacheLibrary()
        var origins: [String: Origin] = [:]
        for (name, text) in Self.bundledTemplates {
            if origins[name] != nil {
                warnings.append("two bundled prompts are named \(name).mustache; the first is used")
                continue
            }
            do {
                library.register(try Self.parse(text), named: name)
                origins[name] = .bundled
            } catch {
                warnings.append("the bundled prompt \(name).mustache is broken: \(Self.describe(error))")
            }
        }
        if let overrideDirectory {
            for (name, path) in Self.templateFiles(in: overrideDirectory) {
                do {
                    library.register(try Self.load(path), named: name)
                    if origins[name] == nil {
                        warnings.append(
                            "the prompt override \(path) does not replace a bundled template (there is no '\(name)'); "
                                + "it is only available as a partial")
                    }
                    origins[name] = .override(path: path)
                } catch {
                    let fallback = origins[name] == nil ? "it is ignored" : "using the bundled \(name).mustache instead"
                    warnings.append("the prompt override \(path) was not used: \(Self.describe(error)); \(fallback)")
                }
            }
        }
        self.warnings = warnings
        self.overrideDirectory = overrideDirectory
        self.library = library
        self.origins = origins
    }

    /// The names of all loaded templates, sorted.
    public var names: [String] { origins.keys.sorted() }

    /// Where the template `name` came from, or nil when there is no such template.
    public func origin(of name: String) -> Origin? { origins[name] }

    /// Renders the template `name` with `context` (string keys; values are strings, numbers, booleans,
    /// nested dictionaries or arrays of them). Leave a key out rather than storing nil: an absent key is
    /// false in a section, while a stored optional is not.
    public func render(_ name: String, _ context: [String: Any] = [:]) -> String {
        guard var text = library.render(context, withTemplate: name) else { return "[no prompt template named '\(name)']" }
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }

    /// The folder of user overrides: `$TUTOR_CONFIG`'s folder + `/prompts` when TUTOR_CONFIG is set,
    /// else `$XDG_CONFIG_HOME/tutor/prompts`, else `~/.config/tutor/prompts`.
    public static func overrideDirectory(environment: [String: String]) -> String {
        func nonEmpty(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        if let config = nonEmpty("TUTOR_CONFIG") {
            let folder = (config as NSString).deletingLastPathComponent
            if folder.isEmpty { return "prompts" }
            return folder.hasSuffix("/") ? folder + "prompts" : folder + "/prompts"
        }
        let configHome = nonEmpty("XDG_CONFIG_HOME") ?? (nonEmpty("HOME") ?? "/tmp") + "/.config"
        return configHome + "/tutor/prompts"
    }

    // MARK: Loading

    /// Sets the content type to plain text before the template's own first line (the pragma line is
    /// standalone, so it leaves no blank line behind).
    private static let plainText = "{{% CONTENT_TYPE: TEXT }}\n"

    /// The templates built into the binary from `Prompts/Model`, `Prompts/Messages` and
    /// `Prompts/Offline`, as (name, text): the folder only sorts them, the file name is the name.
    static var bundledTemplates: [(name: String, text: String)] {
        EmbeddedResources.files.compactMap { file in
            guard file.path.hasSuffix(".mustache") else { return nil }
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            return (String(name.dropLast(".mustache".count)), file.text)
        }
    }

    /// The `*.mustache` files directly in `folder`, as (template name, path), sorted by name.
    static func templateFiles(in folder: String) -> [(name: String, path: String)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return entries.filter { $0.hasSuffix(".mustache") && !$0.hasPrefix(".") }.sorted().map { entry in
            (String(entry.dropLast(".mustache".count)), (folder as NSString).appendingPathComponent(entry))
        }
    }

    static func load(_ path: String) throws -> MustacheTemplate {
        try parse(try String(contentsOfFile: path, encoding: .utf8))
    }

    static func parse(_ text: String) throws -> MustacheTemplate {
        // Parse the text as written first, so that errors point at the author's own lines.
        _ = try MustacheTemplate(string: text)
        return try MustacheTemplate(string: plainText + text)
    }

    static func describe(_ error: any Error) -> String {
        if let parse = error as? MustacheTemplate.ParserError {
            let line = parse.context.line.trimmingCharacters(in: .whitespaces)
            let near = line.isEmpty ? "" : " near \"\(line.prefix(60))\""
            return "it does not parse (line \(parse.context.lineNumber), column \(parse.context.columnNumber): \(parse.error))\(near)"
        }
        if let cocoa = error as? CocoaError, cocoa.code == .fileReadInapplicableStringEncoding {
            return "it is not UTF-8 text"
        }
        return "it cannot be read (\(error.localizedDescription))"
    }
}
