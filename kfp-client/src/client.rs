//! The async client: configuration, and the one place requests are sent,
//! timed out and retried.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kfp_ir_schema::printable::escaped;
use kfp_ir_schema::validate::MAX_FILE_SIZE;
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use crate::auth::{Credentials, TOKEN_PATH_ENV, TokenSource};
use crate::error::{ApiError, Error, Result};

/// The largest answer read by default, 4 MiB (see
/// [`ClientBuilder::max_response_size`]); an answer that carries pipeline
/// specs may be larger by the largest pipeline the server stores.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 4 << 20;

/// Where the projected KFP service-account token is mounted in a pod
/// (kfp.Client's default).
pub const DEFAULT_SA_TOKEN_PATH: &str = "/var/run/secrets/kubeflow/pipelines/token";

/// True when this process runs in a Kubernetes pod (the service host
/// variable is set and the service-account token is mounted).
pub fn running_in_cluster() -> bool {
    std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
        && std::path::Path::new("/var/run/secrets/kubernetes.io/serviceaccount/token").exists()
}

/// The API prefix appended to the host.
const API_PREFIX: [&str; 2] = ["apis", "v2beta1"];

/// How idempotent requests are retried.
///
/// Only GET and DELETE are retried, on connection errors and 5xx answers. A
/// POST (a create, or an action such as terminate) is never retried, so a
/// run is never created twice. Timeouts are not retried either: the
/// per-request timeout bounds each call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retries.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles on each retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(4),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Builds a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    host: String,
    credentials: Credentials,
    config_error: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_response_size: usize,
}

impl ClientBuilder {
    /// A builder for the API server at `host`, e.g. `http://localhost:8888`
    /// or `https://kubeflow.example.com/pipeline`. A host without a scheme
    /// gets `https://`, as in kfp.Client.
    pub fn new(host: impl Into<String>) -> Self {
        Self {
            host: host.into(),
            credentials: Credentials::default(),
            config_error: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// A builder for a client running in a pod of the cluster, as
    /// kfp.Client does it: host `http://ml-pipeline.<namespace>.svc.cluster.local:8888`
    /// (namespace default `kubeflow`), and the projected service-account
    /// token at `$KF_PIPELINES_SA_TOKEN_PATH`, else
    /// `/var/run/secrets/kubeflow/pipelines/token`, read before every
    /// request.
    pub fn in_cluster(namespace: Option<&str>) -> Self {
        let namespace = namespace.filter(|n| !n.is_empty()).unwrap_or("kubeflow");
        let token_path = std::env::var_os(TOKEN_PATH_ENV)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_SA_TOKEN_PATH));
        Self::new(format!(
            "http://ml-pipeline.{namespace}.svc.cluster.local:8888"
        ))
        .token_file(token_path)
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.credentials.token = TokenSource::Static(token.into());
        self
    }

    /// Reads the bearer token from `path` before every request, so a
    /// rotated service-account token is picked up.
    pub fn token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials.token = TokenSource::File(path.into());
        self
    }

    /// Uses the token file named by `KF_PIPELINES_SA_TOKEN_PATH`, if that
    /// variable is set and no token was given yet.
    pub fn token_file_from_env(self) -> Self {
        match (&self.credentials.token, std::env::var_os(TOKEN_PATH_ENV)) {
            (TokenSource::None, Some(path)) if !path.is_empty() => self.token_file(path),
            _ => self,
        }
    }

    /// Sends an extra header with every request (for instance the header
    /// an auth proxy expects). Its value is treated as a secret.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Err(e) = self.credentials.add_header(name, value) {
            self.config_error.get_or_insert(e.to_string());
        }
        self
    }

    /// Sends a cookie with every request (`name=value`, e.g. the
    /// `oauth2_proxy_kubeflow` session of a Kubeflow behind oauth2-proxy).
    /// Treated as a secret.
    pub fn cookie(mut self, cookie: &str) -> Self {
        if let Err(e) = self.credentials.add_cookie(cookie) {
            self.config_error.get_or_insert(e.to_string());
        }
        self
    }

    /// The timeout of each request, from sending to the end of the body
    /// (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The timeout to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How idempotent requests are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest answer the client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`], 4 MiB). An answer that carries
    /// pipeline specs (runs, recurring runs, pipeline versions) may be
    /// larger by the server's upload limit, 32 MiB, to hold a spec of the
    /// largest pipeline the server stores. A larger answer is not read
    /// further: the call fails with [`Error::TooLarge`], so a server that
    /// sends without end cannot fill the memory.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        if let Some(e) = self.config_error {
            return Err(Error::Config(e));
        }
        let base = parse_host(&self.host)?;
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("kfp-rs/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                credentials: self.credentials,
                timeout: self.timeout,
                retry: self.retry,
                max_response_size: self.max_response_size,
            }),
        })
    }
}

