import Foundation
import Testing
import TutorTesting

@testable import TutorRetrieval

/// The main-content pass over HTML pages: what a learner finds in their passages after ingesting a
/// documentation site, a blog post or a saved page.
@Suite("HTML main content, titles and headings")
struct HTMLTextTests {
    /// A page shaped like Sphinx's output (Python's docs): a mobile menu, a sidebar with the table
    /// of contents, previous/next topics and "This Page", related bars, search boxes, a footer, and
    /// `¶` permalinks on every heading and definition.
    static let sphinxPage = """
        <!DOCTYPE html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <title>Coroutines and Tasks &#8212; Python 3.11.2 documentation</title>
            <script src="../_static/jquery.js"></script>
          </head>
        <body>
        <div class="mobile-nav">
            <nav class="nav-content" role="navigation">
                <form role="search" class="search" action="../search.html" method="get">
                    <input type="text" name="q" aria-label="Quick search"/>
                </form>
            </nav>
            <div class="menu-wrapper">
                <nav class="menu" role="navigation" aria-label="main navigation">
          <div>
            <h3><a href="../contents.html">Table of Contents</a></h3>
            <ul>
        <li><a class="reference internal" href="#">Coroutines and Tasks</a><ul>
        <li><a class="reference internal" href="#coroutines">Coroutines</a></li>
        </ul></li>
            </ul>
          </div>
                </nav>
            </div>
        </div>
            <div class="related" role="navigation" aria-label="related navigation">
              <h3>Navigation</h3>
              <ul>
                <li class="right"><a href="../genindex.html" title="General Index">index</a></li>
                <li class="right"><a href="../py-modindex.html" title="Python Module Index">modules</a> |</li>
                <li><a href="https://www.python.org/">Python</a> &#187;</li>
                <li class="nav-item nav-item-1"><a href="index.html" >The Python Standard Library</a> &#187;</li>
              </ul>
            </div>
            <div class="document">
              <div class="documentwrapper">
                <div class="bodywrapper">
                  <div class="body" role="main">
          <section id="coroutines-and-tasks">
        <h1>Coroutines and Tasks<a class="headerlink" href="#coroutines-and-tasks" title="Permalink to this heading">¶</a></h1>
        <p>This section outlines high-level asyncio APIs to work with coroutines and Tasks.</p>
        <nav class="contents local" id="contents">
        <ul class="simple"><li><p><a class="reference internal" href="#coroutines" id="id1">Coroutines</a></p></li></ul>
        </nav>
        <section id="running-tasks-concurrently">
        <h2><a class="toc-backref" href="#id7" role="doc-backlink">Running Tasks Concurrently</a><a class="headerlink" href="#running-tasks-concurrently" title="Permalink to this heading">¶</a></h2>
        <dl class="py function">
        <dt class="sig sig-object py" id="asyncio.gather">
        <span class="pre">asyncio.</span><span class="pre">gather</span>(<em>*aws</em>, <em>return_exceptions=False</em>)<a class="headerlink" href="#asyncio.gather" title="Permalink to this definition">¶</a></dt>
        <dd><p>Run <a class="reference internal" href="#asyncio-awaitables"><span>awaitable objects</span></a> in the <em>aws</em>
        sequence <em>concurrently</em>.</p>
        <div class="highlight-python3 notranslate"><div class="highlight"><pre><span></span><span class="kn">import</span> asyncio

        <span class="c1"># a comment, not a heading</span>
        <span class="k">async</span> def main():
            await asyncio.gather(a(), b())
        </pre></div>
        </div>
        </dd></dl>
        </section>
        </section>
                  <div class="clearer"></div>
                </div>
              </div>
            </div>
              <div class="sphinxsidebar" role="navigation" aria-label="main navigation">
                <div class="sphinxsidebarwrapper">
          <div>
            <h4>Previous topic</h4>
            <p class="topless"><a href="asyncio-runner.html" title="previous chapter">Runners</a></p>
          </div>
          <div role="note" aria-label="source link">
            <h3>This Page</h3>
            <ul class="this-page-menu">
              <li><a href="../bugs.html">Report a Bug</a></li>
              <li><a href="../_sources/library/asyncio-task.rst.txt" rel="nofollow">Show Source</a></li>
            </ul>
          </div>
                </div>
              </div>
            <div class="footer">
            &copy; <a href="../copyright.html">Copyright</a> 2001-2026, Python Software Foundation.
            </div>
          </body>
        </html>
        """

    @Test("a Sphinx page keeps its content and loses its sidebars, navigation, footer and permalinks")
    func sphinxPage() {
        let text = HTMLText.extract(Self.sphinxPage)
        #expect(text.title == "Coroutines and Tasks")
        #expect(text.lines.first == "# Coroutines and Tasks")
        #expect(text.lines.contains("## Running Tasks Concurrently"))
        #expect(text.lines.contains("asyncio.gather(*aws, return_exceptions=False)"))
        #expect(text.lines.contains("Run awaitable objects in the aws sequence concurrently."))
        let all = text.lines.joined(separator: "\n")
        for furniture in [
            "Table of Contents", "Navigation", "Previous topic", "This Page", "Report a Bug", "Show Source", "modules", "»", "Copyright",
            "¶",
        ] {
            #expect(!all.contains(furniture), "'\(furniture)' is site furniture")
        }
        // Code keeps its lines, fenced, so its comment is not a heading.
        let fence = try! #require(text.lines.firstIndex(of: "```"))
        #expect(text.lines[fence + 1] == "import asyncio")
        #expect(text.lines.contains("# a comment, not a heading"))
        let chunks = Chunker().chunks(text, kind: .html)
        #expect(chunks.allSatisfy { !$0.heading.contains("a comment") })
        // Lines still point into the page.
        let index = try! #require(text.lines.firstIndex(of: "## Running Tasks Concurrently"))
        #expect(Self.sphinxPage.split(separator: "\n", omittingEmptySubsequences: false)[text.sourceLines[index] - 1].contains("<h2>"))
    }

