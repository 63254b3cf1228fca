//! Tests for `smithy_codegen::docs::html_to_markdown`.

use smithy_codegen::docs::html_to_markdown;
use std::path::{Path, PathBuf};

#[track_caller]
fn check(html: &str, expected: &str) {
    let actual = html_to_markdown(html);
    assert_eq!(
        actual, expected,
        "\ninput:    {html:?}\nexpected: {expected:?}\nactual:   {actual:?}\n"
    );
}

// ---------------------------------------------------------------------------
// Basics
// ---------------------------------------------------------------------------

#[test]
fn empty_and_whitespace_only() {
    check("", "");
    check("   \n\t  ", "");
    check("<p></p>", "");
    check("<p>  \n </p><p></p>", "");
    check("<ul><li> </li></ul>", "");
    check("<note></note>", "");
    check("<b> </b>", "");
}

#[test]
fn plain_text() {
    check("Just some text.", "Just some text.");
    check(
        "  Plain text\n   spanning   lines\n\n with gaps  ",
        "Plain text spanning lines with gaps",
    );
}

#[test]
fn paragraphs() {
    check("<p>One.</p><p>Two.</p>", "One.\n\nTwo.");
    check(
        "<p>\n           First paragraph\n           continues here.\n        </p>\n\n         <p>Second</p>",
        "First paragraph continues here.\n\nSecond",
    );
    check("Text before<p>para</p>text after", "Text before\n\npara\n\ntext after");
    check("<div>a</div><div>b</div>", "a\n\nb");
    check("<p>a<p>b</p>", "a\n\nb");
}

#[test]
fn line_breaks() {
    check("a<br>b", "a\\\nb");
    check("a<br/>b<br />c", "a\\\nb\\\nc");
    check("a <br> b", "a\\\nb");
    check("a<br><br>b", "a\n\nb");
    check("<br>a<br>", "a");
    check("a</br>b", "a\\\nb");
}

#[test]
fn fullname_is_a_paragraph() {
    check(
        "<fullname>RDS Data API</fullname>\n <p>Amazon RDS provides an HTTP endpoint.</p>",
        "RDS Data API\n\nAmazon RDS provides an HTTP endpoint.",
    );
}

// ---------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------

#[test]
fn unordered_list() {
    check(
        "<p>Items:</p>\n<ul>\n  <li>\n    <p>First</p>\n  </li>\n  <li><p>Second\n   item</p></li>\n</ul>",
        "Items:\n\n- First\n- Second item",
    );
}

#[test]
fn ordered_list() {
    check("<ol><li>a</li><li>b</li><li>c</li></ol>", "1. a\n2. b\n3. c");
}

#[test]
fn nested_lists() {
    check("<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>", "- a\n  - b\n  - c\n- d");
    check(
        "<ol><li>a<ol><li>b</li></ol></li><li>c<ul><li>d</li></ul></li></ol>",
        "1. a\n   1. b\n2. c\n   - d",
    );
    check("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>", "- a\n  - b\n    - c");
}

#[test]
fn lists_nested_past_the_bound_become_paragraphs() {
    // Eight levels of lists (`MAX_LIST_DEPTH`); deeper items are paragraphs
    // of the innermost item, so indentation stays bounded.
    check(&("<ul><li>".repeat(10) + "x<li>y"), "- - - - - - - - x\n\n                y");
    check(
        &("<ol><li>a".repeat(9) + "<dl><dt>t<dd>d</dl>"),
        "1. a\n   1. a\n      1. a\n         1. a\n            1. a\n               1. a\n                  1. a\n                     1. a\n\n                        a\n\n                        **t**\n\n                        d",
    );
}

#[test]
fn list_item_with_multiple_paragraphs_is_loose() {
    check("<ul><li><p>a</p><p>more a</p></li><li><p>b</p></li></ul>", "- a\n\n  more a\n\n- b");
}

#[test]
fn list_item_with_line_break() {
    check("<ul><li>a<br>b</li></ul>", "- a\\\n  b");
    check("<ol><li>a<br>b</li></ol>", "1. a\\\n   b");
}

#[test]
fn list_after_text_and_text_after_list() {
    check("before<ul><li>x</li></ul>after", "before\n\n- x\n\nafter");
}

#[test]
fn unclosed_list_items() {
    check("<ul><li>a<li>b</ul>", "- a\n- b");
    check("<ul><li>a<li>b", "- a\n- b");
}

#[test]
fn stray_content_in_lists() {
    // A nested list directly inside `<ul>` joins the previous item.
    check("<ul><li>a</li><ul><li>b</li></ul></ul>", "- a\n  - b");
    check("<ul>text</ul>", "- text");
    check("<li>alone</li>", "- alone");
}

#[test]
fn ten_or_more_ordered_items() {
    let html: String = (1..=10).map(|i| format!("<li>i{i}<br>x</li>")).collect::<Vec<_>>().join("");
    let md = html_to_markdown(&format!("<ol>{html}</ol>"));
    assert!(md.contains("9. i9\\\n   x"), "{md}");
    assert!(md.contains("10. i10\\\n    x"), "{md}");
}

