//! The public APIs the panel reads, on loopback, answering from `tests/fixtures` (see their
//! READMEs: the machines cannot reach the real ones). Modrinth: it filters as Modrinth does
//! (search facets, the loaders and game versions of a version list), answers an unknown project
//! with an empty 404, the search `ratelimited` with a 429, and serves the files the versions
//! list. Spiget: its search (by name, a 404 with `[]` when nothing matches), resources and
//! versions. CurseForge: its search, projects and files, behind its `x-api-key` (a bare 403
//! without it). The game version lists of Mojang, Paper (Fill v3), Purpur and Fabric, as recorded.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/modrinth");
const VERSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/versions");
const SPIGET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spiget");
const CURSEFORGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/curseforge");

/// The running fakes.
pub struct FakeApis {
    /// Its base URL (`http://127.0.0.1:port`).
    pub url: String,
    /// Files downloaded so far.
    pub downloads: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Fake {
    base: String,
    downloads: Arc<AtomicUsize>,
}

fn read(name: &str, base: &str) -> Option<Value> {
    let text = std::fs::read_to_string(format!("{DIR}/{name}")).ok()?;
    serde_json::from_str(&text.replace("https://cdn.modrinth.com", base)).ok()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The fixture of a project, by slug or id.
fn versions_of(project: &str, base: &str) -> Option<Vec<Value>> {
    let search = read("search.json", base)?;
    let hit = search["hits"]
        .as_array()?
        .iter()
        .find(|h| h["slug"] == project || h["project_id"] == project)?
        .clone();
    let slug = hit["slug"].as_str()?;
    read(&format!("versions-{slug}.json"), base)?
        .as_array()
        .cloned()
}

fn json(status: StatusCode, v: Value) -> Response {
    (
        status,
        [
            ("content-type", "application/json"),
            ("x-ratelimit-limit", "300"),
        ],
        v.to_string(),
    )
        .into_response()
}

async fn search(State(f): State<Fake>, Query(q): Query<HashMap<String, String>>) -> Response {
    let query = q.get("query").cloned().unwrap_or_default().to_lowercase();
    if query == "ratelimited" {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", "0".parse().unwrap());
        h.insert("x-ratelimit-reset", "17".parse().unwrap());
        return (
            StatusCode::TOO_MANY_REQUESTS,
            h,
            read("ratelimited.json", &f.base).unwrap().to_string(),
        )
            .into_response();
    }
    let facets: Vec<Vec<String>> = match q.get("facets").map(|s| serde_json::from_str(s)) {
        None => Vec::new(),
        Some(Ok(f)) => f,
        Some(Err(_)) => {
            return json(
                StatusCode::BAD_REQUEST,
                serde_json::json!({"error": "request_error", "description": "Error while parsing facets"}),
            );
        }
    };
    let all = read("search.json", &f.base).unwrap();
    let hits: Vec<Value> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            let text = format!("{} {} {}", h["slug"], h["title"], h["description"]).to_lowercase();
            (query.is_empty() || text.contains(&query))
                && facets.iter().all(|any| {
                    any.iter().any(|term| {
                        let (key, want) = term.split_once(':').unwrap_or((term, ""));
                        match key {
                            "categories" => strings(&h["categories"]).iter().any(|c| c == want),
                            "versions" => strings(&h["versions"]).iter().any(|c| c == want),
                            "project_type" => h["project_type"] == want,
                            "server_side" => h["server_side"] == want,
                            _ => false,
                        }
                    })
                })
        })
        .cloned()
        .collect();
    let total = hits.len();
    json(
        StatusCode::OK,
        serde_json::json!({"hits": hits, "offset": 0, "limit": 10, "total_hits": total}),
    )
}

async fn versions(
    State(f): State<Fake>,
    Path(project): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let Some(all) = versions_of(&project, &f.base) else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    // unreadable filters are ignored, as Modrinth does
    let filter = |key: &str| {
        q.get(key)
            .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
    };
    let (loaders, games) = (filter("loaders"), filter("game_versions"));
    let list: Vec<Value> = all
        .into_iter()
        .filter(|v| {
            loaders
                .as_ref()
                .is_none_or(|l| strings(&v["loaders"]).iter().any(|x| l.contains(x)))
                && games
                    .as_ref()
                    .is_none_or(|g| strings(&v["game_versions"]).iter().any(|x| g.contains(x)))
        })
        .collect();
    json(StatusCode::OK, Value::Array(list))
}

