//! Setting up the client of the cluster subcommands: the global options,
//! kfp.Client's context file, and the connection.
//!
//! The host comes from `--host` or `KF_PIPELINES_ENDPOINT` (see [`connect`]
//! for the in-cluster and port-forward fallbacks); the token from
//! `--token`, `KF_PIPELINES_TOKEN`, or the file named by
//! `KF_PIPELINES_SA_TOKEN_PATH` (re-read on every request). kfp.Client's
//! `~/.config/kfp/context.json` gives defaults for the namespace, a cookie
//! and an auth header. Tokens, headers and cookies are never printed.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use clap::Args;
use kfp_client::Client;
use serde_json::Value;

/// Options of every cluster subcommand.
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalOpts {
    /// The API server, e.g. `http://localhost:8888` or
    /// `https://kubeflow.example.com/pipeline` [env: KF_PIPELINES_ENDPOINT].
    #[arg(long, global = true, value_name = "URL")]
    pub host: Option<String>,
    /// A bearer token [env: KF_PIPELINES_TOKEN; else the file named by
    /// KF_PIPELINES_SA_TOKEN_PATH].
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The namespace (Kubeflow profile) in multi-user mode.
    #[arg(long, short = 'n', global = true)]
    pub namespace: Option<String>,
    /// An extra header for an auth proxy, `NAME: VALUE` (repeatable).
    #[arg(long = "header", global = true, value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// A cookie, `NAME=VALUE`, e.g. `oauth2_proxy_kubeflow=...`
    /// (repeatable).
    #[arg(long = "cookie", global = true, value_name = "NAME=VALUE")]
    pub cookies: Vec<String>,
    /// Mint the KFP token for this service account (in `--namespace`)
    /// with the kubeconfig's credentials.
    #[cfg(feature = "kube")]
    #[arg(long, global = true, value_name = "NAME")]
    pub kube_service_account: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// The timeout of each request, in seconds.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30)]
    pub request_timeout: u64,
}

/// Fills options not given from kfp.Client's context file
/// (`~/.config/kfp/context.json`): `namespace`,
/// `client_authentication_cookie`, and `client_authentication_header_name`
/// with `client_authentication_header_value`.
pub fn with_context_file(global: &GlobalOpts, path: &Path) -> Result<GlobalOpts> {
    let mut merged = global.clone();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(merged),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let context: Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON object", path.display()))?;
    let field = |key: &str| {
        context
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if merged.namespace.is_none() {
        merged.namespace = field("namespace");
    }
    if merged.cookies.is_empty()
        && let Some(cookie) = field("client_authentication_cookie")
    {
        merged.cookies.push(cookie);
    }
    if let (Some(name), Some(value)) = (
        field("client_authentication_header_name"),
        field("client_authentication_header_value"),
    ) && !merged.headers.iter().any(|h| {
        h.split(':')
            .next()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(&name))
    }) {
        merged.headers.push(format!("{name}: {value}"));
    }
    Ok(merged)
}

/// A client and, when it goes through one, the port-forward that must
/// live as long as it.
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The port-forward to `svc/ml-pipeline`, when no host was given.
    #[cfg(feature = "kube")]
    #[expect(dead_code, reason = "held, not read: it keeps the forward open")]
    pub port_forward: Option<kfp_client::k8s::PortForward>,
}

