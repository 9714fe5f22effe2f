//! The HTTP face: discovery, CRUD, watch, scale and status subresources, pod logs, exec and
//! attach, answered as the Kubernetes API answers them.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::Cluster;
use crate::resources::{self, Resource};
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::{ApiError, ApiResult};
use crate::store::{PatchKind, Target};

/// Query parameters the API understands (others are ignored, as a server would ignore unknown
/// ones it does not validate).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    /// Label selector.
    pub label_selector: Option<String>,
    /// Field selector.
    pub field_selector: Option<String>,
    /// `watch=1|true`.
    pub watch: Option<String>,
    /// Start version of a watch / list consistency hint.
    pub resource_version: Option<String>,
    /// Watch duration.
    pub timeout_seconds: Option<u64>,
    /// Send BOOKMARK events.
    pub allow_watch_bookmarks: Option<bool>,
    /// A watch that starts with the current objects as ADDED events, ended by a bookmark
    /// annotated `k8s.io/initial-events-end` (the "watch list" informers of client-go 1.34+).
    pub send_initial_events: Option<bool>,
    /// `NotOlderThan` (required with `sendInitialEvents`) or `Exact`.
    pub resource_version_match: Option<String>,
    /// Field manager of a write.
    pub field_manager: Option<String>,
    /// Grace period of a delete.
    pub grace_period_seconds: Option<i64>,
    /// Log: follow.
    pub follow: Option<bool>,
    /// Log: last lines.
    pub tail_lines: Option<usize>,
    /// Log: since seconds ago.
    pub since_seconds: Option<i64>,
    /// Log: since this time (RFC 3339).
    pub since_time: Option<String>,
    /// Log: prefix timestamps.
    pub timestamps: Option<bool>,
    /// Log: the previous run.
    pub previous: Option<bool>,
    /// Log/exec/attach: the container.
    pub container: Option<String>,
    /// `dryRun=All`: validate and answer, store nothing.
    pub dry_run: Option<String>,
}

impl Params {
    fn dry(&self) -> ApiResult<bool> {
        match self.dry_run.as_deref() {
            None | Some("") => Ok(false),
            Some("All") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "Invalid dry run value: \"{other}\": supported values: \"All\""
            ))),
        }
    }
    fn labels(&self) -> ApiResult<LabelSelector> {
        LabelSelector::parse(self.label_selector.as_deref().unwrap_or(""))
    }
    fn fields(&self) -> ApiResult<FieldSelector> {
        FieldSelector::parse(self.field_selector.as_deref().unwrap_or(""))
    }
    fn is_watch(&self) -> bool {
        matches!(self.watch.as_deref(), Some("1" | "true"))
    }
}

/// The API router.
pub fn router(cluster: Arc<Cluster>) -> Router {
    Router::new()
        .route("/version", get(version))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(|| async { "ok" }))
        .route("/livez", get(|| async { "ok" }))
        .route("/api", get(|| async { Json(resources::core_versions()) }))
        .route("/apis", get(|| async { Json(resources::group_list()) }))
        .route("/api/v1", get(|| async { discovery("", "v1") }))
        .route(
            "/openapi/v3",
            get(|| async { Json(crate::openapi::root()) }),
        )
        .route(
            "/openapi/v3/{*path}",
            get(|Path(path): Path<String>| async move {
                match crate::openapi::group_version(&path) {
                    Some(doc) => Json(doc).into_response(),
                    None => ApiError::no_route(&format!("/openapi/v3/{path}")).into_response(),
                }
            }),
        )
        .route(
            "/apis/{group}/{version}",
            get(|Path((g, v)): Path<(String, String)>| async move { discovery(&g, &v) }),
        )
        .route(
            "/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/{name}",
            get(crate::metrics::pod),
        )
        .route("/api/v1/{*rest}", any(core))
        .route("/apis/{group}/{version}/{*rest}", any(grouped))
        .route("/fakekube/faults", axum::routing::post(crate::faults::set))
        .route("/fakekube/requests", get(crate::faults::requests))
        .fallback(
            |req: Request| async move { ApiError::no_route(req.uri().path()).into_response() },
        )
        .layer(axum::middleware::from_fn_with_state(
            cluster.clone(),
            crate::faults::middleware,
        ))
        .with_state(cluster)
}

async fn version() -> Json<Value> {
    Json(json!({
        "major": "1", "minor": "33", "gitVersion": "v1.33.0-fakekube", "gitCommit": "fakekube",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "n/a",
        "compiler": "rustc", "platform": "linux/amd64",
    }))
}