    @Test("titles drop a site suffix, prefer <title>, fall back to the first <h1>")
    func titles() {
        func title(_ html: String) -> String? { HTMLText.extract(html).title }
        #expect(
            title("<title>asyncio — Asynchronous I/O — Python 3.11.2 documentation</title><h1>asyncio — Asynchronous I/O</h1>")
                == "asyncio — Asynchronous I/O")
        #expect(
            title("<title>Array.prototype.map() - JavaScript | MDN</title><main><h1>Array.prototype.map()</h1><p>x</p></main>")
                == "Array.prototype.map()")
        #expect(title("<title>Installation — Foo 2.0 docs</title><p>No heading here.</p>") == "Installation")
        #expect(title("<title>Pros and cons - a list</title><p>text</p>") == "Pros and cons - a list", "not a site name: kept whole")
        #expect(title("<html><body><h1>Only a heading</h1><p>text</p></body></html>") == "Only a heading")
        #expect(
            title("<title>Index &#8212; Python 3.11.2 documentation</title><div role=main><h1>Index – A</h1><p>a</p></div>") == "Index – A")
        #expect(title("<p>No title, no heading.</p>") == nil)
    }

    @Test("permalink anchors of other generators leave headings clean, and a real # stays")
    func permalinks() {
        let html = """
            <article>
            <h2 id="setup"><a class="header-anchor" href="#setup">#</a> Setup</h2>
            <h2 id="use">Use <a href="#use" class="anchor">🔗</a></h2>
            <h2 id="c">Learning C#</h2>
            <h3>Intro§<a href="#intro">§</a></h3>
            <p>Body text that is long enough to be the content of this article.</p>
            </article>
            """
        let lines = HTMLText.extract(html).lines
        #expect(lines.contains("## Setup"))
        #expect(lines.contains("## Use"))
        #expect(lines.contains("## Learning C#"))
        #expect(lines.contains("### Intro§"), "a glyph that is text, not a link, stays")
    }

    @Test("menus of links are dropped, but a page that is only links keeps them")
    func linkDensity() {
        let article = """
            <body><div class="menu"><ul><li><a href="/a">Home</a></li><li><a href="/b">Blog</a></li><li><a href="/c">About us</a></li></ul></div>
            <p>See <a href="/x">the guide</a> for the details of how the cache is invalidated after a write.</p>
            <ul><li>First point, written out in full.</li><li>Second point, with <a href="/y">a link</a> inside it.</li></ul></body>
            """
        let lines = HTMLText.extract(article).lines
        #expect(!lines.contains("Home") && !lines.contains("About us"))
        #expect(lines.contains("See the guide for the details of how the cache is invalidated after a write."))
        #expect(lines.contains("Second point, with a link inside it."))

        let bookmarks = """
            <!DOCTYPE NETSCAPE-Bookmark-file-1><TITLE>Bookmarks</TITLE><H1>Bookmarks</H1>
            <DL><p><DT><A HREF="https://docs.python.org/3/library/asyncio.html">asyncio docs</A>
            <DT><A HREF="https://sqlite.org/fts5.html">SQLite FTS5</A></DL><p>
            """
        let kept = HTMLText.extract(bookmarks).lines
        #expect(kept.contains("asyncio docs") && kept.contains("SQLite FTS5"))
    }

    @Test("malformed HTML: unclosed and stray tags, bare <, unterminated quotes and comments")
    func malformed() {
        let html = """
            <html><body><main>
            <p>First paragraph<p>Second paragraph</b></i></span>
            <ul><li>one<li>two</ul>
            <p>3 < 4 and 5 > 2 &amp; &unknown; &#xZZ;</p>
            <table><tr><td>cell a<td>cell b<tr><td>cell c</table>
            <div>closed late</main></div>
            <p>after main
            <!-- never closed
            <p>hidden by the comment
            """
        let lines = HTMLText.extract(html).lines
        #expect(lines.contains("First paragraph"))
        #expect(lines.contains("Second paragraph"))
        #expect(lines.contains("one") && lines.contains("two"))
        #expect(lines.contains("3 < 4 and 5 > 2 & &unknown; &#xZZ;"))
        #expect(lines.contains("cell a cell b"))
        #expect(lines.contains("cell c"))
        #expect(!lines.joined().contains("hidden by the comment"))

        let brokenAttribute = "<p class=\"x>Text after an unclosed quote</p><h1>Later</h1><p>More text.</p>"
        _ = HTMLText.extract(brokenAttribute)  // must not crash or loop
    }

    @Test("hostile pages stay linear: deep nesting, thousands of stray end tags, one huge line")
    func hostile() async {
        await onOwnThread {
            let depth = 5_000
            let nested = String(repeating: "<div><span>", count: depth) + "deep text" + String(repeating: "</span></div>", count: depth)
            #expect(HTMLText.extract(nested).lines.contains("deep text"))

            let stray = "<main><p>kept</p>" + String(repeating: "</li></td></a></div>", count: 10_000) + "<p>still kept</p></main>"
            let lines = HTMLText.extract(stray).lines
            #expect(lines.contains("kept") && lines.contains("still kept"))

            let unclosed = String(repeating: "<li><a href='#x'>item ", count: 5_000)
            #expect(!HTMLText.extract(unclosed).lines.isEmpty)
        }
    }
}