/// Builds the client from the global options and the environment.
///
/// The host is `--host`, else `KF_PIPELINES_ENDPOINT`, else (in a pod) the
/// in-cluster service `ml-pipeline.kubeflow`, else (feature `kube`) a
/// port-forward to `svc/ml-pipeline` port 8888 in `kubeflow` with the
/// current kubeconfig context. The token is `--token`, else
/// `KF_PIPELINES_TOKEN`, else (feature `kube`) one minted for
/// `--kube-service-account` in `--namespace`, else the file named by
/// `KF_PIPELINES_SA_TOKEN_PATH` (in a pod, its default path).
pub async fn connect(global: &GlobalOpts) -> Result<Connection> {
    let explicit_host = global
        .host
        .clone()
        .or_else(|| std::env::var("KF_PIPELINES_ENDPOINT").ok())
        .filter(|h| !h.trim().is_empty());
    let token = global
        .token
        .clone()
        .or_else(|| std::env::var("KF_PIPELINES_TOKEN").ok())
        .filter(|t| !t.trim().is_empty());
    #[cfg(feature = "kube")]
    let mut port_forward = None;
    let mut builder = match explicit_host {
        Some(host) => Client::builder(host).token_file_from_env(),
        None if kfp_client::running_in_cluster() => kfp_client::ClientBuilder::in_cluster(None),
        #[cfg(feature = "kube")]
        None => {
            let kube = kfp_client::k8s::kube_client().await.context(
                "no --host, no KF_PIPELINES_ENDPOINT, and no usable kubeconfig to port-forward with",
            )?;
            let forward = kfp_client::k8s::PortForward::to_kfp(&kube).await?;
            eprintln!(
                "port-forwarding {} to kubeflow/{} port {}",
                forward.host(),
                forward.target().pod,
                forward.target().port
            );
            let builder = Client::builder(forward.host()).token_file_from_env();
            port_forward = Some(forward);
            builder
        }
        #[cfg(not(feature = "kube"))]
        None => anyhow::bail!(
            "no API server given: pass --host URL or set KF_PIPELINES_ENDPOINT (for a cluster, e.g. `kubectl port-forward -n kubeflow svc/ml-pipeline 8888:8888` then --host http://localhost:8888)"
        ),
    };
    builder = builder.timeout(Duration::from_secs(global.request_timeout.max(1)));
    if let Some(t) = token {
        builder = builder.token(t);
    } else {
        #[cfg(feature = "kube")]
        if let Some(account) = &global.kube_service_account {
            let kube = kfp_client::k8s::kube_client().await?;
            let namespace = global
                .namespace
                .clone()
                .unwrap_or_else(|| kube.default_namespace().to_owned());
            builder = builder
                .token(kfp_client::k8s::mint_token(&kube, &namespace, account, Some(3600)).await?);
        }
    }
    for header in &global.headers {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| anyhow!("--header wants `NAME: VALUE`, got a value without `:`"))?;
        builder = builder.header(name.trim(), value.trim());
    }
    for cookie in &global.cookies {
        builder = builder.cookie(cookie);
    }
    Ok(Connection {
        client: builder.build()?,
        #[cfg(feature = "kube")]
        port_forward,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_reaches_debug_output() {
        let g = GlobalOpts {
            host: Some("http://127.0.0.1:9".into()),
            token: Some("very-secret".into()),
            cookies: vec!["s=cookie-secret".into()],
            headers: vec!["x-auth: header-secret".into()],
            ..GlobalOpts::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let debug = format!("{:?}", rt.block_on(connect(&g)).unwrap().client);
        for secret in ["very-secret", "cookie-secret", "header-secret"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let bad = GlobalOpts {
            headers: vec!["no-colon".into()],
            ..g
        };
        assert!(rt.block_on(connect(&bad)).is_err());
    }

    #[test]
    fn the_kfp_context_file_fills_missing_options() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("context.json");
        let given = GlobalOpts {
            headers: vec!["x-other: 1".into()],
            ..GlobalOpts::default()
        };
        assert_eq!(
            with_context_file(&given, &path).unwrap().headers,
            given.headers,
            "a missing file changes nothing"
        );
        std::fs::write(
            &path,
            r#"{"namespace": "team-a", "client_authentication_cookie": "authservice_session=abc",
                "client_authentication_header_name": "x-auth", "client_authentication_header_value": "v"}"#,
        )
        .unwrap();
        let merged = with_context_file(&given, &path).unwrap();
        assert_eq!(merged.namespace.as_deref(), Some("team-a"));
        assert_eq!(merged.cookies, ["authservice_session=abc"]);
        assert_eq!(merged.headers, ["x-other: 1", "x-auth: v"]);
        let explicit = GlobalOpts {
            namespace: Some("mine".into()),
            cookies: vec!["c=1".into()],
            headers: vec!["X-Auth: mine".into()],
            ..GlobalOpts::default()
        };
        let merged = with_context_file(&explicit, &path).unwrap();
        assert_eq!(merged.namespace.as_deref(), Some("mine"));
        assert_eq!(merged.cookies, ["c=1"]);
        assert_eq!(merged.headers, ["X-Auth: mine"]);
        std::fs::write(&path, "not json").unwrap();
        assert!(with_context_file(&explicit, &path).is_err());
    }
}