fn discovery(group: &str, version: &str) -> Response {
    match resources::resource_list(group, version) {
        Some(v) => Json(v).into_response(),
        None => ApiError::no_route(&format!("/apis/{group}/{version}")).into_response(),
    }
}

async fn core(
    State(c): State<Arc<Cluster>>,
    Path(rest): Path<String>,
    Query(p): Query<Params>,
    req: Request,
) -> Response {
    dispatch(c, "", "v1", &rest, p, req).await
}

async fn grouped(
    State(c): State<Arc<Cluster>>,
    Path((group, version, rest)): Path<(String, String, String)>,
    Query(p): Query<Params>,
    req: Request,
) -> Response {
    dispatch(c, &group, &version, &rest, p, req).await
}

/// A parsed resource path.
struct Target_ {
    res: &'static Resource,
    ns: Option<String>,
    name: Option<String>,
    sub: Option<String>,
}

fn parse_path(group: &str, version: &str, rest: &str) -> ApiResult<Target_> {
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let no_route = || ApiError::no_route(rest);
    let namespaced = segs.len() >= 3
        && segs[0] == "namespaces"
        && resources::find(group, version, segs[2]).is_some_and(|r| r.namespaced);
    let (ns, tail) = if namespaced {
        (Some(segs[1].to_string()), &segs[2..])
    } else {
        (None, &segs[..])
    };
    let res =
        resources::find(group, version, tail.first().ok_or_else(no_route)?).ok_or_else(no_route)?;
    if tail.len() > 3 || (res.namespaced && ns.is_none() && tail.len() > 1) {
        return Err(no_route());
    }
    Ok(Target_ {
        res,
        ns,
        name: tail.get(1).map(|s| s.to_string()),
        sub: tail.get(2).map(|s| s.to_string()),
    })
}

async fn dispatch(
    c: Arc<Cluster>,
    group: &str,
    version: &str,
    rest: &str,
    p: Params,
    req: Request,
) -> Response {
    let t = match parse_path(group, version, rest) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let method = req.method().clone();
    // exec and attach upgrade to websockets; they need the whole request.
    if let (Some(name), Some(sub)) = (&t.name, t.sub.as_deref())
        && t.res.plural == "pods"
        && matches!(sub, "exec" | "attach")
    {
        let ns = t.ns.clone().unwrap_or_default();
        return crate::exec::handle(c, ns, name.clone(), sub == "attach", req).await;
    }
    let headers = req.headers().clone();
    if let Err(e) = json_content(&method, &headers) {
        return e.into_response();
    }
    let body = match axum::body::to_bytes(req.into_body(), 16 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return ApiError::bad_request("request body too large").into_response(),
    };
    match handle(&c, t, &method, &headers, body, p).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// The API path of one object (as the request log keys it).
fn object_path(res: &Resource, ns: &str, name: &str) -> String {
    let base = if res.group.is_empty() {
        format!("/api/{}", res.version)
    } else {
        format!("/apis/{}/{}", res.group, res.version)
    };
    if res.namespaced {
        format!("{base}/namespaces/{ns}/{}/{name}", res.plural)
    } else {
        format!("{base}/{}/{name}", res.plural)
    }
}

/// Refuses a create or replace whose body is not JSON (kubectl's typed clients send protobuf,
/// which fakekube does not read) with the apiserver's 415, before the body is read.
fn json_content(method: &Method, headers: &HeaderMap) -> ApiResult<()> {
    if !matches!(*method, Method::POST | Method::PUT) {
        return Ok(());
    }
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match ct.split(';').next().unwrap_or("").trim() {
        "" | "application/json" | "*/*" => Ok(()),
        other => Err(ApiError::unsupported_media_type(other)),
    }
}

fn json_body(body: &Bytes) -> ApiResult<Value> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
}