// ---------------------------------------------------------------------------
// AWS-specific and other blocks
// ---------------------------------------------------------------------------

#[test]
fn note_and_important() {
    check("<p>Text.</p><note><p>Be careful.</p></note>", "Text.\n\n**Note:** Be careful.");
    check(
        "<important>\n <p>\n <b>Deprecated</b>. Use <code>InvokedBy</code> instead.</p>\n </important>",
        "**Important:** **Deprecated**. Use `InvokedBy` instead.",
    );
    check("<note><p>one</p><p>two</p></note>", "**Note:** one\n\ntwo");
    check("<note><ul><li>x</li></ul></note>", "**Note:**\n\n- x");
    check("<ul><li><p>a</p><note><p>n</p></note></li></ul>", "- a\n\n  **Note:** n");
}

#[test]
fn definition_list() {
    check(
        "<dl>\n<dt>SENT</dt>\n<dd>\n<p>Message processed successfully</p>\n</dd>\n<dt>PENDING</dt><dd><p>Ongoing</p></dd></dl>",
        "- **SENT**: Message processed successfully\n- **PENDING**: Ongoing",
    );
    check("<dl><dt>T</dt></dl>", "- **T**");
    check("<dl><dd>only def</dd></dl>", "- only def");
    check("<dl><dt>T</dt><dd>d1</dd><dd>d2</dd></dl>", "- **T**: d1\n\n  d2");
    check("<dl><dt>A<dd>a<dt>B<dd>b</dl>", "- **A**: a\n- **B**: b");
}

#[test]
fn headings_become_bold_paragraphs() {
    check("<h1>Title</h1><p>x</p>", "**Title**\n\nx");
    check("<h3> Sub <b>title</b> </h3>", "**Sub title**");
    check("<h2># not a heading</h2>", "**# not a heading**");
    check("<h2></h2>", "");
}

#[test]
fn pre_blocks() {
    check(
        "<p>Example:</p><pre><code>{\n  \"a\": [1, 2],\n  \"b\": \"&lt;x&gt;\"\n}</code></pre>",
        "Example:\n\n```text\n{\n  \"a\": [1, 2],\n  \"b\": \"<x>\"\n}\n```",
    );
    // Leading newline after <pre> is dropped, indentation kept.
    check("<pre>\n    indented\n  less</pre>", "```text\n    indented\n  less\n```");
    // Fence longer than any backtick run in the content.
    check("<pre>a ``` b</pre>", "````text\na ``` b\n````");
    check("<pre>   \n\n </pre>", "");
    check(
        "<ul><li>x<pre>code\n  more</pre></li></ul>",
        "- x\n\n  ```text\n  code\n    more\n  ```",
    );
    check("<pre>a\n\n\n\nb   </pre>", "```text\na\n\nb\n```");
}

// ---------------------------------------------------------------------------
// Inline formatting
// ---------------------------------------------------------------------------

#[test]
fn code_spans() {
    check("Use <code>Foo</code>.", "Use `Foo`.");
    check("<code> spaced </code>x", "`spaced` x");
    check("a <code>x`y</code> b", "a ``x`y`` b");
    check("<code>`start</code>", "`` `start ``");
    check("<code>``</code>", "``` `` ```");
    check("<code>a\n   b</code>", "`a b`");
    check("<code></code>", "");
    check("<code>[a]&lt;b&gt;*_</code>", "`[a]<b>*_`");
    check(
        "Pattern: <code>[-_&@+=,(){}\\[\\]\\/«».:|'\"#a-zA-Z0-9À-ÿ\\s]*</code>\n </p>",
        "Pattern: `[-_&@+=,(){}\\[\\]\\/«».:|'\"#a-zA-Z0-9À-ÿ\\s]*`",
    );
    // Adjacent code elements merge into one span.
    check("<code>a</code><code>b</code>", "`ab`");
    check("<code>a</code> <code>b</code>", "`a` `b`");
    // Markup inside code is flattened to text.
    check("<code>get<i>Name</i></code>", "`getName`");
}

#[test]
fn emphasis() {
    check("<i>x</i> and <em>y</em>", "*x* and *y*");
    check("<b>x</b> and <strong>y</strong>", "**x** and **y**");
    check("<b> Introduction </b>", "**Introduction**");
    check("a<b> b </b>c", "a **b** c");
    check("<b></b>x<i> </i>y", "x y");
    check("<i> <b>Both</b> </i>", "***Both***");
    check("<b><b>x</b></b>", "**x**");
    check("<b>a</b><b>b</b>", "**ab**");
    check("<b>a *star*</b>", "**a \\*star\\***");
}

