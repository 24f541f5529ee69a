import Foundation
import PackagePlugin

/// Embeds a target's text resources (`*.json` and `*.mustache` anywhere under the target's folder) in
/// its code, as an internal `EmbeddedResources.files` table of (path, text), so that an installed
/// binary needs neither the build folder nor files beside it.
///
/// SwiftPM's own `.embedInCode` writes each byte as an integer literal, which takes minutes to
/// type-check in a debug build for the few hundred kilobytes the catalogue and prompts hold; raw
/// string literals compile in well under a second.
@main
struct EmbedResources: BuildToolPlugin {
    static let extensions: Set<String> = ["json", "mustache"]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let root = target.directoryURL.standardizedFileURL
        let files = try Self.resources(under: root)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedResources.swift")
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let relative = files.map { String($0.standardizedFileURL.path.dropFirst(rootPath.count)) }
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) resources in \(target.name)",
                executable: try context.tool(named: "tutor-embed").url,
                arguments: [root.path, output.path] + relative,
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }

    /// The embeddable files below `root`, sorted by path, skipping hidden entries and build folders.
    static func resources(under root: URL) throws -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var found: [URL] = []
        for case let url as URL in walker where extensions.contains(url.pathExtension) {
            if try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }
}