async fn handle(
    c: &Arc<Cluster>,
    t: Target_,
    method: &Method,
    headers: &HeaderMap,
    body: Bytes,
    p: Params,
) -> ApiResult<Response> {
    let res = t.res;
    let ns = t.ns.clone().unwrap_or_default();
    let store = &c.store;
    match (method, &t.name, t.sub.as_deref()) {
        // collections
        (&Method::GET, None, _) => {
            let ns_filter = if res.namespaced {
                t.ns.as_deref()
            } else {
                None
            };
            let as_table =
                crate::tables::wanted(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()));
            if p.is_watch() {
                return watch(c.clone(), res, ns_filter.map(str::to_string), &p, as_table);
            }
            let (items, rv) = store.list(res, ns_filter, &p.labels()?, &p.fields()?);
            if as_table {
                return Ok(
                    Json(crate::tables::table(res, &items, Some(&rv.to_string()))).into_response(),
                );
            }
            Ok(Json(json!({
                "kind": format!("{}List", res.kind), "apiVersion": res.api_version(),
                "metadata": {"resourceVersion": rv.to_string()}, "items": items,
            }))
            .into_response())
        }
        (&Method::POST, None, _) => {
            if res.namespaced && t.ns.is_none() {
                return Err(ApiError::method_not_allowed());
            }
            let obj = json_body(&body)?;
            let created = store.create_with(res, &ns, obj, p.dry()?)?;
            Ok((StatusCode::CREATED, Json(created)).into_response())
        }
        (&Method::DELETE, None, _) => {
            let ns_filter = if res.namespaced {
                t.ns.as_deref()
            } else {
                None
            };
            let (items, rv) = store.list(res, ns_filter, &p.labels()?, &p.fields()?);
            let mut deleted = Vec::new();
            for o in items {
                let name = o["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                if let Ok(d) = store.delete(res, &ns, &name, p.grace_period_seconds) {
                    deleted.push(d);
                }
            }
            Ok(Json(
                json!({"kind": format!("{}List", res.kind), "apiVersion": res.api_version(),
                "metadata": {"resourceVersion": rv.to_string()}, "items": deleted}),
            )
            .into_response())
        }
        // objects
        (&Method::GET, Some(name), None | Some("status")) => {
            Ok(Json(store.get(res, &ns, name)?).into_response())
        }
        (&Method::GET, Some(name), Some("scale")) if res.plural == "statefulsets" => {
            Ok(Json(scale_of(&store.get(res, &ns, name)?)).into_response())
        }
        (&Method::GET, Some(name), Some("log")) if res.plural == "pods" => {
            crate::logs::handle(c, &ns, name, &p).await
        }
        (&Method::PUT, Some(name), sub) => {
            let obj = json_body(&body)?;
            match sub {
                None => Ok(Json(store.replace(res, &ns, name, obj, Target::Main)?).into_response()),
                Some("status") => {
                    Ok(Json(store.replace(res, &ns, name, obj, Target::Status)?).into_response())
                }
                Some("scale") if res.plural == "statefulsets" => {
                    let replicas = obj.pointer("/spec/replicas").cloned().unwrap_or(json!(0));
                    let patch = json!({"spec": {"replicas": replicas}});
                    let sts =
                        store.patch(res, &ns, name, PatchKind::Merge, &patch, "", Target::Main)?;
                    Ok(Json(scale_of(&sts)).into_response())
                }
                _ => Err(ApiError::no_route(name)),
            }
        }
        (&Method::PATCH, Some(name), sub) => {
            let ct = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let kind = match ct.split(';').next().unwrap_or("").trim() {
                "application/merge-patch+json" | "application/strategic-merge-patch+json" => {
                    PatchKind::Merge
                }
                "application/apply-patch+yaml" | "application/apply-patch+json" => PatchKind::Apply,
                other => return Err(ApiError::unsupported_media_type(other)),
            };
            let patch = json_body(&body)?;
            let manager = p.field_manager.clone().unwrap_or_default();
            match sub {
                None => {
                    let (obj, created) = store.patch_with(
                        res,
                        &ns,
                        name,
                        kind,
                        &patch,
                        &manager,
                        Target::Main,
                        p.dry()?,
                    )?;
                    if !created {
                        return Ok(Json(obj).into_response());
                    }
                    // An apply that creates is authorized as `create` too: say so in the log
                    // (the RBAC test reads it), and answer 201 as the apiserver does.
                    c.requests.note(format!(
                        "PATCH {} (apply-create)",
                        object_path(res, &ns, name)
                    ));
                    Ok((StatusCode::CREATED, Json(obj)).into_response())
                }
                Some("status") => Ok(Json(store.patch(
                    res,
                    &ns,
                    name,
                    kind,
                    &patch,
                    &manager,
                    Target::Status,
                )?)
                .into_response()),
                Some("scale") if res.plural == "statefulsets" => {
                    let replicas = patch.pointer("/spec/replicas").cloned().unwrap_or(json!(0));
                    let p2 = json!({"spec": {"replicas": replicas}});
                    let sts = store.patch(
                        res,
                        &ns,
                        name,
                        PatchKind::Merge,
                        &p2,
                        &manager,
                        Target::Main,
                    )?;
                    Ok(Json(scale_of(&sts)).into_response())
                }
                _ => Err(ApiError::no_route(name)),
            }
        }
        (&Method::DELETE, Some(name), None) => {
            let opts: Value = if body.is_empty() {
                json!({})
            } else {
                json_body(&body)?
            };
            let grace = p
                .grace_period_seconds
                .or_else(|| opts["gracePeriodSeconds"].as_i64());
            if p.dry()? || opts["dryRun"].as_array().is_some_and(|a| !a.is_empty()) {
                return Ok(Json(store.get(res, &ns, name)?).into_response());
            }
            let obj = store.delete(res, &ns, name, grace)?;
            Ok(Json(obj).into_response())
        }
        _ => Err(ApiError::method_not_allowed()),
    }
}

