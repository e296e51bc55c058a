//! The Kubernetes paths (feature `kube`) against the kube crate's mock
//! service (tower-test): service and pod resolution for the port-forward,
//! token minting, server-side apply of the KFP custom resources, and a
//! kubeconfig's credentials.
#![cfg(feature = "kube")]

mod support;

use std::time::Duration;

use http::{Request, Response};
use kfp_client::k8s::{self, PipelineResource, PipelineVersionResource};
use kube::client::Body;
use serde_json::{Value, json};
use support::{FakeServer, Reply};
use tower_test::mock::{Handle, pair};

type MockHandle = Handle<Request<Body>, Response<Body>>;

fn mock() -> (kube::Client, MockHandle) {
    let (service, handle) = pair::<Request<Body>, Response<Body>>();
    (kube::Client::new(service, "default"), handle)
}

/// Answers the next request with `answer`, returning the request's method,
/// URI, content type and JSON body (if any).
async fn expect(handle: &mut MockHandle, answer: Value) -> (String, String, String, Value) {
    let (request, send) = tokio::time::timeout(Duration::from_secs(5), handle.next_request())
        .await
        .expect("a request within 5 s")
        .expect("a request");
    let method = request.method().to_string();
    let uri = request.uri().to_string();
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = request.into_body().collect_bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    send.send_response(
        Response::builder()
            .header("content-type", "application/json")
            .body(Body::from(answer.to_string().into_bytes()))
            .unwrap(),
    );
    (method, uri, content_type, body)
}

fn service() -> Value {
    json!({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "ml-pipeline", "namespace": "kubeflow"},
        "spec": {
            "selector": {"app": "ml-pipeline", "app.kubernetes.io/name": "kubeflow-pipelines"},
            "ports": [
                {"name": "grpc", "port": 8887, "targetPort": 8887},
                {"name": "http", "port": 8888, "targetPort": "http"}
            ]
        }
    })
}

fn pods() -> Value {
    let pod = |name: &str, ready: &str| {
        json!({
            "metadata": {"name": name, "namespace": "kubeflow"},
            "spec": {"containers": [{"name": "api", "ports": [
                {"name": "grpc", "containerPort": 8887},
                {"name": "http", "containerPort": 18888}
            ]}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": ready}]}
        })
    };
    json!({
        "apiVersion": "v1", "kind": "PodList", "metadata": {},
        "items": [pod("ml-pipeline-starting", "False"), pod("ml-pipeline-ready", "True")]
    })
}

#[tokio::test]
async fn the_port_forward_targets_a_ready_pod_and_the_named_port() {
    let (kube, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (m, uri, _, _) = expect(&mut handle, service()).await;
        assert_eq!(m, "GET");
        assert_eq!(uri, "/api/v1/namespaces/kubeflow/services/ml-pipeline");
        let (m, uri, _, _) = expect(&mut handle, pods()).await;
        assert_eq!(m, "GET");
        assert_eq!(
            uri,
            "/api/v1/namespaces/kubeflow/pods?&labelSelector=app%3Dml-pipeline%2Capp.kubernetes.io%2Fname%3Dkubeflow-pipelines"
        );
    });
    let forward = k8s::PortForward::to_kfp(&kube).await.unwrap();
    server.await.unwrap();
    assert_eq!(forward.target().pod, "ml-pipeline-ready");
    assert_eq!(forward.target().port, 18888);
    assert!(
        forward.host().starts_with("http://127.0.0.1:"),
        "{}",
        forward.host()
    );
}

#[tokio::test]
async fn no_ready_pod_is_a_clear_error() {
    let (kube, mut handle) = mock();
    let server = tokio::spawn(async move {
        expect(&mut handle, service()).await;
        expect(
            &mut handle,
            json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": []}),
        )
        .await;
    });
    let err = k8s::resolve_service(&kube, "kubeflow", "ml-pipeline", 8888)
        .await
        .unwrap_err();
    server.await.unwrap();
    assert_eq!(
        err.to_string(),
        "invalid request: no running, ready pod behind service kubeflow/ml-pipeline"
    );
}

#[tokio::test]
async fn tokens_are_minted_for_the_kfp_audience() {
    let (kube, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (m, uri, _, body) = expect(
            &mut handle,
            json!({
                "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                "spec": {"audiences": ["pipelines.kubeflow.org"]},
                "status": {"token": "minted-token", "expirationTimestamp": "2026-01-01T00:00:00Z"}
            }),
        )
        .await;
        assert_eq!(m, "POST");
        assert_eq!(
            uri,
            "/api/v1/namespaces/team-a/serviceaccounts/default-editor/token?"
        );
        assert_eq!(body["spec"]["audiences"], json!(["pipelines.kubeflow.org"]));
        assert_eq!(body["spec"]["expirationSeconds"], json!(3600));
    });
    let token = k8s::mint_token(&kube, "team-a", "default-editor", Some(3600))
        .await
        .unwrap();
    server.await.unwrap();
    assert_eq!(token, "minted-token");
}

