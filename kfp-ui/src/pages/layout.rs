//! The frame of every page, and the small formatting rules the pages
//! share (times, durations, values).

use std::fmt::Write;
use std::time::Duration;

use serde_json::Value;

use crate::html::Esc;
use crate::route::static_href;

/// A whole page: `title`, the breadcrumb trail (`(text, link)`, the last
/// one the page itself), and `body`. With `live`, the page's script polls
/// that URL and swaps the page's parts until the run ends.
pub fn page(
    title: &str,
    crumbs: &[(&str, Option<String>)],
    body: &str,
    live: Option<&str>,
) -> String {
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · kfp-rs</title><link rel=\"stylesheet\" href=\"{}\">\
         <link rel=\"icon\" href=\"{}\"><script src=\"{}\" defer></script></head>\n<body>\
         <header class=\"top\"><a class=\"brand\" href=\"/\"><img src=\"{}\" alt=\"\" width=\"20\" height=\"20\"> kfp-rs</a>\
         <nav aria-label=\"breadcrumb\"><ol>",
        Esc(title),
        static_href("style.css"),
        static_href("favicon.svg"),
        static_href("live.js"),
        static_href("favicon.svg"),
    );
    for (text, link) in crumbs {
        match link {
            Some(link) => {
                let _ = write!(out, "<li><a href=\"{}\">{}</a></li>", Esc(link), Esc(text));
            }
            None => {
                let _ = write!(out, "<li aria-current=\"page\">{}</li>", Esc(text));
            }
        }
    }
    out.push_str("</ol></nav></header>\n<main id=\"main\"");
    if let Some(live) = live {
        let _ = write!(out, " data-live=\"{}\"", Esc(live));
    }
    out.push('>');
    out.push_str(body);
    out.push_str("</main>\n</body></html>\n");
    out
}

/// A stored time (`2026-12-06T16:26:18.123Z`) as `2026-12-06 16:26:18`,
/// in a `<time>` element that carries the whole.
pub fn when(stamp: &str) -> String {
    let short = stamp.get(..19).unwrap_or(stamp).replacen('T', " ", 1);
    format!(
        "<time datetime=\"{}\" title=\"{} (UTC)\">{}</time>",
        Esc(stamp),
        Esc(stamp),
        Esc(&short)
    )
}

/// A duration as people read it, or nothing.
pub fn took(duration: Option<Duration>) -> String {
    duration.map(kfp_local::time::human).unwrap_or_default()
}

/// How long from `start` until now (for what is still running).
pub fn so_far(start: &str) -> Option<Duration> {
    kfp_local::time::between(start, &kfp_local::time::now())
}

/// A parameter value as text: a string as itself, anything else as JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `text` cut to `max` characters with `…`.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        let kept: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    } else {
        text.to_owned()
    }
}

/// A two-column table of names and values (parameters), values in
/// `<code>`; nothing when there are none.
pub fn values_table<'a>(
    caption: &str,
    values: impl IntoIterator<Item = (&'a str, String)>,
) -> String {
    let mut rows = String::new();
    for (name, value) in values {
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{}</th><td><code class=\"value\">{}</code></td></tr>",
            Esc(name),
            Esc(&value)
        );
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "<table class=\"values\"><caption>{}</caption><tbody>{rows}</tbody></table>",
        Esc(caption)
    )
}

/// `args` as a shell would need them typed, one line.
pub fn shell_line(args: &[String]) -> String {
    args.iter()
        .map(|arg| {
            let plain = !arg.is_empty()
                && arg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@%+".contains(&b));
            if plain {
                arg.clone()
            } else {
                format!("'{}'", arg.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_are_given() {
        let html = page(
            "<t>",
            &[("Runs", Some("/".into())), ("a\"b", None)],
            "<p>body</p>",
            Some("/api/runs/x?task=a&b"),
        );
        assert!(html.contains("<title>&lt;t&gt; · kfp-rs</title>"));
        assert!(html.contains("<li aria-current=\"page\">a&quot;b</li>"));
        assert!(html.contains("data-live=\"/api/runs/x?task=a&amp;b\""));
        assert!(!html.contains("style="));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn small_formats() {
        assert!(when("2026-12-06T16:26:18.123Z").contains(">2026-12-06 16:26:18</time>"));
        assert_eq!(value_text(&Value::from("a")), "a");
        assert_eq!(value_text(&serde_json::json!([1, "a"])), "[1,\"a\"]");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(
            shell_line(&["sh".into(), "-c".into(), "echo 'hi' $x".into()]),
            "sh -c 'echo '\\''hi'\\'' $x'"
        );
        assert_eq!(values_table("none", []), "");
    }
}