fn scale_of(sts: &Value) -> Value {
    json!({
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {"name": sts["metadata"]["name"], "namespace": sts["metadata"]["namespace"],
                     "resourceVersion": sts["metadata"]["resourceVersion"], "uid": sts["metadata"]["uid"]},
        "spec": {"replicas": sts["spec"]["replicas"]},
        "status": {"replicas": sts["status"]["replicas"].as_i64().unwrap_or(0)},
    })
}

/// A watch: newline-delimited JSON events, from the requested version on.
fn watch(
    c: Arc<Cluster>,
    res: &'static Resource,
    ns: Option<String>,
    p: &Params,
    as_table: bool,
) -> ApiResult<Response> {
    let labels = p.labels()?;
    let fields = p.fields()?;
    let store = c.store.clone();
    let bookmarks = p.allow_watch_bookmarks.unwrap_or(false);
    let mut initial = Vec::new();
    let initial_events = p.send_initial_events == Some(true);
    if initial_events && (p.resource_version_match.as_deref() != Some("NotOlderThan") || !bookmarks)
    {
        return Err(ApiError::invalid(
            res.plural,
            "",
            "resourceVersionMatch: Forbidden: sendInitialEvents requires setting \
             resourceVersionMatch to NotOlderThan and allowWatchBookmarks to true",
        ));
    }
    let from = match p.resource_version.as_deref() {
        // the current state (as new as any version asked for), then what follows
        _ if initial_events => {
            let (items, rv) = store.list(res, ns.as_deref(), &labels, &fields);
            initial = items;
            rv
        }
        None | Some("") => store.resource_version(),
        Some("0") => {
            let (items, rv) = store.list(res, ns.as_deref(), &labels, &fields);
            initial = items;
            rv
        }
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| ApiError::bad_request(format!("invalid resourceVersion {v}")))?,
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(256);
    let line = move |ty: &str, obj: &Value| {
        let obj = if as_table && ty != "ERROR" && ty != "BOOKMARK" {
            crate::tables::table(res, std::slice::from_ref(obj), None)
        } else {
            obj.clone()
        };
        Ok(Bytes::from(format!(
            "{}\n",
            json!({"type": ty, "object": obj})
        )))
    };
    let subscription = store.subscribe_from(from);
    let timeout = Duration::from_secs(p.timeout_seconds.unwrap_or(1800).clamp(1, 3600));
    let mut dropped = c.faults.watch_drops();
    tokio::spawn(async move {
        let (past, mut live) = match subscription {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(line("ERROR", &e.status())).await;
                return;
            }
        };
        for o in initial {
            if tx.send(line("ADDED", &o)).await.is_err() {
                return;
            }
        }
        if initial_events {
            let end = json!({"kind": res.kind, "apiVersion": res.api_version(),
                "metadata": {"resourceVersion": from.to_string(),
                    "annotations": {"k8s.io/initial-events-end": "true"}}});
            if tx.send(line("BOOKMARK", &end)).await.is_err() {
                return;
            }
        }
        let wanted = |e: &crate::store::Event| {
            e.res.plural == res.plural
                && ns
                    .as_deref()
                    .is_none_or(|n| !res.namespaced || e.namespace == n)
                && labels.matches(&e.object)
                && fields.matches(&e.object)
        };
        let mut last = from;
        for e in past {
            last = e.rv;
            if wanted(&e) && tx.send(line(e.ty.as_str(), &e.object)).await.is_err() {
                return;
            }
        }
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tokio::select! {
                _ = &mut deadline => return,
                _ = dropped.changed() => return,
                _ = tick.tick(), if bookmarks => {
                    let bm = json!({"kind": res.kind, "apiVersion": res.api_version(),
                        "metadata": {"resourceVersion": store.resource_version().to_string()}});
                    if tx.send(line("BOOKMARK", &bm)).await.is_err() { return; }
                }
                ev = live.recv() => match ev {
                    Ok(e) => {
                        if e.rv <= last { continue; }
                        last = e.rv;
                        if wanted(&e) && tx.send(line(e.ty.as_str(), &e.object)).await.is_err() { return; }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let gone = ApiError::expired("watch fell behind; relist").status();
                        let _ = tx.send(line("ERROR", &gone)).await;
                        return;
                    }
                    Err(_) => return,
                }
            }
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    Ok(Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .expect("response"))
}