#[tokio::test]
async fn pipelines_and_versions_are_server_side_applied() {
    let (kube, mut handle) = mock();
    let spec = json!({"pipelineInfo": {"name": "demo"}, "root": {}, "schemaVersion": "2.1.0"});
    let expected_spec = spec.clone();
    let server = tokio::spawn(async move {
        let (m, uri, content_type, body) = expect(
            &mut handle,
            json!({
                "apiVersion": "pipelines.kubeflow.org/v2beta1", "kind": "Pipeline",
                "metadata": {"name": "demo", "namespace": "team-a", "uid": "pid-uid"}
            }),
        )
        .await;
        assert_eq!(m, "PATCH");
        assert_eq!(
            uri,
            "/apis/pipelines.kubeflow.org/v2beta1/namespaces/team-a/pipelines/demo?&force=true&fieldManager=kfp-rs"
        );
        assert_eq!(content_type, "application/apply-patch+yaml");
        assert_eq!(
            body,
            json!({
                "apiVersion": "pipelines.kubeflow.org/v2beta1", "kind": "Pipeline",
                "metadata": {"name": "demo", "namespace": "team-a"},
                "spec": {"displayName": "Demo", "tags": {"team": "a"}}
            })
        );
        let (m, uri, _, body) = expect(
            &mut handle,
            json!({
                "apiVersion": "pipelines.kubeflow.org/v2beta1", "kind": "PipelineVersion",
                "metadata": {"name": "demo-v1", "namespace": "team-a", "uid": "vid-uid"}
            }),
        )
        .await;
        assert_eq!(m, "PATCH");
        assert_eq!(
            uri,
            "/apis/pipelines.kubeflow.org/v2beta1/namespaces/team-a/pipelineversions/demo-v1?&force=true&fieldManager=kfp-rs"
        );
        assert_eq!(body["kind"], "PipelineVersion");
        assert_eq!(body["metadata"]["name"], "demo-v1");
        assert_eq!(
            body["spec"],
            json!({
                "pipelineName": "demo", "versionName": "v1", "displayName": "Demo v1",
                "pipelineSpec": expected_spec,
                "platformSpec": {"platforms": {"kubernetes": {}}}
            })
        );
    });
    let pipeline = PipelineResource {
        name: "demo".into(),
        display_name: Some("Demo".into()),
        description: None,
        tags: [("team".to_owned(), "a".to_owned())].into(),
    };
    let applied = k8s::apply_pipeline(&kube, "team-a", &pipeline)
        .await
        .unwrap();
    assert_eq!(applied.metadata.uid.as_deref(), Some("pid-uid"));
    let version = PipelineVersionResource {
        pipeline_name: "demo".into(),
        version_name: "v1".into(),
        display_name: Some("Demo v1".into()),
        pipeline: support::pipeline(spec, Some(json!({"platforms": {"kubernetes": {}}}))),
        ..Default::default()
    };
    let applied = k8s::apply_pipeline_version(&kube, "team-a", &version)
        .await
        .unwrap();
    server.await.unwrap();
    assert_eq!(applied.metadata.uid.as_deref(), Some("vid-uid"));

    let same = PipelineVersionResource {
        pipeline_name: "demo".into(),
        version_name: "demo".into(),
        ..Default::default()
    };
    assert_eq!(same.resource_name(), "demo");
}

#[tokio::test]
async fn the_kubeconfig_context_credentials_are_used() {
    let server = FakeServer::start(|_| Reply::ok(service()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: other\nclusters:\n- name: local\n  cluster:\n    server: {}\ncontexts:\n- name: dev\n  context:\n    cluster: local\n    user: dev-user\n    namespace: team-a\n- name: other\n  context:\n    cluster: local\n    user: other-user\nusers:\n- name: dev-user\n  user:\n    token: kubeconfig-token\n- name: other-user\n  user:\n    token: wrong-token\n",
            server.url
        ),
    )
    .unwrap();
    let kube = k8s::kube_client_from_kubeconfig(&path, Some("dev"))
        .await
        .unwrap();
    assert_eq!(kube.default_namespace(), "team-a");
    // The fake answers the service but no pod list: resolution fails after
    // the first request, which is all this test needs.
    let _ = k8s::resolve_service(&kube, "kubeflow", "ml-pipeline", 8888).await;
    let requests = server.requests();
    assert_eq!(
        requests[0].path,
        "/api/v1/namespaces/kubeflow/services/ml-pipeline"
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer kubeconfig-token")
    );
}