#[test]
fn links() {
    check(
        "See <a href=\"https://example.com/x\">the docs</a>.",
        "See [the docs](https://example.com/x).",
    );
    // Relative and missing hrefs keep the text only.
    check("<a href=\"/relative/path\">Relative</a>", "Relative");
    check("<a href=\"#anchor\">Anchor</a>", "Anchor");
    check("Call <a>StartSession</a> first", "Call StartSession first");
    // Whitespace inside href is removed / encoded.
    check(
        "<a href=\"\n   https://example.com/a\n   b.html \">x</a>",
        "[x](https://example.com/ab.html)",
    );
    check("<a href=\"https://example.com/a b(c)\">x</a>", "[x](https://example.com/a%20b%28c%29)");
    // Empty link text becomes an autolink; text equal to the URL too.
    check("<a href=\"https://example.com\"></a>", "<https://example.com>");
    check("<a href=\"https://example.com/a\">https://example.com/a</a>", "<https://example.com/a>");
    check(
        "<a href=\"mailto:someone@example.com\">mail us</a>",
        "[mail us](mailto:someone@example.com)",
    );
    check("<a href=\"https://x.io\"><code>Foo</code></a>", "[`Foo`](https://x.io)");
    check("<a href=\"https://x.io\"> spaced </a>end", "[spaced](https://x.io) end");
    check("<a href=\"https://x.io\">[x]</a>", "[\\[x\\]](https://x.io)");
    check("<a href=\"ftp://x.io\">ftp</a>", "ftp");
    check("<a href='https://x.io/?a=1&amp;b=2'>q</a>", "[q](https://x.io/?a=1&b=2)");
    check("<a href=\"https://x.io/?a&amp;lt;\">q</a>", "[q](https://x.io/?a&amp;lt;)");
    check("<a href=\"https://x.io\">a <a href=\"https://y.io\">b</a></a>", "[a b](https://x.io)");
}

#[test]
fn bare_urls_are_autolinked() {
    check("See https://example.com/path.", "See <https://example.com/path>.");
    check(
        "The endpoint will be of the form https://{api-id}.execute-api.{region}.amazonaws.com/{stage}, or will be",
        "The endpoint will be of the form <https://{api-id}.execute-api.{region}.amazonaws.com/{stage}>, or will be",
    );
    check("(see http://x.io/a)", "(see <http://x.io/a>)");
    check("http://x.io/wiki/A_(b)", "<http://x.io/wiki/A_(b)>");
    check("just https:// alone", "just https:// alone");
    check("xhttps://x.io", "x<https://x.io>");
    check("HTTPS://X.IO/A;", "<HTTPS://X.IO/A>;");
    check(
        "url https://x.io/?a&amp;copy;b end",
        "url [https://x.io/?a&amp;copy;b](https://x.io/?a&amp;copy;b) end",
    );
    check("x https://x.io/?a&amp;copy; y", "x <https://x.io/?a&copy>; y");
}

// ---------------------------------------------------------------------------
// Entities and escaping
// ---------------------------------------------------------------------------

#[test]
fn entities() {
    check("a &lt; b &gt; c", "a \\< b \\> c");
    check("&quot;q&quot; &apos;s&apos;", "\"q\" 's'");
    check("Tom &amp; Jerry", "Tom & Jerry");
    check("a&nbsp;b", "a\u{a0}b");
    check("&#65;&#x42;&#X43;", "ABC");
    check("&#65 x", "A x");
    check("&#0;&#xD800;&#99999999999;", "\u{fffd}\u{fffd}\u{fffd}");
    check("&unknown; & &", "&amp;unknown; & &amp;");
    check("AT&T", "AT&amp;T");
    check("&amp;lt;", "&amp;lt;");
    check("a &", "a &amp;");
}

#[test]
fn named_character_references() {
    // Names the former hand-written table (23 names) knew, and many it did not.
    check("&hellip; &rsquo;s &ndash; &copy; &trade;", "… ’s – © ™");
    check("&notin; &alpha;&beta; &rarr; &le; &frac12;", "∉ αβ → ≤ ½");
    // A name may stand for two code points.
    check("&NotEqualTilde;", "\u{2242}\u{338}");
    // Names are case-sensitive: `&AMP;` is one, `&Amp;` is not.
    check("&AMP; &Amp;", "& &amp;Amp;");
    // The legacy names HTML also reads without `;` in text...
    check("&copy 2024 &amp", "© 2024 &amp;");
    check("&notit; &not", "¬it; ¬");
    // ...but not in an attribute value when `=` or a letter follows.
    check("<a href=\"https://x.io/?a=1&copy=2&not;x\">q</a>", "[q](https://x.io/?a=1&copy=2¬x)");
    check("&bogus; &hellipx;", "&amp;bogus; &amp;hellipx;");
}

