//! The static assets, compiled into the binary (no CDN, no build step):
//! the stylesheet (with the state colours of [`crate::look`] appended),
//! the live-update script and the icon.

use std::sync::OnceLock;

const STYLE: &str = include_str!("../assets/style.css");
const LIVE: &str = include_str!("../assets/live.js");
const ICON: &str = include_str!("../assets/favicon.svg");

/// The asset called `name`: its media type and bytes.
pub fn get(name: &str) -> Option<(&'static str, &'static [u8])> {
    static STYLESHEET: OnceLock<String> = OnceLock::new();
    match name {
        "style.css" => Some((
            "text/css; charset=utf-8",
            STYLESHEET
                .get_or_init(|| format!("{STYLE}\n{}", crate::look::stylesheet()))
                .as_bytes(),
        )),
        "live.js" => Some(("text/javascript; charset=utf-8", LIVE.as_bytes())),
        "favicon.svg" => Some(("image/svg+xml", ICON.as_bytes())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_assets_are_there() {
        let (kind, css) = super::get("style.css").unwrap();
        assert!(kind.starts_with("text/css"));
        assert!(String::from_utf8_lossy(css).contains(".state-failed{color:#c5221f"));
        assert!(super::get("live.js").is_some());
        assert!(super::get("../Cargo.toml").is_none());
    }
}