fn parse_host(host: &str) -> Result<Url> {
    let host = host.trim().trim_end_matches('/');
    if host.is_empty() {
        return Err(Error::Config("the host is empty".into()));
    }
    let shown = without_credentials(host);
    let with_scheme = if host.contains("://") {
        host.to_owned()
    } else {
        format!("https://{host}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|e| Error::Config(format!("`{shown}` is not a valid host URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "`{shown}`: only http and https hosts are supported"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "`{shown}`: a host URL cannot carry a query or a fragment"
        )));
    }
    Ok(url)
}

/// A host as given, to quote in a message: its `user:password@` part (if
/// the text has one where a URL's would be) replaced by `***@`, and its
/// control characters escaped. It works on text that is not a valid URL.
fn without_credentials(host: &str) -> Cow<'_, str> {
    let start = host.find("://").map_or(0, |i| i + 3);
    let end = host[start..]
        .find(['/', '?', '#'])
        .map_or(host.len(), |i| start + i);
    match host[start..end].rfind('@') {
        Some(at) => {
            let rest = &host[start + at + 1..];
            Cow::Owned(format!("{}***@{}", &host[..start], escaped(rest)))
        }
        None => escaped(host),
    }
}

/// A redirect answer. The API never redirects; an auth proxy (Dex,
/// oauth2-proxy) does, to its login page, when the request carries no valid
/// session. Redirects are therefore not followed but reported.
fn redirected(method: &str, path: &str, response: &reqwest::Response) -> ApiError {
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(|l| escaped(l.split('?').next().unwrap_or(l)).into_owned())
        .unwrap_or_default();
    ApiError {
        method: method.to_owned(),
        path: path.to_owned(),
        status: response.status().as_u16(),
        grpc_code: None,
        message: format!(
            "redirected to `{location}`, probably an auth proxy's login page: pass a session cookie (--cookie) or a token, or check the host"
        ),
        details: None,
    }
}

/// Why an answer's body was not read.
enum BodyError {
    /// The connection failed or timed out.
    Http(reqwest::Error),
    /// The body is larger than the limit; it was not read further.
    TooLarge {
        /// The answer's HTTP status.
        status: u16,
    },
}

/// Reads an answer's body, chunk by chunk, up to `limit` bytes: an answer
/// that says or turns out to be larger is not read further.
async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    let status = response.status().as_u16();
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Err(BodyError::TooLarge { status });
    }
    // The declared length is within the limit; it is only a hint, though.
    let mut body = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Http)? {
        if chunk.len() > limit - body.len() {
            return Err(BodyError::TooLarge { status });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// An async client of the KFP v2beta1 REST API. Cheap to clone.
///
/// `Debug` never shows the token, headers' values or cookies.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    credentials: Credentials,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_size: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("host", &without_credentials(self.inner.base.as_str()))
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_size", &self.inner.max_response_size)
            .finish()
    }
}

/// The body of a request.
pub(crate) enum Body {
    /// No body.
    Empty,
    /// A JSON document.
    Json(serde_json::Value),
    /// A multipart upload with one part `uploadfile`.
    Upload {
        /// The file name of the part.
        file_name: String,
        /// The file content.
        content: Vec<u8>,
    },
}

/// One API call: method, path below `/apis/v2beta1`, query and body.
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    /// Whether the answer carries pipeline specs, so may be larger.
    pub(crate) carries_pipeline_spec: bool,
}

impl Call {
    /// A call of `method` on the path made of `segments`.
    pub(crate) fn new<S: Into<String>>(
        method: Method,
        segments: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            method,
            segments: segments.into_iter().map(Into::into).collect(),
            query: Vec::new(),
            body: Body::Empty,
            carries_pipeline_spec: false,
        }
    }

    /// Marks a call whose answer carries pipeline specs (a run, a
    /// recurring run, a pipeline version, or a list of them): it may be
    /// larger by the server's upload limit.
    pub(crate) fn carrying_pipeline_spec(mut self) -> Self {
        self.carries_pipeline_spec = true;
        self
    }

    /// Adds query pairs.
    pub(crate) fn query(mut self, query: Vec<(&'static str, String)>) -> Self {
        self.query.extend(query);
        self
    }

    /// Sets a JSON body.
    pub(crate) fn json<T: serde::Serialize>(mut self, body: &T) -> Result<Self> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot write the request body: {e}")))?;
        self.body = Body::Json(value);
        Ok(self)
    }
}

impl Client {
    /// A builder for the API server at `host`.
    pub fn builder(host: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(host)
    }

    /// The host URL this client talks to.
    pub fn host(&self) -> &str {
        self.inner.base.as_str()
    }