#[test]
fn numeric_character_references() {
    check("&#8230;&#x2019;&#X2013;", "…’–");
    check("&#x1F600;", "\u{1F600}");
    // 0x80..0x9F are read as windows-1252, as browsers do.
    check("&#128;&#x9F;", "€Ÿ");
    check("&#1114112; &#xFFFFFFFFFF;", "\u{fffd} \u{fffd}");
    check("a&#x41", "aA");
    // No digits: not a reference.
    check("&#; &#x; &#xg;", "&amp;#; &amp;#x; &amp;#xg;");
    // A decoded `<` is text, never markup.
    check("&lt;b&gt; &#60;i&#62;", "\\<b\\> \\<i\\>");
}

#[test]
fn escaping_of_markdown_syntax() {
    check("a [b] c", "a \\[b\\] c");
    check("List<String> x", "List x");
    check("a < b > c", "a \\< b \\> c");
    check("2 * 3 * 4", "2 \\* 3 \\* 4");
    check("a_b _c_ d_", "a_b \\_c\\_ d\\_");
    check("back\\slash `tick`", "back\\\\slash \\`tick\\`");
    check("a | b ~ c", "a \\| b \\~ c");
    check("0-4194303/*.", "0-4194303/\\*.");
}

#[test]
fn line_start_escaping() {
    check("# not heading", "\\# not heading");
    check("- not list", "\\- not list");
    check("+ not list", "\\+ not list");
    check("1. not list", "1\\. not list");
    check("12) not list", "12\\) not list");
    check("3.5 GB", "3\\.5 GB");
    check("2024 was", "2024 was");
    check("===", "\\===");
    check("---", "\\---");
    check(": colon", "\\: colon");
    check("<p>a</p><p>- b</p>", "a\n\n\\- b");
    check("a<br>- b<br>1. c", "a\\\n\\- b\\\n1\\. c");
    check("<ul><li>- x</li></ul>", "- \\- x");
    check("<p>    four spaces</p>", "four spaces");
    check("x - y", "x - y");
}

// ---------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------

#[test]
fn malformed_markup() {
    check("<p>unclosed", "unclosed");
    check("<b>unclosed bold", "**unclosed bold**");
    check("a < b", "a \\< b");
    check("a <", "a \\<");
    check("<", "\\<");
    check("<<>>", "\\<\\<\\>\\>");
    check("</p>stray end", "stray end");
    // A tag or comment still open at the end of the input is dropped (HTML's
    // tokenizer; the former hand-written one kept them as text).
    check("x <a href=\"unterminated>y", "x");
    check("<p class=title>ok</p>", "ok");
    check("<p =x>ok</p>", "ok");
    check("a<!-- comment -->b", "ab");
    check("a<!-- unterminated", "a");
    check("<!DOCTYPE html>x", "x");
    check("<?xml version=\"1.0\"?>x", "x");
    // In HTML (outside SVG and MathML) `<![CDATA[` opens a bogus comment that
    // ends at the first `>`; the rest is markup.
    check("<![CDATA[<b>&amp;</b>]]>", "&\\]\\]\\>");
    check("<b><i>x</b></i>", "***x***");
    check("<unknown attr=\"1\">kept</unknown>", "kept");
    check("<script>var x = 1;</script>y", "y");
    check("a</>b", "ab");
    check("<1>", "\\<1\\>");
    check("<p>a</p></li></ul>b", "a\n\nb");
}

#[test]
fn unclosed_and_misnested_elements() {
    check("<b>bold <i>both", "**bold *both***");
    check("<a href=\"https://x.io\">x", "[x](https://x.io)");
    check("<code>x", "`x`");
    check("<pre>x", "```text\nx\n```");
    check("<ul><li>a<li>b<ol><li>c</ul>d", "- a\n- b\n  1. c\n\nd");
    check("<dl><dd>x<dt>t</dl>", "- x\n- **t**");
    check("<li>a</ul></li>b", "- a\n\nb");
    check("<p>a</div>b", "ab");
    check("a</b>c", "ac");
    check("<p>x</p >y", "x\n\ny");
    // `/>` ends an element (documentation is often XHTML-like)...
    check("<b a=\"x\"/>y", "y");
    check("<p>a<p/>b", "a\n\nb");
    // ...except where HTML reads the content as text.
    check("<script/>x</script>y", "y");
    // In an unquoted attribute value `/` is part of the value.
    check("<b a=x/>y", "**y**");
}

#[test]
fn attributes() {
    check("<A HREF=\"https://x.io\">X</A>", "[X](https://x.io)");
    // The first of duplicate attributes wins.
    check("<a href=\"https://a.io\" href=\"https://b.io\">x</a>", "[x](https://a.io)");
    check("<a title=\"t\" href=https://x.io/a>x</a>", "[x](https://x.io/a)");
    check("<a href=\"https://x.io\" <b>x</a>", "[x](https://x.io)");
}

#[test]
fn raw_text_elements() {
    check("<textarea><b>x</b></textarea>", "\\<b\\>x\\</b\\>");
    check("<title>T &amp; <b>x</b></title>", "T & \\<b\\>x\\</b\\>");
    check("<style>p { color: red }</style>text", "text");
    check("<script>if (a < b) { x(\"</p>\") }</script>y", "y");
}