async fn file(
    State(f): State<Fake>,
    Path((_project, _version, name)): Path<(String, String, String)>,
) -> Response {
    f.downloads.fetch_add(1, Ordering::SeqCst);
    (
        StatusCode::OK,
        [("content-type", "application/java-archive")],
        format!("fixture jar: {name}\n"),
    )
        .into_response()
}

fn spiget_resources() -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{SPIGET}/resources.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A page of resources as Spiget answers it: 404 with `[]` when empty, most downloaded first.
fn spiget_page(mut list: Vec<Value>) -> Response {
    list.sort_by_key(|r| std::cmp::Reverse(r["downloads"].as_u64().unwrap_or(0)));
    let status = if list.is_empty() {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    json(status, Value::Array(list))
}

async fn spiget_search(Path(query): Path<String>) -> Response {
    let query = query.to_lowercase();
    spiget_page(
        spiget_resources()
            .into_iter()
            .filter(|r| {
                r["name"]
                    .as_str()
                    .is_some_and(|n| n.to_lowercase().contains(&query))
            })
            .collect(),
    )
}

async fn spiget_all() -> Response {
    spiget_page(spiget_resources())
}

async fn spiget_resource(Path(id): Path<u64>) -> Response {
    match spiget_resources().into_iter().find(|r| r["id"] == id) {
        Some(r) => json(StatusCode::OK, r),
        None => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({"error": "resource not found"}),
        ),
    }
}

async fn spiget_versions(Path(id): Path<u64>) -> Response {
    match std::fs::read_to_string(format!("{SPIGET}/versions-{id}.json")) {
        Ok(text) => json(StatusCode::OK, serde_json::from_str(&text).unwrap()),
        Err(_) => spiget_page(Vec::new()),
    }
}

/// CurseForge's answer to a request without the key: a bare 403.
fn curseforge_refuses(headers: &HeaderMap) -> Option<Response> {
    (headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(FakeApis::CURSEFORGE_KEY))
        .then(|| StatusCode::FORBIDDEN.into_response())
}

