//! Test support: a throwaway Postgres database per test and the panel served on a free port.

#![allow(dead_code)]

pub mod external;
pub mod replication;
pub mod s3;
pub mod servers;
pub mod ws;

use std::path::PathBuf;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use server::Config;
use tokio::sync::oneshot;

/// The session secret the test servers sign with (so tests can forge and expire tokens).
pub const SECRET: &str = "test-secret-test-secret-test-secret-0123";

/// Where to create throwaway databases: `TEST_DATABASE_URL`, or the local Postgres.
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database made for one test and dropped after it.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let name = format!("panel_test_{}", uuid::Uuid::new_v4().simple());
        let admin = admin_url();
        let mut c = AsyncPgConnection::establish(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot reach Postgres at {admin}: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut c)
            .await
            .unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
        TestDb {
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs outside any runtime guarantee: use a thread with its own runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(mut c) = AsyncPgConnection::establish(&admin_url()).await {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut c)
                            .await;
                }
            });
        })
        .join();
    }
}

/// The mcsim binary next to the test binaries (built with the workspace).
pub fn mcsim_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("mcsim")
}

/// Runs `async fn $name(app: TestApp)` twice: `$name::fake` against a fakekube of its own and
/// `$name::real` against the real control plane (as the chart's Role-bound identity, reported
/// in the suite named by the constant `$suite`).
#[macro_export]
macro_rules! both {
    ($suite:ident, $name:ident) => {
        both!($suite, $name, |_| {});
    };
    // with a change to the panel's configuration (for both clusters)
    ($suite:ident, $name:ident, $tweak:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn fake() {
                super::$name(super::common::TestApp::spawn_with($tweak).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn real() {
                if let Some(app) = super::common::TestApp::spawn_real_with(
                    super::$suite,
                    stringify!($name),
                    $tweak,
                )
                .await
                {
                    super::$name(app).await;
                    realkube::report::ran(super::$suite, stringify!($name));
                }
            }
        }
    };
}

/// Which cluster a test panel drives.
enum Backend {
    /// A fakekube of its own.
    Fake,
    /// The process's real control plane, through this client.
    Real {
        kube: Box<cluster::Kube>,
        control_plane: &'static realkube::ControlPlane,
    },
}

/// A panel served on 127.0.0.1 with its own database, data folder and dist folder.
/// The bearer token of the fakekube a test panel drives (as the sandbox's, it refuses
/// requests without one).
pub const FAKE_TOKEN: &str = "test-sandbox-token-0123456789abcdef";

pub struct TestApp {
    pub base: String,
    /// The metrics listener (`http://127.0.0.1:port`).
    pub metrics_base: String,
    pub client: reqwest::Client,
    pub pool: db::Pool,
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    pub fake: Option<fakekube::FakeKube>,
    /// The real control plane, when the panel drives it (`spawn_real`).
    pub real: Option<&'static realkube::ControlPlane>,
    pub state: panel_core::AppState,
    _db: Option<TestDb>,
    pub data_dir: PathBuf,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::start(tweak, Backend::Fake).await
    }

    /// A panel (on fakekube) over a database the test made itself (`url`), which it keeps.
    pub async fn spawn_on(url: &str, tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::start_on(Some(url), tweak, Backend::Fake).await
    }

    /// A panel driving the real control plane (`realkube`) as the chart's Role-bound identity,
    /// in a namespace of its own; None (recorded as such) when no control plane is configured
    /// and none is required.
    pub async fn spawn_real(suite: &str, test: &str) -> Option<TestApp> {
        Self::spawn_real_with(suite, test, |_| {}).await
    }

    /// [`TestApp::spawn_real`] with a change to the panel's configuration.
    pub async fn spawn_real_with(
        suite: &str,
        test: &str,
        tweak: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        let cp = realkube::for_test(suite, test)?;
        let ns = cp.namespace("games").await.expect("namespace");
        let config = cp.panel_config(&ns).await.expect("the panel's identity");
        let kube = cluster::Kube::from_config(config, &ns).expect("client");
        let app = Self::start(
            |c| {
                tweak(c);
                c.namespace = ns.clone();
                // the pods live in network namespaces of their own: a test's object store on
                // the machine's loopback is reached at the node's address on their side
                if let (Some(repo), Some(n)) = (&mut c.backup_repository, &cp.networks) {
                    *repo = repo.replace("s3:http://127.0.0.1:", &format!("s3:http://{}:", n.node));
                }
            },
            Backend::Real {
                kube: Box::new(kube),
                control_plane: cp,
            },
        )
        .await;
        Some(app)
    }

    async fn start(tweak: impl FnOnce(&mut Config), backend: Backend) -> TestApp {
        Self::start_on(None, tweak, backend).await
    }

    async fn start_on(
        url: Option<&str>,
        tweak: impl FnOnce(&mut Config),
        backend: Backend,
    ) -> TestApp {
        // PANEL_TEST_LOG=<filter> prints the panel's and fakekube's logs (a failing test shows
        // them with its output)
        if let Ok(filter) = std::env::var("PANEL_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        let tdb = match url {
            Some(_) => None,
            None => Some(TestDb::new().await),
        };
        let db_url = url.map_or_else(|| tdb.as_ref().unwrap().url.clone(), str::to_owned);
        let data_dir = std::env::temp_dir().join(format!("panel-test-{}", uuid::Uuid::new_v4()));
        let dist = data_dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>Panel</title>app shell<script>var boot = 1;</script>",
        )
        .unwrap();
        std::fs::write(dist.join("app.css"), "body{}").unwrap();
        let mut config = Config::for_tests(&db_url, data_dir.clone());
        config.dist_dir = dist;
        config.secret = Some(SECRET.into());
        config.db_pool_size = 4;
        tweak(&mut config);

        let database = server::startup::database(&config).await.unwrap();
        let (kube, fake, real) = match backend {
            Backend::Fake => {
                // the node's address, where its node ports are served (the join address)
                let node = fakekube::proxy::spare_node_address();
                config.public_host.get_or_insert_with(|| node.to_string());
                let fake = fakekube::FakeKube::start(fakekube::Config {
                    listen: "127.0.0.1:0".parse().unwrap(),
                    root: data_dir.join("cluster"),
                    mcsim: mcsim_path(),
                    persist: false,
                    namespaces: vec![config.namespace.clone()],
                    token: Some(FAKE_TOKEN.into()),
                    tls: true,
                    node_address: Some(node),
                })
                .await
                .unwrap();
                let kube = cluster::Kube::for_url_with_token(
                    &fake.url,
                    &config.namespace,
                    FAKE_TOKEN,
                    fake.ca_der.clone(),
                )
                .unwrap();
                (kube, Some(fake), None)
            }
            Backend::Real {
                kube,
                control_plane,
            } => {
                config
                    .public_host
                    .get_or_insert_with(|| control_plane.node_address.to_string());
                (*kube, None, Some(control_plane))
            }
        };
        let state = server::startup::state(&config, database.pool.clone(), kube, true)
            .await
            .unwrap();
        tokio::spawn(panel_core::status_sync::run(state.clone()));
        tokio::spawn(panel_core::expose::watch(state.clone()));
        tokio::spawn(panel_core::live::access::run(state.clone()));
        tokio::spawn(panel_core::webhooks::deliver::run(state.clone()));
        tokio::spawn(panel_core::samples::run(state.clone(), state.sample_every));
        tokio::spawn(panel_core::webhooks::watch_players(state.clone()));
        if config.ping_secs > 0 {
            tokio::spawn(panel_core::players::run(
                state.clone(),
                std::time::Duration::from_secs(config.ping_secs),
            ));
        }
        let app_state = state.clone();
        // a test that had to name the panel's address beforehand (a sign-in provider's redirect
        // URI) reserved a port for it in its public URL
        let at = config
            .public_url
            .as_deref()
            .and_then(|u| u.strip_prefix("http://"))
            .filter(|a| a.starts_with("127.0.0.1:"))
            .unwrap_or("127.0.0.1:0")
            .to_owned();
        let listener = tokio::net::TcpListener::bind(at).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let metrics_base = format!("http://{}", metrics.local_addr().unwrap());
        tokio::spawn(server::startup::serve_metrics(
            metrics,
            app_state.clone(),
            std::future::pending(),
        ));
        let cfg = config.clone();
        tokio::spawn(async move {
            server::startup::serve(listener, &cfg, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base,
            metrics_base,
            client: Self::new_client(),
            pool: database.pool,
            config,
            shutdown: Some(tx),
            fake,
            real,
            state: app_state,
            _db: tdb,
            data_dir,
        }
    }

    /// A second replica of this panel: its own state and database pool, over the same database
    /// and cluster (its background tasks are the caller's to start).
    pub async fn replica(&self) -> panel_core::AppState {
        let database = server::startup::database(&self.config).await.unwrap();
        server::startup::state(&self.config, database.pool, self.state.kube.clone(), true)
            .await
            .unwrap()
    }

    /// An object of the panel's namespace as the cluster has it (`kind` one of Pod, Service,
    /// StatefulSet, PersistentVolumeClaim).
    pub async fn object(&self, kind: &str, name: &str) -> Option<serde_json::Value> {
        let ns = &self.config.namespace;
        if let Some(fake) = &self.fake {
            return fake
                .cluster
                .store
                .get(fakekube::resources::by_kind(kind), ns, name)
                .ok();
        }
        use k8s_openapi::api::{apps::v1::StatefulSet, core::v1};
        let client = self.real?.admin_client().await.unwrap();
        async fn get<K>(client: kube::Client, ns: &str, name: &str) -> Option<serde_json::Value>
        where
            K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
                + Clone
                + std::fmt::Debug
                + serde::de::DeserializeOwned
                + serde::Serialize,
        {
            let api: kube::Api<K> = kube::Api::namespaced(client, ns);
            let obj = api.get_opt(name).await.unwrap()?;
            Some(serde_json::to_value(obj).unwrap())
        }
        match kind {
            "Pod" => get::<v1::Pod>(client, ns, name).await,
            "Service" => get::<v1::Service>(client, ns, name).await,
            "StatefulSet" => get::<StatefulSet>(client, ns, name).await,
            "PersistentVolumeClaim" => get::<v1::PersistentVolumeClaim>(client, ns, name).await,
            other => panic!("no such kind here: {other}"),
        }
    }

    /// Makes a PersistentVolumeClaim of 1 GiB in the panel's namespace as the operator (or the
    /// chart) would.
    pub async fn put_claim(&self, name: &str) {
        let ns = &self.config.namespace;
        let claim = serde_json::json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}}}});
        if let Some(fake) = &self.fake {
            fake.cluster.store.put(
                fakekube::resources::by_kind("PersistentVolumeClaim"),
                ns,
                claim,
            );
            return;
        }
        let client = self.real.unwrap().admin_client().await.unwrap();
        let api: kube::Api<k8s_openapi::api::core::v1::PersistentVolumeClaim> =
            kube::Api::namespaced(client, ns);
        api.create(
            &kube::api::PostParams::default(),
            &serde_json::from_value(claim).unwrap(),
        )
        .await
        .unwrap();
    }

    /// Puts a Secret into the panel's namespace as the operator would (the panel never reads
    /// Secrets; its job pods take them).
    pub async fn put_secret(&self, name: &str, data: &[(&str, &str)]) {
        use base64::Engine;
        let ns = &self.config.namespace;
        let encoded: serde_json::Map<String, serde_json::Value> = data
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    base64::engine::general_purpose::STANDARD.encode(v).into(),
                )
            })
            .collect();
        let secret = serde_json::json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": name, "namespace": ns}, "type": "Opaque", "data": encoded});
        if let Some(fake) = &self.fake {
            fake.cluster
                .store
                .put(fakekube::resources::by_kind("Secret"), ns, secret);
            return;
        }
        let client = self.real.unwrap().admin_client().await.unwrap();
        let api: kube::Api<k8s_openapi::api::core::v1::Secret> = kube::Api::namespaced(client, ns);
        api.create(
            &kube::api::PostParams::default(),
            &serde_json::from_value(secret).unwrap(),
        )
        .await
        .unwrap();
    }

    /// The folder holding the world of the server whose objects are `object_name` (its claim's
    /// files: fakekube's claim folder, or the real node's volume).
    pub async fn world_dir(&self, object_name: &str) -> PathBuf {
        let claim = format!("data-{object_name}-0");
        if let Some(fake) = &self.fake {
            return fake
                .cluster
                .kubelet
                .runtime()
                .claim_dir(&self.config.namespace, &claim);
        }
        let pvc = self
            .object("PersistentVolumeClaim", &claim)
            .await
            .expect("the claim");
        let volume = pvc["spec"]["volumeName"].as_str().expect("a bound claim");
        self.real.unwrap().volume_dir(volume)
    }

    /// A fresh client with its own cookie jar (another browser).
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A same-origin JSON call of a server function, as the web app makes it.
    pub async fn call(&self, endpoint: &str, body: serde_json::Value) -> reqwest::Response {
        self.call_as(&self.client, endpoint, body).await
    }

    /// [`TestApp::call`] with another client.
    pub async fn call_as(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ORIGIN, &self.base)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    /// A same-origin JSON call that owns what it needs (to run in a spawned task); gives the
    /// status.
    pub fn call_detached(
        &self,
        client: reqwest::Client,
        endpoint: &str,
        body: serde_json::Value,
    ) -> impl std::future::Future<Output = reqwest::StatusCode> + Send + 'static {
        let url = self.url(&format!("/api/{endpoint}"));
        let origin = self.base.clone();
        async move {
            client
                .post(url)
                .header(ORIGIN, origin)
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap()
                .status()
        }
    }

    /// A new client (its own cookie jar) signed in as `username`.
    pub async fn signed_in(&self, username: &str, password: &str) -> reqwest::Client {
        let c = Self::new_client();
        let res = self
            .call_as(
                &c,
                "login",
                serde_json::json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(res.status(), reqwest::StatusCode::OK, "{username} signs in");
        c
    }

    /// The id of user `username`, from the administrators' list (this app's client must be an
    /// administrator's).
    pub async fn user_id(&self, username: &str) -> serde_json::Value {
        let users = json(self.call("users", serde_json::json!({})).await).await;
        users
            .as_array()
            .expect("the users list")
            .iter()
            .find(|u| u["username"] == username)
            .unwrap_or_else(|| panic!("no user {username}"))["id"]
            .clone()
    }

    /// Creates a user who is not an administrator.
    pub async fn plain_user(&self, username: &str, password: &str) {
        use diesel_async::RunQueryDsl;
        let line = format!("{password}\n");
        server::cli::create_admin(&self.pool, username, line.as_bytes(), 12)
            .await
            .unwrap();
        let mut c = self.pool.get().await.unwrap();
        diesel::sql_query("UPDATE users SET is_admin = false WHERE username = $1")
            .bind::<diesel::sql_types::Text, _>(username)
            .execute(&mut c)
            .await
            .unwrap();
    }

    /// Creates the first administrator through the API and returns the response.
    pub async fn setup_admin(&self, username: &str, password: &str) -> reqwest::Response {
        self.call(
            "setup",
            serde_json::json!({"username": username, "password": password}),
        )
        .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        drop(self.fake.take());
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// A JSON call with an explicit credential, as another browser or a script makes it: a
/// `Bearer …` API token goes in `Authorization`, anything else is the session cookie
/// (`name=value`); None calls anonymously.
pub async fn call_with(
    app: &TestApp,
    credential: Option<&str>,
    endpoint: &str,
    body: &serde_json::Value,
) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(app.url(&format!("/api/{endpoint}")))
        .header(ORIGIN, &app.base)
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string());
    match credential {
        Some(c) if c.starts_with("Bearer ") => req = req.header("authorization", c),
        Some(c) => req = req.header("cookie", c),
        None => {}
    }
    req.send().await.unwrap()
}