#[test]
fn control_and_non_ascii() {
    check("a\u{0}b\u{7}c", "abc");
    check("über <b>ñ</b> 日本", "über **ñ** 日本");
    check("a\r\nb", "a b");
    check("<code>\u{1}x</code>", "`x`");
    // The dropped control character does not let `&` and `amp;` meet.
    check("&\u{0}amp; &\u{85}#65;", "&amp;amp; &amp;#65;");
}

#[test]
fn deep_nesting_does_not_overflow() {
    let html = "<b><i><div><ul><li>".repeat(5000) + "x";
    let md = html_to_markdown(&html);
    assert!(md.contains('x'));
    let html = "<ul><li>".repeat(200) + "deep";
    let md = html_to_markdown(&html);
    assert!(md.contains("deep"));
}

/// Runs `html_to_markdown` on a thread with a small stack: recursion that
/// followed the input's nesting instead of the bounded tree would overflow it.
fn convert_on_small_stack(html: String) -> String {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || html_to_markdown(&html))
        .expect("spawn")
        .join()
        .expect("conversion panicked")
}

#[test]
fn hostile_nesting_is_bounded() {
    // Every kind of element the renderer recurses into, 20,000 levels deep.
    let html = "<div><ul><li><ol><li><dl><dd><note><b><i><a href=\"https://x.io\"><code>"
        .repeat(20_000)
        + "deep";
    let md = convert_on_small_stack(html.clone());
    assert!(md.contains("deep"), "{md}");
    assert_eq!(invariant_violation(&md), None);
    // Lists nested past their bound are flattened: no line is indented more
    // than that many list markers ("- ", "1. ", at most "999. " here).
    let widest = md.lines().map(|l| l.len() - l.trim_start().len()).max().unwrap_or(0);
    assert!(widest <= 5 * smithy_codegen::docs::MAX_LIST_DEPTH, "indentation {widest}");
    let md = convert_on_small_stack("<pre>".repeat(50_000) + "x");
    assert_eq!(md, "```text\nx\n```");
    let md = convert_on_small_stack("<ul><li>".repeat(50_000) + "x" + &"</li></ul>".repeat(50_000));
    assert!(md.ends_with("- x"), "{md}");
}

/// Inputs that made the former engine quadratic (adjacent spans were
/// re-rendered on each addition), or that stress the tokenizer (markup that
/// never ends) and the tree builder (nesting past the bound).
fn hostile_inputs(bytes: usize) -> Vec<(&'static str, String)> {
    let repeat = |piece: &str| piece.repeat(bytes / piece.len() + 1);
    vec![
        ("adjacent code spans", repeat("<code>a</code>")),
        ("adjacent bold spans", repeat("<b>a</b>")),
        ("nesting", repeat("<div><b><ul><li>x ")),
        ("list items at the depth bound", "<ul><li>".repeat(60) + &repeat("<li>x")),
        ("unclosed tags", repeat("<a href=\"x &amp ")),
        ("unclosed comment", format!("<!--{}", repeat("-"))),
        ("references", repeat("&hellip;&#x41;&amp;&bogus;")),
        ("urls", repeat("https://x.io/a_(b) ")),
        ("escapes", repeat("*_[]<>|~`\\")),
        ("line breaks", repeat("a<br>")),
    ]
}

#[test]
fn hostile_inputs_take_linear_time_and_memory() {
    // A generous bound (this takes well under a second in a debug build)
    // that only an input-size-squared blow-up exceeds: the former engine took
    // over 20 s for the adjacent spans alone.
    let start = std::time::Instant::now();
    for (what, html) in hostile_inputs(1 << 20) {
        let md = html_to_markdown(&html);
        // The output is at most a small multiple of the input (tiny list
        // items at the list depth bound carry the most indentation).
        assert!(md.len() <= 8 * html.len(), "{what}: {} bytes out of {}", md.len(), html.len());
        assert_eq!(invariant_violation(&md), None, "{what}");
    }
    let elapsed = start.elapsed();
    assert!(elapsed.as_secs() < 30, "hostile inputs took {elapsed:?}");
}

#[test]
fn real_world_samples() {
    check(
        "<p>\n            Gets the Amazon Chime SDK attendee details for a specified meeting ID and attendee ID. For more information about the Amazon Chime SDK, see \n            <a href=\"https://docs.aws.amazon.com/chime-sdk/latest/dg/meetings-sdk.html\">Using the Amazon Chime SDK</a>\n            in the <i>Amazon Chime Developer Guide</i>.\n        </p>",
        "Gets the Amazon Chime SDK attendee details for a specified meeting ID and attendee ID. For more information about the Amazon Chime SDK, see [Using the Amazon Chime SDK](https://docs.aws.amazon.com/chime-sdk/latest/dg/meetings-sdk.html) in the *Amazon Chime Developer Guide*.",
    );
    check(
        "<p> <i> <b>All API request parameters and URLs are case sensitive. </b> </i> </p>",
        "***All API request parameters and URLs are case sensitive.***",
    );
    check(
        "<p class=\"title\">\n   <b>Functionality & restrictions</b>\n </p>\n <ul>\n  <li>\n   <p>Use privacy = <code>PUBLIC</code> to retrieve all public channels in the\n   account.</p>\n  </li>\n </ul>",
        "**Functionality & restrictions**\n\n- Use privacy = `PUBLIC` to retrieve all public channels in the account.",
    );
}