    fn url(&self, segments: &[String]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(API_PREFIX);
            path.extend(segments);
        }
        url
    }

    /// Sends a call and decodes a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let method = call.method.to_string();
        let (path, status, body) = self.send(call).await?;
        let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &body
        };
        serde_json::from_slice(body).map_err(|source| Error::Decode {
            method,
            path,
            status,
            snippet: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            source,
        })
    }

    /// Sends a call whose answer carries nothing (`{}`).
    pub(crate) async fn unit(&self, call: Call) -> Result<()> {
        self.send(call).await.map(|_| ())
    }

    /// Sends a call with the timeout and retry policy; returns the path,
    /// status and body of a successful answer.
    async fn send(&self, call: Call) -> Result<(String, u16, Vec<u8>)> {
        let url = self.url(&call.segments);
        let path = url.path().to_owned();
        let method = call.method.to_string();
        let idempotent = matches!(call.method, Method::GET | Method::DELETE | Method::HEAD);
        let limit = self.response_limit(&call);
        let retry = self.inner.retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let can_retry = idempotent && attempt <= retry.max_retries;
            let request = self.request(&call, url.clone())?;
            let outcome = match request.send().await {
                Ok(response) if response.status().is_redirection() => {
                    return Err(redirected(&method, &path, &response).into());
                }
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    read_body(&mut response, limit)
                        .await
                        .map(|body| (status, body))
                }
                Err(e) => Err(BodyError::Http(e)),
            };
            match outcome {
                Ok((status, body)) if (200..300).contains(&status) => {
                    return Ok((path, status, body));
                }
                Ok((status, _)) if status >= 500 && can_retry => {}
                Ok((status, body)) => {
                    return Err(ApiError::from_body(&method, &path, status, &body).into());
                }
                Err(BodyError::TooLarge { status }) if (200..300).contains(&status) => {
                    return Err(Error::TooLarge {
                        method,
                        path,
                        limit,
                    });
                }
                Err(BodyError::TooLarge { status }) => {
                    return Err(ApiError::unread(&method, &path, status, limit).into());
                }
                Err(BodyError::Http(e)) if e.is_timeout() => {
                    return Err(Error::Timeout {
                        method,
                        path,
                        after: self.inner.timeout,
                    });
                }
                Err(BodyError::Http(_)) if can_retry => {}
                Err(BodyError::Http(source)) => {
                    return Err(Error::Transport {
                        method,
                        path,
                        attempts: attempt,
                        source: self.without_credentials(source),
                    });
                }
            }
            tokio::time::sleep(retry.backoff(attempt)).await;
        }
    }

    /// The largest answer `call` may get.
    fn response_limit(&self, call: &Call) -> usize {
        let extra = if call.carries_pipeline_spec {
            MAX_FILE_SIZE
        } else {
            0
        };
        self.inner.max_response_size.saturating_add(extra)
    }

    /// A transport error as it may be shown: reqwest's errors name the URL,
    /// which holds the host's `user:password@` part when it has one.
    fn without_credentials(&self, error: reqwest::Error) -> reqwest::Error {
        let base = &self.inner.base;
        if base.username().is_empty() && base.password().is_none() {
            error
        } else {
            error.without_url()
        }
    }

    fn request(&self, call: &Call, url: Url) -> Result<reqwest::RequestBuilder> {
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), url)
            .timeout(self.inner.timeout)
            .header(reqwest::header::ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        request = self.inner.credentials.apply(request)?;
        Ok(match &call.body {
            Body::Empty => request,
            Body::Json(value) => request.json(value),
            Body::Upload { file_name, content } => {
                let part = reqwest::multipart::Part::bytes(content.clone())
                    .file_name(file_name.clone())
                    .mime_str("application/octet-stream")
                    .map_err(|e| Error::InvalidRequest(e.to_string()))?;
                request.multipart(reqwest::multipart::Form::new().part("uploadfile", part))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let client = Client::builder("http://127.0.0.1:1")
            .token("s3cr3t-token")
            .header("x-auth", "header-secret")
            .cookie("oauth2_proxy_kubeflow=cookie-secret")
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        for secret in ["s3cr3t-token", "header-secret", "cookie-secret"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("x-auth"), "{debug}");
    }

    #[test]
    fn hosts_are_normalized() {
        let c = Client::builder("example.com/pipeline/").build().unwrap();
        assert_eq!(c.host(), "https://example.com/pipeline");
        assert_eq!(
            c.url(&["runs".into(), "r 1:terminate".into()]).as_str(),
            "https://example.com/pipeline/apis/v2beta1/runs/r%201:terminate"
        );
        let c = Client::builder("http://localhost:8888").build().unwrap();
        assert_eq!(
            c.url(&["healthz".into()]).as_str(),
            "http://localhost:8888/apis/v2beta1/healthz"
        );
        assert!(Client::builder("ftp://x").build().is_err());
        assert!(Client::builder("").build().is_err());
        assert!(
            Client::builder("http://x")
                .header("bad header", "v")
                .build()
                .is_err()
        );
    }

    #[test]
    fn in_cluster_uses_the_service_dns_name() {
        let c = ClientBuilder::in_cluster(Some("team-a")).build().unwrap();
        assert_eq!(
            c.host(),
            "http://ml-pipeline.team-a.svc.cluster.local:8888/"
        );
        let debug = format!("{c:?}");
        assert!(debug.contains("File("), "{debug}");
        let c = ClientBuilder::in_cluster(None).build().unwrap();
        assert!(c.host().contains("ml-pipeline.kubeflow.svc"));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1), Duration::from_millis(250));
        assert_eq!(p.backoff(2), Duration::from_millis(500));
        assert_eq!(p.backoff(10), Duration::from_secs(4));
    }
}