fn curseforge_mods() -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{CURSEFORGE}/mods.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn curseforge_files(id: u64) -> Option<Vec<Value>> {
    let text = std::fs::read_to_string(format!("{CURSEFORGE}/files-{id}.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// CurseForge's loader names by `modLoaderType`.
fn curseforge_loader(n: &str) -> Option<&'static str> {
    Some(match n {
        "1" => "Forge",
        "4" => "Fabric",
        "5" => "Quilt",
        "6" => "NeoForge",
        _ => return None,
    })
}

/// Whether a file fits the query's `gameVersion` and `modLoaderType` (each when given).
fn curseforge_fits(file: &Value, q: &HashMap<String, String>) -> bool {
    let listed = strings(&file["gameVersions"]);
    q.get("gameVersion").is_none_or(|v| listed.contains(v))
        && q.get("modLoaderType")
            .and_then(|l| curseforge_loader(l))
            .is_none_or(|l| listed.iter().any(|x| x == l))
}

fn curseforge_page(list: Vec<Value>) -> Response {
    let n = list.len();
    json(
        StatusCode::OK,
        serde_json::json!({"data": list, "pagination":
            {"index": 0, "pageSize": 50, "resultCount": n, "totalCount": n}}),
    )
}

async fn curseforge_search(
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(no) = curseforge_refuses(&headers) {
        return no;
    }
    let text = q
        .get("searchFilter")
        .cloned()
        .unwrap_or_default()
        .to_lowercase();
    let mut found: Vec<Value> = curseforge_mods()
        .into_iter()
        .filter(|m| {
            let id = m["id"].as_u64().unwrap();
            let words = format!("{} {} {}", m["name"], m["slug"], m["summary"]).to_lowercase();
            q.get("classId")
                .is_none_or(|c| c.parse::<u64>().ok() == m["classId"].as_u64())
                && (text.is_empty() || words.contains(&text))
                && curseforge_files(id)
                    .unwrap_or_default()
                    .iter()
                    .any(|f| curseforge_fits(f, &q))
        })
        .collect();
    found.sort_by(|a, b| {
        b["downloadCount"]
            .as_f64()
            .partial_cmp(&a["downloadCount"].as_f64())
            .unwrap()
    });
    curseforge_page(found)
}

async fn curseforge_mod(headers: HeaderMap, Path(id): Path<u64>) -> Response {
    if let Some(no) = curseforge_refuses(&headers) {
        return no;
    }
    match curseforge_mods().into_iter().find(|m| m["id"] == id) {
        Some(m) => json(StatusCode::OK, serde_json::json!({"data": m})),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn curseforge_mod_files(
    headers: HeaderMap,
    Path(id): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(no) = curseforge_refuses(&headers) {
        return no;
    }
    match curseforge_files(id) {
        Some(files) => curseforge_page(
            files
                .into_iter()
                .filter(|f| curseforge_fits(f, &q))
                .collect(),
        ),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// A recorded version list.
async fn list(name: &'static str) -> Response {
    match std::fs::read_to_string(format!("{VERSIONS}/{name}")) {
        Ok(text) => (StatusCode::OK, [("content-type", "application/json")], text).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

impl FakeApis {
    /// The CurseForge API key the fake takes (any other is refused with a 403).
    pub const CURSEFORGE_KEY: &str = "$2a$10$fake.curseforge.key.for.tests";

    /// The one of this test binary, started on first use on a thread of its own (so that a
    /// panel's configuration, set before it starts, can name it).
    pub fn shared() -> &'static FakeApis {
        static ONE: std::sync::OnceLock<FakeApis> = std::sync::OnceLock::new();
        ONE.get_or_init(|| {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.set_nonblocking(true).unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let downloads = Arc::new(AtomicUsize::new(0));
            let fake = Fake {
                base: url.clone(),
                downloads: downloads.clone(),
            };
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    let app = Router::new()
                        .route("/v2/search", get(search))
                        .route("/v2/project/{project}/version", get(versions))
                        .route("/data/{project}/versions/{version}/{name}", get(file))
                        .route(
                            "/mc/game/version_manifest_v2.json",
                            get(|| list("mojang.json")),
                        )
                        .route("/v3/projects/paper", get(|| list("paper.json")))
                        .route("/v2/purpur", get(|| list("purpur.json")))
                        .route("/v2/versions/game", get(|| list("fabric.json")))
                        .route("/v2/search/resources/{query}", get(spiget_search))
                        .route("/v2/resources", get(spiget_all))
                        .route("/v2/resources/{id}", get(spiget_resource))
                        .route("/v2/resources/{id}/versions", get(spiget_versions))
                        .route("/v1/mods/search", get(curseforge_search))
                        .route("/v1/mods/{id}", get(curseforge_mod))
                        .route("/v1/mods/{id}/files", get(curseforge_mod_files))
                        .with_state(fake);
                    axum::serve(listener, app).await
                })
            });
            FakeApis { url, downloads }
        })
    }

    /// Points a panel's configuration at them (CurseForge stays off: it needs a key, which
    /// [`FakeApis::with_curseforge`] gives).
    pub fn configure(c: &mut server::Config) {
        let url = &Self::shared().url;
        for setting in [
            &mut c.modrinth_url,
            &mut c.mojang_url,
            &mut c.paper_url,
            &mut c.purpur_url,
            &mut c.fabric_url,
            &mut c.spiget_url,
            &mut c.curseforge_url,
        ] {
            setting.clone_from(url);
        }
    }

    /// Points a panel's configuration at them, with the CurseForge key they take, shared with
    /// the game servers through the Secret `panel-curseforge`.
    pub fn with_curseforge(c: &mut server::Config) {
        Self::configure(c);
        c.curseforge_api_key = Some(Self::CURSEFORGE_KEY.into());
        c.curseforge_secret = Some("panel-curseforge".into());
    }
}