// ---------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------

/// Checks structural invariants of a converted doc string; returns a
/// description of the first violation.
fn invariant_violation(md: &str) -> Option<String> {
    if md != md.trim_matches('\n') || md.starts_with(char::is_whitespace) {
        return Some("leading/trailing blank line or whitespace".into());
    }
    if md.contains("\n\n\n") {
        return Some("more than one blank line in a row".into());
    }
    // Content columns of the currently open list items.
    let mut open_items: Vec<usize> = Vec::new();
    // Open fence: (indentation, fence string).
    let mut fence: Option<(usize, String)> = None;
    for (n, line) in md.split('\n').enumerate() {
        let n = n + 1;
        if line != line.trim_end() {
            return Some(format!("line {n}: trailing whitespace: {line:?}"));
        }
        if line.contains('\t') && fence.is_none() {
            return Some(format!("line {n}: tab outside code block: {line:?}"));
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if let Some((fence_indent, f)) = &fence {
            if body == f.as_str() && indent == *fence_indent {
                fence = None;
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        while open_items.last().is_some_and(|&col| col > indent) {
            open_items.pop();
        }
        if indent > 0 && open_items.last() != Some(&indent) {
            return Some(format!(
                "line {n}: indentation {indent} does not match an open list item: {line:?}"
            ));
        }
        if indent == 0 && !is_list_marker(body) {
            open_items.clear();
        }
        // A list item may start with another list marker or a fence.
        let mut rest = body;
        let mut col = indent;
        while let Some(w) = list_marker_width(rest) {
            col += w;
            open_items.push(col);
            rest = &rest[w..];
        }
        // A backtick fence's info string cannot contain backticks; such a
        // line starts with a code span instead.
        let f: String = rest.chars().take_while(|&c| c == '`').collect();
        if f.len() >= 3 && !rest[f.len()..].contains('`') {
            if rest[f.len()..] != *"text" {
                return Some(format!("line {n}: fence without `text` info: {line:?}"));
            }
            fence = Some((col, f));
            continue;
        }
        if rest.starts_with('#') {
            return Some(format!("line {n}: heading: {line:?}"));
        }
        if let Some(msg) = inline_violation(rest) {
            return Some(format!("line {n}: {msg}: {line:?}"));
        }
    }
    if fence.is_some() {
        return Some("unbalanced code fence".into());
    }
    None
}

fn is_list_marker(s: &str) -> bool {
    list_marker_width(s).is_some()
}

fn list_marker_width(s: &str) -> Option<usize> {
    if s.starts_with("- ") {
        return Some(2);
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && s[digits..].starts_with(". ") {
        return Some(digits + 2);
    }
    None
}

/// Checks one line of inline Markdown: every `[` / `<` outside code spans is
/// escaped, part of a `[text](url)` link, or an autolink.
fn inline_violation(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    // Nesting depth of link text brackets.
    let mut link_depth = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                // Find the closing run of the same length.
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if r == run {
                            closed = Some(j + r);
                            break;
                        }
                        j += r;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(end) => i = end,
                    None => return Some(format!("unclosed code span at {i}")),
                }
            }
            '<' => {
                // Only the autolink is looked at (not the rest of the line),
                // so that long lines are checked in linear time.
                let Some(end) = chars[i..].iter().position(|&c| c == '>') else {
                    return Some(format!("unterminated autolink at {i}"));
                };
                let link: String = chars[i..=i + end].iter().collect();
                let lower = link.to_ascii_lowercase();
                if !(lower.starts_with("<http://")
                    || lower.starts_with("<https://")
                    || lower.starts_with("<mailto:"))
                {
                    return Some(format!("raw `<` at {i}"));
                }
                if link.contains(char::is_whitespace) {
                    return Some(format!("whitespace in autolink at {i}"));
                }
                i += end + 1;
            }
            '>' => return Some(format!("raw `>` at {i}")),
            '[' => {
                link_depth += 1;
                i += 1;
            }
            ']' => {
                if link_depth == 0 {
                    return Some(format!("unmatched `]` at {i}"));
                }
                link_depth -= 1;
                if chars.get(i + 1) != Some(&'(') {
                    return Some(format!("`[...]` not followed by `(url)` at {i}"));
                }
                let Some(close) = chars[i + 2..].iter().position(|&c| c == ')') else {
                    return Some(format!("unterminated link destination at {i}"));
                };
                let dest: String = chars[i + 2..i + 2 + close].iter().collect();
                if dest.is_empty()
                    || dest.contains(|c: char| c.is_whitespace() || c == '(' || c == '<')
                {
                    return Some(format!("bad link destination {dest:?}"));
                }
                let lower = dest.to_ascii_lowercase();
                if !(lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.starts_with("mailto:"))
                {
                    return Some(format!("relative link destination {dest:?}"));
                }
                i += 2 + close + 1;
            }
            '*' | '_' | '|' | '~' => {
                // Unescaped only as emphasis markers / intraword underscores.
                i += 1;
            }
            '&' => {
                let rest: String = chars[i..chars.len().min(i + 12)].iter().collect();
                let entity = rest.strip_prefix('&').and_then(|r| r.split_once(';')).is_some_and(
                    |(name, _)| {
                        !name.is_empty()
                            && name
                                .trim_start_matches('#')
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric())
                    },
                );
                if entity && !rest.starts_with("&amp;") {
                    return Some(format!("unescaped character reference at {i}"));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if link_depth != 0 {
        return Some("unmatched `[`".into());
    }
    None
}

#[track_caller]
fn assert_invariants(html: &str) -> String {
    let md = html_to_markdown(html);
    if let Some(v) = invariant_violation(&md) {
        panic!("invariant violated: {v}\ninput:\n{html}\n\noutput:\n{md}");
    }
    assert_eq!(md, html_to_markdown(html), "non-deterministic output");
    md
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crate is inside the workspace")
        .to_path_buf()
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn collect_docs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("smithy.api#documentation", serde_json::Value::String(s)) => {
                        out.push(s.clone())
                    }
                    _ => collect_docs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_docs(v, out)),
        _ => {}
    }
}

/// Unique documentation strings of the given model files, in file order.
fn docs_of(files: &[PathBuf]) -> Vec<String> {
    let mut docs = Vec::new();
    for f in files {
        // Intentionally broken models (tests/models/broken) may not even be
        // readable JSON; they are not our concern here.
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        collect_docs(&json, &mut docs);
    }
    let mut seen = std::collections::HashSet::new();
    docs.retain(|d| seen.insert(d.clone()));
    docs
}

fn corpus_files() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut files = Vec::new();
    json_files(&root.join("model"), &mut files);
    json_files(&root.join("tests/models"), &mut files);
    files
}