/// Reads a JSON body, panicking with the text when it is not JSON.
pub async fn json(res: reqwest::Response) -> serde_json::Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// The TOTP code of base32 `secret` at `at` (seconds since the epoch), as an authenticator app
/// shows it.
pub fn totp_code_at(secret: &str, at: u64) -> String {
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap()
        .generate(at)
        .to_string()
}

/// Seconds since the epoch, now.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The Server List Ping answer at `at` (a join address), asked with craftping every 200 ms
/// for up to 30 s; panics naming the address when nothing answers.
pub async fn ping_until_answered(at: std::net::SocketAddr) -> craftping::Response {
    let host = at.ip().to_string();
    for _ in 0..150 {
        if let Ok(Ok(mut s)) = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            tokio::net::TcpStream::connect(at),
        )
        .await
        {
            let ping = craftping::tokio::ping(
                &mut s,
                &host,
                at.port(),
                craftping::PROTOCOL_VERSION_NOT_SET,
            );
            if let Ok(Ok(answer)) =
                tokio::time::timeout(std::time::Duration::from_secs(3), ping).await
            {
                return answer;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("nothing answered the Server List Ping at {at}");
}

/// The Server List Ping at `at` asked by npm's `minecraft-protocol` (`end2end/ping.mjs`: a
/// client nobody here wrote), naming `name` in its handshake when given (what mc-router routes
/// by): the server's status as it said it. None when npm's packages are not installed and the
/// full suite is not required (`PANEL_REALKUBE=require`, set by `scripts/test.sh` after
/// `npm ci`); panics with the client's reason when it got no answer.
pub async fn npm_ping(at: std::net::SocketAddr, name: Option<&str>) -> Option<serde_json::Value> {
    let end2end = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    if !end2end.join("node_modules/minecraft-protocol").is_dir() {
        assert!(
            std::env::var("PANEL_REALKUBE").as_deref() != Ok("require"),
            "npm's minecraft-protocol is required (npm ci --prefix end2end)"
        );
        eprintln!("npm's minecraft-protocol is not installed: its ping skipped");
        return None;
    }
    let out = tokio::process::Command::new("node")
        .arg(end2end.join("ping.mjs"))
        .arg(at.to_string())
        .args(name)
        .output()
        .await
        .expect("node runs");
    assert!(
        out.status.success(),
        "minecraft-protocol: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("a status as JSON"))
}
