//! Credentials sent with every request: a bearer token, extra headers and
//! cookies. None of them is ever printed: `Debug` shows only what kind of
//! credential is set, and header values are marked sensitive.

use std::fmt;
use std::path::PathBuf;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// The environment variable naming a service-account token file, as
/// kfp.Client reads it.
pub const TOKEN_PATH_ENV: &str = "KF_PIPELINES_SA_TOKEN_PATH";

/// Where a bearer token comes from.
#[derive(Clone, Default)]
pub(crate) enum TokenSource {
    /// No `Authorization` header (a port-forward, a single-user install).
    #[default]
    None,
    /// A fixed token.
    Static(String),
    /// A file read before every request, so a rotated projected
    /// service-account token is picked up (as kfp.Client re-reads it).
    File(PathBuf),
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Static(_) => f.write_str("Static(<redacted>)"),
            Self::File(path) => write!(f, "File({})", path.display()),
        }
    }
}

/// The credentials of a client.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    pub(crate) token: TokenSource,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) cookie: Option<HeaderValue>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Credentials")
            .field("token", &self.token)
            .field("headers", &names)
            .field("cookie", &self.cookie.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Credentials {
    /// Adds an extra header; its value is marked sensitive.
    pub(crate) fn add_header(&mut self, name: &str, value: &str) -> Result<()> {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
        let value = sensitive(value, || {
            format!("the value of header `{name}` is not valid")
        })?;
        self.headers.push((name, value));
        Ok(())
    }

    /// Adds cookies (`name=value`, or several separated by `;`).
    pub(crate) fn add_cookie(&mut self, cookie: &str) -> Result<()> {
        let joined = match self.cookie.as_ref().and_then(|c| c.to_str().ok()) {
            Some(prev) => format!("{prev}; {}", cookie.trim()),
            None => cookie.trim().to_owned(),
        };
        self.cookie = Some(sensitive(&joined, || {
            "a cookie is not a valid header value".into()
        })?);
        Ok(())
    }

    /// Adds the credentials to a request; the token file is read now.
    pub(crate) fn apply(
        &self,
        mut req: reqwest::RequestBuilder,
    ) -> Result<reqwest::RequestBuilder> {
        let token = match &self.token {
            TokenSource::None => None,
            TokenSource::Static(t) => Some(t.clone()),
            TokenSource::File(path) => Some(
                std::fs::read_to_string(path)
                    .map_err(|source| Error::TokenFile {
                        path: path.clone(),
                        source,
                    })?
                    .trim()
                    .to_owned(),
            ),
        };
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            let value = sensitive(&format!("Bearer {token}"), || {
                "the token holds characters not allowed in a header".into()
            })?;
            req = req.header(AUTHORIZATION, value);
        }
        for (name, value) in &self.headers {
            req = req.header(name, value.clone());
        }
        if let Some(cookie) = &self.cookie {
            req = req.header(COOKIE, cookie.clone());
        }
        Ok(req)
    }
}

fn sensitive(value: &str, what: impl FnOnce() -> String) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).map_err(|_| Error::Config(what()))?;
    v.set_sensitive(true);
    Ok(v)
}