/// Whether `html` has alphanumeric characters outside of `<...>` tags.
fn has_visible_text(html: &str) -> bool {
    let mut in_tag = false;
    html.chars().any(|c| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && c.is_alphanumeric() => return true,
            _ => {}
        }
        false
    })
}

#[test]
fn corpus_invariants() {
    let files = corpus_files();
    assert!(!files.is_empty(), "no models found");
    let docs = docs_of(&files);
    assert!(docs.len() > 100, "only {} doc strings found", docs.len());
    for doc in &docs {
        let md = assert_invariants(doc);
        // Every input with visible text produces some output.
        if has_visible_text(doc) && md.is_empty() {
            panic!("empty output for {doc:?}");
        }
    }
}

/// Tricky fragments, combined pseudo-randomly for fuzzing and used in the
/// rustdoc check.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<li>",
    "</li>",
    "<note>",
    "</note>",
    "<important>",
    "</important>",
    "<dl>",
    "<dt>",
    "</dt>",
    "<dd>",
    "</dd>",
    "</dl>",
    "<pre>",
    "</pre>",
    "<code>",
    "</code>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<br>",
    "<br/>",
    "<h2>",
    "</h2>",
    "<a href=\"https://example.com/a b\">",
    "<a href=\"relative\">",
    "<a>",
    "</a>",
    "<div>",
    "</div>",
    "<x-unknown>",
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "&#60;",
    "&bogus;",
    "&#xZZ;",
    "[",
    "]",
    "(",
    ")",
    "*",
    "_",
    "`",
    "``",
    "```",
    "\\",
    "#",
    "- ",
    "+ ",
    "1. ",
    "=",
    "|",
    "~",
    ":",
    "!",
    "\"",
    "'",
    " ",
    "  ",
    "\n",
    "\n    ",
    "\t",
    "word",
    "x_y",
    "https://example.com/p.",
    "http://a.b/(c)",
    "mailto:x@y",
    "&nbsp;",
    "ü",
    "日本",
    "\u{0}",
    "<!--",
    "-->",
    "<p class='t'",
    "/>",
    "=\"",
    "[link](url)",
    "<https://z.io>",
    "    code",
    "***",
    "---",
    "&copy;",
    "&amp;lt;",
    "&hellip;",
    "&copy",
    "&#x80;",
    "&NotEqualTilde;",
    "<![CDATA[",
    "]]>",
    "<script>",
    "</script>",
    "<textarea>",
];

/// Deterministic xorshift PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn random_inputs(count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let len = (rng.next() % 40) as usize;
            (0..len).map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize]).collect()
        })
        .collect()
}

