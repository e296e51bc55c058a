//! Markdown artifacts as HTML (CommonMark with tables, strikethrough and
//! task lists), made safe to put in a page: raw HTML in the text is shown
//! as text, not passed through, and a link or image may only go to
//! `http(s)`, `mailto` or a relative address (no `javascript:`).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

/// `text` rendered as HTML.
///
/// ```
/// let html = kfp_ui::markdown::render("# Hi\n\n<script>alert(1)</script> **bold**");
/// assert!(html.contains("<h1>Hi</h1>"));
/// assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
/// ```
pub fn render(text: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(text, options).map(|event| match event {
        // Raw HTML becomes text, which the writer escapes.
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// `url` when its scheme is harmless, else an empty link.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| !scheme.contains(['/', '?', '#']));
    match scheme {
        None => url,
        Some(s)
            if s.eq_ignore_ascii_case("http")
                || s.eq_ignore_ascii_case("https")
                || s.eq_ignore_ascii_case("mailto") =>
        {
            url
        }
        Some(_) => CowStr::Borrowed(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_markup_in_it_does_not() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n<img src=x onerror=alert(1)>\n\n\
             [ok](https://kubeflow.org) [rel](x/y.md) [bad](javascript:alert(1)) \
             [bad2](JavaScript:alert(1)) ![i](data:image/png;base64,AA)",
        );
        assert!(
            html.contains("<table>") && html.contains("<td>2</td>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(html.contains("href=\"https://kubeflow.org\""));
        assert!(html.contains("href=\"x/y.md\""));
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:image"), "{html}");
    }
}