#[test]
fn fuzz_invariants() {
    for input in random_inputs(20_000, 0x5eed_1234_abcd_ef01) {
        assert_invariants(&input);
    }
}

/// Characters and short fragments that move HTML's tokenizer between its
/// states (tag open, attribute values, comments, character references...).
const ALPHABET: &[&str] = &[
    "<",
    ">",
    "/",
    "!",
    "-",
    "?",
    "&",
    "#",
    "x",
    "X",
    ";",
    "=",
    "\"",
    "'",
    "`",
    " ",
    "\n",
    "\t",
    "\r",
    "\u{c}",
    "a",
    "b",
    "p",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "code",
    "br",
    "i",
    "note",
    "href",
    "http://x.io",
    "https://",
    "mailto:",
    "amp",
    "lt",
    "copy",
    "not",
    "hellip",
    "123",
    "9",
    "[",
    "]",
    "(",
    ")",
    "*",
    "_",
    "\\",
    "|",
    "~",
    "é",
    "日",
    "\u{0}",
    "\u{85}",
    "\u{feff}",
    "[CDATA[",
    "script",
    "title",
    "textarea",
    "DOCTYPE",
    "--",
];

/// Random strings of up to 80 characters and fragments of [`ALPHABET`].
fn random_markup(count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            let len = (rng.next() % 80) as usize;
            (0..len).map(|_| ALPHABET[(rng.next() % ALPHABET.len() as u64) as usize]).collect()
        })
        .collect()
}

#[test]
fn fuzz_character_level_invariants() {
    for input in random_markup(20_000, 0x0dd_ba11_f00d_cafe) {
        assert_invariants(&input);
    }
}

// ---------------------------------------------------------------------------
// rustdoc check
// ---------------------------------------------------------------------------

/// Rust string literal for `s` (the `Debug` format of `str` is a valid Rust
/// string literal).
fn rust_string_literal(s: &str) -> String {
    format!("{s:?}")
}

/// Documents every converted doc string of the chime model (plus the unit-test
/// style edge cases and some fuzz inputs) in a throwaway crate and runs
/// `cargo doc` with `-D warnings`.
#[test]
fn rustdoc_accepts_output_without_warnings() {
    let root = workspace_root();
    let mut docs = docs_of(&[root.join("model/chime-sdk-meetings.json")]);
    assert!(!docs.is_empty());
    docs.extend(docs_of(&{
        let mut other = Vec::new();
        json_files(&root.join("tests/models/other-services"), &mut other);
        other
    }));
    docs.extend(random_inputs(300, 0xdead_beef_cafe_f00d));
    docs.extend(random_markup(300, 0xfeed_face_0bad_c0de));
    docs.extend(
        [
            "<a href=\"https://example.com\"></a>",
            "See https://example.com/path. And http://x.io/wiki/A_(b)",
            "url https://x.io/?a&amp;copy;b end",
            "a [b] c <T> List<String> [`Vec`] [Vec] [crate::X]",
            "<pre><code>fn main() { let x: Vec<u8> = vec![]; }\n    indented</code></pre>",
            "<ul><li>a<ul><li>b<ul><li>c<p>p</p></li></ul></li></ul></li></ul>",
            "<ol><li>a<pre>x\n  y</pre></li></ol>",
            "# h\n- l\n1. n\n===\n---\n| a | b |\n|---|---|",
            "<code>`</code> <code>a``b</code> <code>[x]</code>",
            "&lt;div&gt; &lt;/p&gt; <b>**</b>",
            "~~strike~~ ~single~ [^note] [x]: https://x.io",
            "a<br>- b<br>: c<br>| d<br>1) e",
            "&hellip; &rsquo; &NotEqualTilde; &#128; &#x1F600; &copy 2024 &notit;",
            "<a href=\"https://x.io/?a=1&copy=2&lt;\">q</a> <![CDATA[<b>x</b>]]> <textarea><p></textarea>",
        ]
        .map(String::from),
    );

    let mut src = String::from("//! Doc check crate.\n\n/// Items.\npub enum Docs {\n");
    for (i, doc) in docs.iter().enumerate() {
        let md = html_to_markdown(doc);
        for line in md.split('\n') {
            src.push_str(&format!("    #[doc = {}]\n", rust_string_literal(line)));
        }
        src.push_str(&format!("    V{i},\n"));
    }
    src.push_str("}\n");

    let dir =
        std::env::temp_dir().join(format!("smithy-codegen-docs-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"docs-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), &src).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["doc", "--offline", "--no-deps", "--quiet"])
        .current_dir(&dir)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root.join("target/docs-check"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTDOCFLAGS")
        .output()
        .expect("failed to run cargo doc");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        output.status.success(),
        "cargo doc failed (crate left at {}):\n{stderr}",
        dir.display()
    );
    assert!(!stderr.contains("warning"), "rustdoc warnings:\n{stderr}");
}
