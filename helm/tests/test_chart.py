"""The Helm chart, rendered by the real Helm engine (helm-python-sdk) for the default values and
each option, every object validated against the Kubernetes JSON schemas (kubernetes-validate),
the CloudNativePG objects against their CRDs' schemas, and the properties an operator relies on
checked: least privilege, isolation, non-root."""

import http.server
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import unittest

import helm_python as helm
import jsonschema
import kubernetes_validate
import yaml

CHART = pathlib.Path(__file__).resolve().parents[1] / "panel"
KUBE = "1.33.0"
# Custom resources validated against no schema: the ServiceMonitor (its CRD is not fetched).
CRDS = {"monitoring.coreos.com/v1"}

# The CloudNativePG objects' CRDs, from the Go modules that publish them (the Go module proxy,
# through `go mod download`), pinned, and cached per version under the tools' cache; never copied
# into the repository. v1.30.1: the newest operator release the proxy serves (1.29 and 1.30 are
# the supported minors); v0.15.0: the newest Barman Cloud Plugin.
CACHE = pathlib.Path(os.environ.get("PANEL_CACHE") or pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "mc-panel")
CRD_MODULES = {
    "github.com/cloudnative-pg/cloudnative-pg@v1.30.1": [
        "config/crd/bases/postgresql.cnpg.io_clusters.yaml",
        "config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml",
    ],
    "github.com/cloudnative-pg/plugin-barman-cloud@v0.15.0": [
        "config/crd/bases/barmancloud.cnpg.io_objectstores.yaml",
    ],
}


def crd_files(module, paths):
    """The CRD files of a pinned module, from the cache, else downloaded once into it."""
    name, version = module.rsplit("@", 1)
    dest = CACHE / "crds" / f"{name.rsplit('/', 1)[1]}-{version}"
    files = [dest / pathlib.Path(p).name for p in paths]
    if all(f.is_file() for f in files):
        return files
    go = shutil.which("go") or shutil.which("go", path="/usr/local/go/bin")
    if not go:
        raise RuntimeError(f"the CRDs of {module} are not in {dest} and Go is not installed to download them (scripts/test.sh needs Go too)")
    env = dict(os.environ, GOFLAGS="-mod=mod")
    with tempfile.TemporaryDirectory() as work:  # outside any module: no go.mod is touched
        run = subprocess.run([go, "mod", "download", "-json", module], cwd=work, env=env, capture_output=True, text=True, timeout=600)
    info = json.loads(run.stdout or "{}")
    if run.returncode or info.get("Error") or not info.get("Dir"):
        raise RuntimeError(f"go mod download {module} failed: {info.get('Error') or run.stderr.strip()}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(dir=dest.parent, prefix=".tmp-"))
    tmp.chmod(0o755)
    try:
        for p in paths:
            shutil.copyfile(pathlib.Path(info["Dir"]) / p, tmp / pathlib.Path(p).name)
        shutil.rmtree(dest, ignore_errors=True)
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return files


def strict(schema):
    """A CRD's structural schema read strictly: an object's fields are the ones it lists, unless
    it says otherwise (the API server drops an unknown field silently, or refuses it under strict
    field validation), so a misspelt field fails here."""
    if isinstance(schema, dict):
        schema = {k: strict(v) for k, v in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [strict(v) for v in schema]
    return schema


_CRD_SCHEMAS = {}


def crd_schemas():
    """{(apiVersion, kind): the served version's openAPIV3Schema} of the pinned CRDs."""
    if not _CRD_SCHEMAS:
        for module, paths in CRD_MODULES.items():
            for f in crd_files(module, paths):
                crd = yaml.safe_load(f.read_text())
                for v in crd["spec"]["versions"]:
                    if v["served"]:
                        _CRD_SCHEMAS[(f"{crd['spec']['group']}/{v['name']}", crd["spec"]["names"]["kind"])] = strict(v["schema"]["openAPIV3Schema"])
    return _CRD_SCHEMAS


# The CEL rules (x-kubernetes-validations) of the fields the chart sets, read by hand: no CEL
# engine runs here. A rule not listed (a new CRD version's) fails the test until it is read.
CEL_RULES = {
    "!(has(self.imageCatalogRef) && has(self.imageName))": lambda s: not ("imageCatalogRef" in s and "imageName" in s),
    "!has(self.builtinLocale) || self.localeProvider == 'builtin'": lambda s: "builtinLocale" not in s or s.get("localeProvider") == "builtin",
    "!has(self.icuLocale) || self.localeProvider == 'icu'": lambda s: "icuLocale" not in s or s.get("localeProvider") == "icu",
    "!has(self.icuRules) || self.localeProvider == 'icu'": lambda s: "icuRules" not in s or s.get("localeProvider") == "icu",
    "self.dataDurability!='preferred' || ((!has(self.standbyNamesPre) || self.standbyNamesPre.size()==0) && (!has(self.standbyNamesPost) || self.standbyNamesPost.size()==0))":
        lambda s: s.get("dataDurability") != "preferred" or (not s.get("standbyNamesPre") and not s.get("standbyNamesPost")),
    "self > 0": lambda s: s > 0,
    "!has(self.serverName)": lambda s: "serverName" not in s,
    "self == oldSelf": lambda s: True,  # a transition rule: on updates only
}


def cel_rules(schema, value, path):
    """[(path, rule, holds)] for every CEL rule on the way to each field of value."""
    found = []
    for rule in schema.get("x-kubernetes-validations", []):
        check = CEL_RULES.get(rule["rule"])
        found.append((path, rule["rule"], check is not None and check(value)))
    if isinstance(value, dict):
        for k, v in value.items():
            sub = schema.get("properties", {}).get(k)
            if sub is None and isinstance(schema.get("additionalProperties"), dict):
                sub = schema["additionalProperties"]
            if sub is not None:
                found += cel_rules(sub, v, f"{path}.{k}")
    elif isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            found += cel_rules(schema["items"], v, f"{path}[{i}]")
    return found


def validate_custom(obj):
    """Validates a CloudNativePG object against its CRD's schema (the OpenAPI v3 subset CRDs use is
    JSON Schema draft 4's) and the CEL rules on its fields (CEL_RULES); not the operator's
    admission webhook."""
    schema = crd_schemas().get((obj["apiVersion"], obj["kind"]))
    if schema is None:
        raise AssertionError(f"no CRD pinned for {obj['apiVersion']} {obj['kind']}")
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(obj), key=lambda e: list(e.absolute_path))
    if errors:
        raise AssertionError("; ".join(f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors))
    for path, rule, holds in cel_rules(schema, obj, obj["kind"]):
        if rule not in CEL_RULES:
            raise AssertionError(f"{path}: a CEL rule the test has not read: {rule}")
        if not holds:
            raise AssertionError(f"{path}: breaks the CEL rule {rule}")


def render(values=None):
    with helm.Chart.load(str(CHART)) as chart:
        chart.validate_schema(values or {})
        out = chart.render(values or {}, name="mc", namespace="panel")
    objs = []
    for name, text in out.items():
        if not name.endswith(".yaml"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                objs.append(doc)
    return objs


def render_live(values, objects):
    """Renders as `helm upgrade` does, `lookup` reading a stub API server on loopback that holds
    objects ({API path: object}, e.g. "/apis/apps/v1/namespaces/panel/statefulsets/x") and
    discovery of the core and apps/v1 groups; any other path is 404, as a missing object's is."""
    resources = {"/api/v1": ("v1", [("secrets", "Secret")]), "/apis/apps/v1": ("apps/v1", [("statefulsets", "StatefulSet")])}

    class Api(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?")[0]
            body, code = objects.get(path), 200
            if path in resources:
                gv, res = resources[path]
                body = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": [{"name": n, "singularName": n[:-1], "namespaced": True, "kind": k, "verbs": ["get", "list"]} for n, k in res]}
            elif body is None:
                body, code = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404}, 404
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kubeconfig = yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "current-context": "stub",
                                 "clusters": [{"name": "stub", "cluster": {"server": f"http://127.0.0.1:{server.server_port}"}}],
                                 "users": [{"name": "stub", "user": {"token": "t"}}],
                                 "contexts": [{"name": "stub", "context": {"cluster": "stub", "user": "stub", "namespace": "panel"}}]})
    try:
        with helm.Config(namespace="panel", kubeconfig_content=kubeconfig) as cfg, helm.Chart.load(str(CHART)) as chart:
            chart.validate_schema(values)
            out = cfg.render(chart, values, name="mc", namespace="panel", is_upgrade=True)
    finally:
        server.shutdown()
        server.server_close()
    return [doc for name, text in out.items() if name.endswith(".yaml") for doc in yaml.safe_load_all(text) if doc]


def of_kind(objs, kind):
    return [o for o in objs if o["kind"] == kind]


class Chart(unittest.TestCase):
    CASES = {
        "default": {},
        "ingress with TLS": {"ingress": {"enabled": True, "className": "nginx", "host": "panel.example.com", "tls": {"enabled": True, "secretName": "t"}}, "publicUrl": "https://panel.example.com"},
        "autoscaling": {"autoscaling": {"enabled": True, "minReplicas": 2, "maxReplicas": 4}},
        "cluster role": {"clusterRole": {"enabled": True}},
        "quota and limits": {"games": {"quota": {"enabled": True}, "limitRange": {"enabled": True}}},
        "external database": {"postgres": {"enabled": False}, "externalDatabase": {"secretName": "db", "key": "url"}},
        "no network policies": {"networkPolicies": {"enabled": False}},
        "no backup": {"backup": {"enabled": False}},
        "service monitor": {"metrics": {"serviceMonitor": {"enabled": True}}},
        "existing games namespace": {"games": {"create": False, "namespace": "minecraft"}},
        "storage class": {"storage": {"className": "local-path", "allowVolumeExpansion": False}},
        "node ports with a public host": {"expose": {"mode": "nodeport", "nodePorts": "31000-31999", "publicHost": "mc.example.org"}},
        "inside the cluster only": {"expose": {"mode": "clusterip"}},
        "a load balancer per server": {"expose": {"mode": "loadbalancer"}},
        "behind mc-router": {"expose": {"mode": "hostname", "domain": "mc.example.org"}},
        "CurseForge": {"curseforge": {"apiKey": "$2a$10$operator.key"}},
        "CurseForge shared with the game servers": {"curseforge": {"apiKey": "$2a$10$operator.key", "shareWithGameServers": True}},
        "single sign-on": {"publicUrl": "https://panel.example.com", "sso": {"issuer": "https://auth.example.com/application/o/panel/", "clientId": "panel", "clientSecret": "client.s3cret"}},
        "single sign-on only, the operator's Secret, a provider inside the cluster": {"publicUrl": "https://panel.example.com", "sso": {"issuer": "https://keycloak.example.com/realms/mc", "clientId": "panel", "existingSecret": "kc", "name": "Keycloak", "adminClaim": "realm_access.roles=admin", "linkByEmail": True, "createUsers": False, "passwords": False, "egressCidrs": ["10.42.0.0/16", "192.168.10.5/32"], "egressPorts": [443, 8443]}},
        "webhooks to receivers inside the cluster": {"webhooks": {"allowInternal": True, "retrySeconds": 30, "egressCidrs": ["10.42.0.0/16", "192.168.10.5/32"], "egressPorts": [443, 80]}},
        "world backups on a claim": {"worldBackups": {"claim": {"enabled": True, "storageClassName": "nfs"}, "password": "p"}},
        "world backups to S3": {"worldBackups": {"repository": "s3:https://s3.example.org/mc/panel", "password": "p", "accessKeyId": "a", "secretAccessKey": "s", "storeCidr": "10.20.0.0/16"}},
        "CloudNativePG, backed up beside the world backups": {"postgres": {"cloudnativepg": {"enabled": True}}, "worldBackups": {"repository": "s3:https://s3.example.org/mc/panel", "password": "p", "accessKeyId": "a", "secretAccessKey": "s", "storeCidr": "10.20.0.0/16"}},
        "CloudNativePG, its own store and Secret, a storage class": {"postgres": {"storageClass": "fast", "cloudnativepg": {"enabled": True, "instances": 5, "synchronous": 2, "dataDurability": "preferred", "operatorNamespace": "operators", "backups": {"destinationPath": "s3://pg-backups/panel", "endpointURL": "http://minio.storage:9000", "existingSecret": "pg-s3", "retentionPolicy": "8w", "schedule": "0 30 2 * * 0", "storeCidr": "10.43.0.0/16"}}}},
        "CloudNativePG, asynchronous, no backups": {"postgres": {"cloudnativepg": {"enabled": True, "instances": 2, "synchronous": 0, "failoverQuorum": False, "backups": {"enabled": False}}}},
    }

    def test_every_option_renders_valid_objects(self):
        for case, values in self.CASES.items():
            with self.subTest(case=case):
                objs = render(values)
                self.assertGreater(len(objs), 5)
                for o in objs:
                    if o["apiVersion"] in CRDS:
                        continue
                    if o["apiVersion"].split("/")[0].endswith(".cnpg.io"):
                        try:
                            validate_custom(o)
                        except AssertionError as e:
                            self.fail(f"{case}: {o['kind']} {o['metadata']['name']}: {e}")
                        continue
                    try:
                        kubernetes_validate.validate(o, KUBE, strict=True)
                    except kubernetes_validate.ValidationError as e:
                        self.fail(f"{case}: {o['kind']} {o['metadata']['name']}: {e.message}")

    def test_least_privilege(self):
        objs = render()
        self.assertEqual(of_kind(objs, "ClusterRole"), [], "no ClusterRole by default")
        (role,) = of_kind(objs, "Role")
        self.assertEqual(role["metadata"]["namespace"], "games")
        wanted = json.loads((CHART / "files" / "rbac.json").read_text())
        self.assertEqual(role["rules"], wanted)
        for rule in role["rules"]:
            self.assertNotIn("*", rule["verbs"])
            self.assertNotIn("*", rule["resources"])
            self.assertNotIn("secrets", rule["resources"])
        self.assertEqual(len(of_kind(render({"clusterRole": {"enabled": True}}), "ClusterRole")), 1)

    def test_the_panel_runs_locked_down(self):
        (dep,) = of_kind(render(), "Deployment")
        pod = dep["spec"]["template"]["spec"]
        self.assertTrue(pod["securityContext"]["runAsNonRoot"])
        (c,) = pod["containers"]
        self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])
        self.assertFalse(c["securityContext"]["allowPrivilegeEscalation"])
        self.assertEqual(c["securityContext"]["capabilities"]["drop"], ["ALL"])
        self.assertEqual(c["readinessProbe"]["httpGet"]["path"], "/readyz")
        self.assertEqual(c["livenessProbe"]["httpGet"]["path"], "/healthz")
        env = {e["name"]: e for e in c["env"]}
        self.assertEqual(env["PANEL_NAMESPACE"]["value"], "games")
        self.assertIn("secretKeyRef", env["DATABASE_URL"]["valueFrom"])
        self.assertIn("secretKeyRef", env["PANEL_SECRET"]["valueFrom"])
        self.assertEqual(env["PANEL_SECURE_COOKIES"]["value"], "false")
        self.assertNotIn("PANEL_STORAGE_CLASS", env)
        self.assertEqual(env["PANEL_STORAGE_GROWS"]["value"], "true")
        stored = of_kind(render(self.CASES["storage class"]), "Deployment")[0]
        env = {e["name"]: e for e in stored["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_STORAGE_CLASS"]["value"], "local-path")
        self.assertEqual(env["PANEL_STORAGE_GROWS"]["value"], "false")
        tls = of_kind(render(self.CASES["ingress with TLS"]), "Deployment")[0]
        env = {e["name"]: e for e in tls["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_SECURE_COOKIES"]["value"], "true")
        # the temporary space holds exactly the archive jobs' files (two upload limits each)
        (dep,) = of_kind(render({"uploadLimitMiB": 1000, "archiveJobs": 3}), "Deployment")
        vols = {v["name"]: v for v in dep["spec"]["template"]["spec"]["volumes"]}
        self.assertEqual(vols["tmp"]["emptyDir"]["sizeLimit"], "6256Mi")
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_ARCHIVE_JOBS"]["value"], "3")

    def test_isolation_policies(self):
        pols = {p["metadata"]["name"]: p for p in of_kind(render(), "NetworkPolicy")}
        games = pols["game-servers"]
        self.assertEqual(games["metadata"]["namespace"], "games")
        # by name, whatever the template's numbers: the game port and the four extra ports
        ports = {(p["protocol"], p["port"]) for rule in games["spec"]["ingress"] for p in rule["ports"]}
        extra = {(proto, f"extra-{i}") for i in range(1, 5) for proto in ("TCP", "UDP")}
        self.assertEqual(ports, {("TCP", "minecraft")} | extra, "game servers take only their declared ports")
        panel_rule = [r for r in games["spec"]["ingress"] if any("podSelector" in p for p in r["from"])]
        self.assertEqual(panel_rule[0]["ports"], [{"protocol": "TCP", "port": "minecraft"}], "the panel pings the game port only")
        for rule in games["spec"]["ingress"]:
            for peer in rule["from"]:
                if "podSelector" in peer:
                    # the panel's own pods (the Server List Ping), in its namespace: never
                    # another game server
                    self.assertEqual(peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"], "server")
                    self.assertEqual(peer["namespaceSelector"]["matchLabels"], {"kubernetes.io/metadata.name": "panel"})
        # out: DNS in kube-system, and the internet but never the cluster's ranges nor
        # link-local (the metadata service)
        self.assertEqual(games["spec"]["policyTypes"], ["Ingress", "Egress"])
        dns, internet = games["spec"]["egress"]
        self.assertEqual(dns["to"][0]["namespaceSelector"]["matchLabels"], {"kubernetes.io/metadata.name": "kube-system"})
        self.assertEqual({(p["protocol"], p["port"]) for p in dns["ports"]}, {("UDP", 53), ("TCP", 53)})
        v4 = internet["to"][0]["ipBlock"]
        self.assertEqual(v4["cidr"], "0.0.0.0/0")
        for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"):
            self.assertIn(cidr, v4["except"])
        self.assertIn("fe80::/10", internet["to"][1]["ipBlock"]["except"])
        self.assertNotIn("ports", internet)
        panel_peers = [peer for rule in games["spec"]["ingress"] for peer in rule["from"] if "podSelector" in peer]
        self.assertEqual(len(panel_peers), 1, "the panel asks who is online")
        pg = pols["mc-panel-postgres"]
        peers = [p["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for p in pg["spec"]["ingress"][0]["from"]]
        self.assertEqual(sorted(peers), ["backup", "server"], "Postgres only from the panel and its backup")
        panel = pols["mc-panel"]
        by_ns = {
            rule["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]: {p["port"] for p in rule["ports"]}
            for rule in panel["spec"]["ingress"]
        }
        self.assertEqual(by_ns, {"ingress-nginx": {8080}, "monitoring": {9464}}, "the ingress never reaches /metrics")
        to_games = [
            rule for rule in panel["spec"]["egress"]
            for peer in rule["to"]
            if peer.get("namespaceSelector", {}).get("matchLabels") == {"kubernetes.io/metadata.name": "games"}
        ]
        self.assertEqual(len(to_games), 1)
        self.assertEqual(to_games[0]["to"][0]["podSelector"]["matchLabels"], {"app.kubernetes.io/managed-by": "mc-panel"})
        self.assertEqual([p["port"] for p in to_games[0]["ports"]], ["minecraft"], "only the game port of the game servers")
        # the public APIs (Modrinth, Spiget, CurseForge, the version lists) over HTTPS, whatever
        # range the API server is narrowed to, never a private range
        narrowed = {p["metadata"]["name"]: p for p in of_kind(render({"networkPolicies": {"apiServerCidr": "10.96.0.1/32"}}), "NetworkPolicy")}
        public = [
            rule for rule in narrowed["mc-panel"]["spec"]["egress"]
            if any(peer.get("ipBlock", {}).get("cidr") == "0.0.0.0/0" for peer in rule["to"])
        ]
        self.assertEqual(len(public), 1)
        self.assertEqual(public[0]["ports"], [{"protocol": "TCP", "port": 443}])
        self.assertIn("10.0.0.0/8", public[0]["to"][0]["ipBlock"]["except"])
        self.assertEqual(of_kind(render({"networkPolicies": {"enabled": False}}), "NetworkPolicy"), [])

    def test_players_reach_the_servers_as_the_mode_says(self):
        def env_of(values):
            (dep,) = of_kind(render(values), "Deployment")
            return {e["name"]: e.get("value") for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}

        def game_peers(values):
            pols = {p["metadata"]["name"]: p for p in of_kind(render(values), "NetworkPolicy")}
            # players' peers (the panel's own pods come in a rule of their own)
            return [peer for rule in pols["game-servers"]["spec"]["ingress"] for peer in rule["from"] if "podSelector" not in peer]

        env = env_of({})
        self.assertEqual((env["PANEL_EXPOSE"], env["PANEL_NODE_PORTS"]), ("nodeport", "30000-32767"), "node ports by default")
        self.assertNotIn("PANEL_PUBLIC_HOST", env)
        self.assertEqual(env_of(self.CASES["node ports with a public host"])["PANEL_PUBLIC_HOST"], "mc.example.org")
        # node ports: from every address (the nodes' private ones included), IPv4 and IPv6
        cidrs = sorted(p["ipBlock"]["cidr"] for p in game_peers({}))
        self.assertEqual(cidrs, ["0.0.0.0/0", "::/0"])
        self.assertTrue(all("except" not in p["ipBlock"] for p in game_peers({})))
        # inside the cluster only: public addresses (a proxy) and kube-system, no private ranges
        inside = game_peers(self.CASES["inside the cluster only"])
        self.assertEqual(env_of(self.CASES["inside the cluster only"])["PANEL_EXPOSE"], "clusterip")
        self.assertIn({"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}, inside)
        # load balancers: players from every address too
        lb = self.CASES["a load balancer per server"]
        self.assertEqual(env_of(lb)["PANEL_EXPOSE"], "loadbalancer")
        self.assertEqual(sorted(p["ipBlock"]["cidr"] for p in game_peers(lb)), ["0.0.0.0/0", "::/0"])
        for bad in ({"expose": {"mode": "hostname"}}, {"networkPolicies": {"gameEgressExcept": ["not a range"]}}, {"expose": {"nodePorts": "lots"}}, {"expose": {"publicHost": "http://x/"}}):
            with self.subTest(values=bad), self.assertRaises(Exception):
                render(bad)

    def test_hostname_mode_deploys_mc_router_with_rights_of_its_own(self):
        objs = render(self.CASES["behind mc-router"])
        (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"].endswith("-router")]
        spec = dep["spec"]["template"]["spec"]
        self.assertEqual(spec["serviceAccountName"], "mc-panel-router")
        args = spec["containers"][0]["args"]
        self.assertIn("--in-kube-cluster", args)
        self.assertIn("--kube-namespace=games", args)
        (role,) = [r for r in of_kind(objs, "Role") if r["metadata"]["name"] == "mc-panel-router"]
        self.assertEqual(role["metadata"]["namespace"], "games")
        self.assertEqual(role["rules"], [
            {"apiGroups": [""], "resources": ["services"], "verbs": ["list", "watch"]},
            {"apiGroups": ["apps"], "resources": ["statefulsets"], "verbs": ["list", "watch", "patch"]},
            {"apiGroups": ["apps"], "resources": ["statefulsets/scale"], "verbs": ["get", "update"]},
        ], "wake-on-join: the router scales a sleeping server up")
        self.assertIn("--auto-scale-up", args)
        (rb,) = [r for r in of_kind(objs, "RoleBinding") if r["metadata"]["name"] == "mc-panel-router"]
        self.assertEqual(rb["subjects"][0]["name"], "mc-panel-router", "the router's own account, not the panel's")
        (svc,) = [s for s in of_kind(objs, "Service") if s["metadata"]["name"] == "mc-panel-router"]
        self.assertEqual((svc["spec"]["type"], svc["spec"]["ports"][0]["port"]), ("LoadBalancer", 25565))
        (panel,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e.get("value") for e in panel["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual((env["PANEL_EXPOSE"], env["PANEL_DOMAIN"], env["PANEL_WAKE_ON_JOIN"]), ("hostname", "mc.example.org", "true"))
        # without wake-on-join the router may only read the Services
        quiet = render({"expose": {"mode": "hostname", "domain": "mc.example.org"}, "router": {"wakeOnJoin": False}})
        (qrole,) = [r for r in of_kind(quiet, "Role") if r["metadata"]["name"] == "mc-panel-router"]
        self.assertEqual(len(qrole["rules"]), 1)
        # game servers take players from the router's pods only
        pols = {p["metadata"]["name"]: p for p in of_kind(objs, "NetworkPolicy")}
        game_rules = [r for r in pols["game-servers"]["spec"]["ingress"] if {"protocol": "TCP", "port": "minecraft"} in r["ports"]]
        peers = [peer for rule in game_rules for peer in rule["from"]]
        self.assertTrue(all("podSelector" in p for p in peers), "no address ranges to the game port in hostname mode")
        self.assertEqual(sorted(p["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for p in peers), ["router", "server"])
        # the extra ports, which the router does not carry, are inside the cluster only
        extra_rules = [r for r in pols["game-servers"]["spec"]["ingress"] if r not in game_rules]
        self.assertEqual(len(extra_rules), 2)
        self.assertIn({"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}, extra_rules[0]["from"])
        self.assertTrue(all(p["port"].startswith("extra-") for r in extra_rules for p in r["ports"]))
        self.assertIn("mc-panel-router", pols)
        # the other modes deploy no router; hostname mode needs a domain
        self.assertEqual([d for d in of_kind(render(), "Deployment") if d["metadata"]["name"].endswith("-router")], [])
        for bad in ({"expose": {"mode": "hostname"}}, {"expose": {"mode": "hostname", "domain": "Not A Domain"}}):
            with self.subTest(values=bad), self.assertRaises(Exception):
                render(bad)

    def test_world_backups_run_as_jobs_with_a_secret_the_panel_never_reads(self):
        objs = render(self.CASES["world backups to S3"])
        (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e.get("value") for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_BACKUP_REPOSITORY"], "s3:https://s3.example.org/mc/panel")
        self.assertEqual(env["PANEL_BACKUP_SECRET"], "mc-panel-backups")
        self.assertTrue(env["PANEL_BACKUP_IMAGE"].startswith("restic/restic:"))
        secrets = [s for s in of_kind(objs, "Secret") if s["metadata"]["name"] == "mc-panel-backups"]
        self.assertEqual(len(secrets), 1)
        self.assertEqual(secrets[0]["metadata"]["namespace"], "games", "where the jobs run")
        self.assertEqual(sorted(secrets[0]["stringData"]), ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "RESTIC_PASSWORD"])
        # the panel's Role may make the job pods, and never read a Secret
        (role,) = [r for r in of_kind(objs, "Role") if r["metadata"]["name"] == "mc-panel"]
        self.assertIn("create", [r for r in role["rules"] if r["resources"] == ["pods"]][0]["verbs"])
        self.assertFalse(any("secrets" in r["resources"] for r in role["rules"]))
        pols = {p["metadata"]["name"]: p for p in of_kind(objs, "NetworkPolicy")}
        jobs = pols["backup-jobs"]
        self.assertEqual(jobs["spec"]["podSelector"]["matchLabels"], {"app.kubernetes.io/managed-by": "mc-panel-jobs"})
        self.assertEqual(jobs["spec"]["ingress"], [])
        self.assertIn({"ipBlock": {"cidr": "10.20.0.0/16"}}, jobs["spec"]["egress"][1]["to"])
        # off by default; a repository needs a password (or a Secret of the operator's)
        self.assertNotIn("PANEL_BACKUP_REPOSITORY", {e["name"] for e in of_kind(render(), "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["env"]})
        with self.assertRaises(Exception):
            render({"worldBackups": {"repository": "s3:https://s3.example.org/mc"}})
        own = render({"worldBackups": {"repository": "/backups", "existingSecret": "mine"}})
        self.assertEqual([s for s in of_kind(own, "Secret") if s["metadata"]["name"].endswith("backups")], [])

    def test_the_curseforge_key_is_a_secret_the_panel_and_the_game_pods_take_by_reference(self):
        # the panel's own: the game servers use the image's key (their code could read ours)
        objs = render(self.CASES["CurseForge"])
        (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_CURSEFORGE_API_KEY"]["valueFrom"]["secretKeyRef"], {"name": "mc-panel-curseforge", "key": "CF_API_KEY"})
        self.assertNotIn("PANEL_CURSEFORGE_SECRET", env)
        secrets = [s for s in of_kind(objs, "Secret") if s["metadata"]["name"] == "mc-panel-curseforge"]
        self.assertEqual([s["metadata"]["namespace"] for s in secrets], ["panel"])
        # shared with the game servers: a Secret in their namespace too, which they reference
        objs = render(self.CASES["CurseForge shared with the game servers"])
        (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_CURSEFORGE_SECRET"]["value"], "mc-panel-curseforge")
        self.assertNotIn("operator.key", json.dumps(dep), "the key is never in the Deployment")
        secrets = [s for s in of_kind(objs, "Secret") if s["metadata"]["name"] == "mc-panel-curseforge"]
        self.assertEqual(sorted(s["metadata"]["namespace"] for s in secrets), ["games", "panel"])
        self.assertTrue(all(s["stringData"] == {"CF_API_KEY": "$2a$10$operator.key"} for s in secrets))
        # the operator's own Secret: nothing made, the same references
        own = render({"curseforge": {"existingSecret": "cf", "shareWithGameServers": True}})
        self.assertEqual([s for s in of_kind(own, "Secret") if "curseforge" in s["metadata"]["name"] or s["metadata"]["name"] == "cf"], [])
        (dep,) = [d for d in of_kind(own, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_CURSEFORGE_SECRET"]["value"], "cf")
        # off by default
        (dep,) = [d for d in of_kind(render(), "Deployment") if d["metadata"]["name"] == "mc-panel"]
        self.assertNotIn("PANEL_CURSEFORGE_API_KEY", {e["name"] for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]})

    def test_single_sign_on_takes_its_client_secret_by_reference(self):
        def panel_env(objs):
            (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
            return {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}, dep

        # off by default: no PANEL_OIDC_* nor PANEL_PASSWORDS, no Secret, no rule to a private range
        objs = render()
        env, _ = panel_env(objs)
        self.assertEqual([n for n in env if n.startswith("PANEL_OIDC_") or n == "PANEL_PASSWORDS"], [])
        self.assertEqual([s for s in of_kind(objs, "Secret") if s["metadata"]["name"] == "mc-panel-sso"], [])
        # an issuer, a client: the settings in the environment, the secret by reference only
        objs = render(self.CASES["single sign-on"])
        env, dep = panel_env(objs)
        values = {n: e.get("value") for n, e in env.items()}
        self.assertEqual(values["PANEL_OIDC_ISSUER"], "https://auth.example.com/application/o/panel/")
        self.assertEqual(values["PANEL_OIDC_CLIENT_ID"], "panel")
        self.assertEqual(values["PANEL_PUBLIC_URL"], "https://panel.example.com", "the redirect URI's origin")
        self.assertEqual(env["PANEL_OIDC_CLIENT_SECRET"]["valueFrom"]["secretKeyRef"], {"name": "mc-panel-sso", "key": "client-secret"})
        self.assertNotIn("value", env["PANEL_OIDC_CLIENT_SECRET"])
        self.assertNotIn("client.s3cret", json.dumps(dep), "the secret is never in the Deployment")
        self.assertNotIn("PANEL_OIDC_NAME", values, "the panel's own default label")
        self.assertNotIn("PANEL_OIDC_ADMIN_CLAIM", values)
        self.assertEqual(values["PANEL_OIDC_SCOPES"], "email profile")
        self.assertEqual((values["PANEL_OIDC_LINK_BY_EMAIL"], values["PANEL_OIDC_CREATE_USERS"], values["PANEL_PASSWORDS"]), ("false", "true", "true"))
        (secret,) = [s for s in of_kind(objs, "Secret") if s["metadata"]["name"] == "mc-panel-sso"]
        self.assertEqual(secret["stringData"], {"client-secret": "client.s3cret"})
        self.assertNotIn("namespace", secret["metadata"], "in the panel's namespace")
        # the operator's Secret: nothing made, the same reference; the other settings as given
        objs = render(self.CASES["single sign-on only, the operator's Secret, a provider inside the cluster"])
        self.assertEqual([s for s in of_kind(objs, "Secret") if s["metadata"]["name"] in ("mc-panel-sso", "kc")], [])
        env, _ = panel_env(objs)
        values = {n: e.get("value") for n, e in env.items()}
        self.assertEqual(env["PANEL_OIDC_CLIENT_SECRET"]["valueFrom"]["secretKeyRef"], {"name": "kc", "key": "client-secret"})
        self.assertEqual(values["PANEL_OIDC_NAME"], "Keycloak")
        self.assertEqual(values["PANEL_OIDC_ADMIN_CLAIM"], "realm_access.roles=admin")
        self.assertEqual((values["PANEL_OIDC_LINK_BY_EMAIL"], values["PANEL_OIDC_CREATE_USERS"], values["PANEL_PASSWORDS"]), ("true", "false", "false"))
        # a public client (PKCE alone): no secret at all
        env, _ = panel_env(render({"publicUrl": "https://panel.example.com", "sso": {"issuer": "https://auth.example.com", "clientId": "panel"}}))
        self.assertIn("PANEL_OIDC_ISSUER", env)
        self.assertNotIn("PANEL_OIDC_CLIENT_SECRET", env)

    def test_single_sign_on_reaches_a_private_provider_on_its_ports_only(self):
        def panel_egress(values):
            pols = {p["metadata"]["name"]: p for p in of_kind(render(values), "NetworkPolicy")}
            return pols["mc-panel"]["spec"]["egress"]

        rules = panel_egress(self.CASES["single sign-on only, the operator's Secret, a provider inside the cluster"])
        sso = [r for r in rules if {"ipBlock": {"cidr": "10.42.0.0/16"}} in r["to"]]
        self.assertEqual(len(sso), 1)
        self.assertEqual(sso[0]["to"], [{"ipBlock": {"cidr": "10.42.0.0/16"}}, {"ipBlock": {"cidr": "192.168.10.5/32"}}])
        self.assertEqual(sso[0]["ports"], [{"protocol": "TCP", "port": 443}, {"protocol": "TCP", "port": 8443}])
        # no addresses, or no single sign-on: the policy is as before (HTTPS to the internet only)
        plain = panel_egress({})
        self.assertEqual(panel_egress(self.CASES["single sign-on"]), plain)
        self.assertEqual(panel_egress({"sso": {"egressCidrs": ["10.42.0.0/16"]}}), plain)

    def test_single_sign_on_settings_that_cannot_work_are_refused(self):
        url = "https://panel.example.com"
        issuer = "https://auth.example.com"
        for bad, why in (
            ({"publicUrl": url, "sso": {"issuer": issuer}}, "sso.clientId"),
            ({"sso": {"issuer": issuer, "clientId": "panel"}}, "publicUrl"),
            ({"publicUrl": url, "sso": {"issuer": "http://auth.example.com", "clientId": "panel"}}, "https://"),
            ({"sso": {"passwords": False}}, "sso.adminClaim"),
            ({"publicUrl": url, "sso": {"issuer": issuer, "clientId": "panel", "passwords": False}}, "sso.adminClaim"),
            ({"sso": {"passwords": False, "adminClaim": "groups=panel-admins"}}, "sso.issuer"),
        ):
            with self.subTest(values=bad), self.assertRaises(Exception) as e:
                render(bad)
            self.assertIn(why, str(e.exception))
        for bad in (
            {"sso": {"linkByEmail": "yes"}},
            {"sso": {"createUsers": "no"}},
            {"sso": {"issuer": "auth.example.com"}},
            {"sso": {"adminClaim": "groups="}},
            {"sso": {"egressCidrs": ["not a range"]}},
            {"sso": {"egressPorts": []}},
            {"sso": {"egressPorts": [70000]}},
            {"sso": {"bogus": 1}},
        ):
            with self.subTest(values=bad), self.assertRaises(Exception) as e:
                render(bad)
            self.assertIn("/sso", str(e.exception), "refused by the schema")

    def test_webhooks_reach_private_receivers_only_when_allowed(self):
        def panel(values):
            objs = render(values)
            (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
            env = {e["name"]: e.get("value") for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
            pols = {p["metadata"]["name"]: p for p in of_kind(objs, "NetworkPolicy")}
            return env, pols["mc-panel"]["spec"]["egress"]

        # off by default: no PANEL_WEBHOOK_* (the panel's own defaults), HTTPS to the internet only
        env, plain = panel({})
        self.assertEqual([n for n in env if n.startswith("PANEL_WEBHOOK_")], [])
        # the defaults written out: the same
        defaults = {"webhooks": {"allowInternal": False, "retrySeconds": 10, "egressCidrs": [], "egressPorts": [443]}}
        self.assertEqual(panel(defaults), (env, plain))
        # receivers inside the cluster: the switch, and one rule to exactly their ranges and ports
        env, rules = panel(self.CASES["webhooks to receivers inside the cluster"])
        self.assertEqual(env["PANEL_WEBHOOK_INTERNAL"], "true")
        self.assertEqual(env["PANEL_WEBHOOK_RETRY_SECS"], "30")
        hooks = [r for r in rules if {"ipBlock": {"cidr": "10.42.0.0/16"}} in r["to"]]
        self.assertEqual(len(hooks), 1)
        self.assertEqual(hooks[0]["to"], [{"ipBlock": {"cidr": "10.42.0.0/16"}}, {"ipBlock": {"cidr": "192.168.10.5/32"}}])
        self.assertEqual(hooks[0]["ports"], [{"protocol": "TCP", "port": 443}, {"protocol": "TCP", "port": 80}])
        self.assertEqual([r for r in rules if r != hooks[0]], plain, "the default policy has no such rule; nothing else opened")
        # the default ports: HTTPS only
        _, rules = panel({"webhooks": {"allowInternal": True, "egressCidrs": ["10.42.0.0/16"]}})
        (hooks,) = [r for r in rules if {"ipBlock": {"cidr": "10.42.0.0/16"}} in r["to"]]
        self.assertEqual(hooks["ports"], [{"protocol": "TCP", "port": 443}])
        # each setting alone
        env, rules = panel({"webhooks": {"allowInternal": True}})
        self.assertEqual(env["PANEL_WEBHOOK_INTERNAL"], "true")
        self.assertNotIn("PANEL_WEBHOOK_RETRY_SECS", env)
        self.assertEqual(rules, plain, "no addresses: no rule")
        env, _ = panel({"webhooks": {"retrySeconds": 30}})
        self.assertEqual(env["PANEL_WEBHOOK_RETRY_SECS"], "30")
        self.assertNotIn("PANEL_WEBHOOK_INTERNAL", env)
        # no network policies: no policy, the switch all the same
        objs = render({"networkPolicies": {"enabled": False}, "webhooks": {"allowInternal": True, "egressCidrs": ["10.42.0.0/16"]}})
        self.assertEqual(of_kind(objs, "NetworkPolicy"), [])
        (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        self.assertIn({"name": "PANEL_WEBHOOK_INTERNAL", "value": "true"}, dep["spec"]["template"]["spec"]["containers"][0]["env"])

    def test_webhook_settings_that_cannot_work_are_refused(self):
        # addresses the panel would refuse to call anyway
        with self.assertRaises(Exception) as e:
            render({"webhooks": {"egressCidrs": ["10.42.0.0/16"]}})
        self.assertIn("webhooks.allowInternal: true", str(e.exception))
        for bad in (
            {"webhooks": {"allowInternal": "yes"}},
            {"webhooks": {"retrySeconds": 0}},
            {"webhooks": {"retrySeconds": 4000}},
            {"webhooks": {"retrySeconds": "30"}},
            {"webhooks": {"allowInternal": True, "egressCidrs": ["not a range"]}},
            {"webhooks": {"allowInternal": True, "egressCidrs": ["10.42.0.0/16"], "egressPorts": []}},
            {"webhooks": {"egressPorts": [70000]}},
            {"webhooks": {"bogus": 1}},
        ):
            with self.subTest(values=bad), self.assertRaises(Exception) as e:
                render(bad)
            self.assertIn("/webhooks", str(e.exception), "refused by the schema")

    def test_world_backups_on_a_claim_where_there_is_no_object_storage(self):
        objs = render(self.CASES["world backups on a claim"])
        (dep,) = [d for d in of_kind(objs, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e.get("value") for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_BACKUP_REPOSITORY"], "/backups")
        self.assertEqual(env["PANEL_BACKUP_CLAIM"], "mc-panel-backup-store")
        (claim,) = [c for c in of_kind(objs, "PersistentVolumeClaim") if c["metadata"]["name"] == "mc-panel-backup-store"]
        self.assertEqual(claim["metadata"]["namespace"], "games", "where the jobs run")
        self.assertEqual(claim["spec"]["accessModes"], ["ReadWriteMany"])
        self.assertEqual(claim["spec"]["storageClassName"], "nfs")
        self.assertEqual(claim["metadata"]["annotations"]["helm.sh/resource-policy"], "keep")
        # the operator's own claim: none made, the same wiring
        own = render({"worldBackups": {"claim": {"enabled": True, "existingClaim": "mine"}, "password": "p"}})
        self.assertEqual([c for c in of_kind(own, "PersistentVolumeClaim") if c["metadata"]["name"] in ("mc-panel-backup-store", "mine")], [])
        (dep,) = [d for d in of_kind(own, "Deployment") if d["metadata"]["name"] == "mc-panel"]
        env = {e["name"]: e.get("value") for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_BACKUP_CLAIM"], "mine")
        # a store's URL cannot be a mount point: refused when rendered
        with self.assertRaises(Exception):
            render({"worldBackups": {"repository": "s3:https://s3.example.org/b", "claim": {"enabled": True}, "password": "p"}})

    def test_database_and_backups(self):
        objs = render()
        self.assertEqual(len(of_kind(objs, "StatefulSet")), 1)
        (cron,) = of_kind(objs, "CronJob")
        script = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"][0]
        self.assertIn("pg_dump", script)
        self.assertIn("KEEP", script)
        ext = render(self.CASES["external database"])
        self.assertEqual(of_kind(ext, "StatefulSet"), [])
        (dep,) = of_kind(ext, "Deployment")
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["DATABASE_URL"]["valueFrom"]["secretKeyRef"], {"name": "db", "key": "url"})
        with self.assertRaises(Exception) as e:
            render({"postgres": {"enabled": False}})
        self.assertIn("externalDatabase.secretName", str(e.exception))

    def test_cloudnativepg_replicates_the_database_and_backs_it_up(self):
        def by_name(objs, kind):
            return {o["metadata"]["name"]: o for o in of_kind(objs, kind)}

        objs = render(self.CASES["CloudNativePG, backed up beside the world backups"])
        # the operator's Cluster: three instances, each commit held by a standby before it returns,
        # a standby promoted only when it surely holds every acknowledged commit
        (cluster,) = of_kind(objs, "Cluster")
        self.assertEqual(cluster["apiVersion"], "postgresql.cnpg.io/v1")
        self.assertEqual(cluster["metadata"]["name"], "mc-panel-postgres")
        self.assertEqual(cluster["metadata"]["annotations"]["helm.sh/resource-policy"], "keep", "uninstalling keeps the data")
        spec = cluster["spec"]
        self.assertEqual(spec["instances"], 3)
        self.assertEqual(spec["postgresql"]["synchronous"], {"method": "any", "number": 1, "dataDurability": "required", "failoverQuorum": True})
        self.assertEqual(spec["storage"], {"size": "10Gi"})
        self.assertEqual(spec["resources"], {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}})
        self.assertEqual(spec["bootstrap"]["initdb"], {"database": "panel", "owner": "panel"})
        self.assertTrue(spec["imageName"].startswith("ghcr.io/cloudnative-pg/postgresql:16."))
        # continuous backups through the Barman Cloud Plugin, not the deprecated in-tree
        # barmanObjectStore: the WAL archive and base backups in the world backups' bucket, under
        # a path of their own (the servers' repositories are <prefix>/mc-<id>)
        self.assertNotIn("backup", spec)
        self.assertEqual(spec["plugins"], [{"name": "barman-cloud.cloudnative-pg.io", "isWALArchiver": True, "parameters": {"barmanObjectName": "mc-panel-postgres"}}])
        (store,) = of_kind(objs, "ObjectStore")
        self.assertEqual(store["apiVersion"], "barmancloud.cnpg.io/v1")
        self.assertEqual(store["metadata"]["name"], "mc-panel-postgres")
        conf = store["spec"]["configuration"]
        self.assertEqual((conf["destinationPath"], conf["endpointURL"]), ("s3://mc/panel/postgres", "https://s3.example.org"))
        self.assertEqual(conf["s3Credentials"], {
            "accessKeyId": {"name": "mc-panel-postgres-s3", "key": "AWS_ACCESS_KEY_ID"},
            "secretAccessKey": {"name": "mc-panel-postgres-s3", "key": "AWS_SECRET_ACCESS_KEY"},
        })
        self.assertEqual(store["spec"]["retentionPolicy"], "30d")
        # the credentials: worldBackups' own, in a Secret of the release's namespace (the one the
        # backup jobs read is in the games namespace)
        creds = by_name(objs, "Secret")["mc-panel-postgres-s3"]
        self.assertNotIn("namespace", creds["metadata"])
        self.assertEqual(creds["stringData"], {"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s"})
        (scheduled,) = of_kind(objs, "ScheduledBackup")
        self.assertEqual(scheduled["spec"]["cluster"], {"name": "mc-panel-postgres"})
        self.assertEqual((scheduled["spec"]["method"], scheduled["spec"]["pluginConfiguration"]), ("plugin", {"name": "barman-cloud.cloudnative-pg.io"}))
        self.assertEqual(scheduled["spec"]["schedule"], "0 17 3 * * *", "six fields, seconds first")
        self.assertTrue(scheduled["spec"]["immediate"], "a base backup at once: the archived WAL needs one to restore from")
        # the panel's DATABASE_URL: the operator's application Secret, whose uri names the -rw
        # Service (the primary, wherever it is)
        (dep,) = of_kind(objs, "Deployment")
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["DATABASE_URL"]["valueFrom"]["secretKeyRef"], {"name": "mc-panel-postgres-app", "key": "uri"})
        # the single Postgres and its pg_dump are not made
        self.assertEqual(of_kind(objs, "StatefulSet"), [])
        self.assertNotIn("mc-panel-postgres", by_name(objs, "Secret"))
        self.assertNotIn("mc-panel-postgres", by_name(objs, "Service"))
        self.assertEqual(of_kind(objs, "CronJob"), [])
        self.assertNotIn("mc-panel-backups", by_name(objs, "PersistentVolumeClaim"))
        # the network: the panel reaches the cluster's pods on 5432 (and no other database)
        pols = by_name(objs, "NetworkPolicy")
        to_db = [r for r in pols["mc-panel"]["spec"]["egress"] if {"protocol": "TCP", "port": 5432} in r.get("ports", [])]
        self.assertEqual(to_db, [{"to": [{"podSelector": {"matchLabels": {"cnpg.io/cluster": "mc-panel-postgres"}}}], "ports": [{"protocol": "TCP", "port": 5432}]}])
        pg = pols["mc-panel-postgres"]["spec"]
        self.assertEqual(pg["podSelector"], {"matchLabels": {"cnpg.io/cluster": "mc-panel-postgres"}})
        self.assertEqual(pg["policyTypes"], ["Ingress", "Egress"])
        ins = {json.dumps(peer, sort_keys=True): sorted(p["port"] for p in rule["ports"]) for rule in pg["ingress"] for peer in rule["from"]}
        self.assertEqual(ins, {
            # the panel: Postgres only
            json.dumps({"podSelector": {"matchLabels": {"app.kubernetes.io/name": "panel", "app.kubernetes.io/instance": "mc", "app.kubernetes.io/component": "server"}}}, sort_keys=True): [5432],
            # each other: streaming replication, a new standby's copy, the status port
            json.dumps({"podSelector": {"matchLabels": {"cnpg.io/cluster": "mc-panel-postgres"}}}, sort_keys=True): [5432, 8000],
            # the operator's pods, in its namespace
            json.dumps({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "cnpg-system"}}, "podSelector": {"matchLabels": {"app.kubernetes.io/name": "cloudnative-pg"}}}, sort_keys=True): [5432, 8000],
            # Prometheus, the metrics only
            json.dumps({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}, sort_keys=True): [9187],
        })
        cluster_out, dns, api, store_out = pg["egress"]
        self.assertEqual(cluster_out["to"], [{"podSelector": {"matchLabels": {"cnpg.io/cluster": "mc-panel-postgres"}}}])
        self.assertEqual({p["port"] for p in cluster_out["ports"]}, {5432, 8000})
        self.assertEqual(dns["to"][0]["namespaceSelector"]["matchLabels"], {"kubernetes.io/metadata.name": "kube-system"})
        self.assertEqual({(p["protocol"], p["port"]) for p in dns["ports"]}, {("UDP", 53), ("TCP", 53)})
        self.assertEqual(api["to"], [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "the instance manager reads and writes its Cluster")
        self.assertEqual({p["port"] for p in api["ports"]}, {443, 6443})
        # the object store: the internet but never a private range, and the store's own range
        # (worldBackups.storeCidr), on the store's port only
        v4 = store_out["to"][0]["ipBlock"]
        self.assertEqual(v4["cidr"], "0.0.0.0/0")
        for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"):
            self.assertIn(cidr, v4["except"])
        self.assertIn({"ipBlock": {"cidr": "10.20.0.0/16"}}, store_out["to"])
        self.assertEqual(store_out["ports"], [{"protocol": "TCP", "port": 443}])

        # an object store and a Secret of the operator's own, five instances, two synchronous
        # standbys that may fall behind (preferred), the operator elsewhere
        objs = render(self.CASES["CloudNativePG, its own store and Secret, a storage class"])
        (cluster,) = of_kind(objs, "Cluster")
        self.assertEqual(cluster["spec"]["instances"], 5)
        self.assertEqual(cluster["spec"]["storage"], {"size": "10Gi", "storageClass": "fast"})
        self.assertEqual(cluster["spec"]["postgresql"]["synchronous"], {"method": "any", "number": 2, "dataDurability": "preferred", "failoverQuorum": True})
        (store,) = of_kind(objs, "ObjectStore")
        conf = store["spec"]["configuration"]
        self.assertEqual((conf["destinationPath"], conf["endpointURL"]), ("s3://pg-backups/panel", "http://minio.storage:9000"))
        self.assertEqual(conf["s3Credentials"]["accessKeyId"], {"name": "pg-s3", "key": "AWS_ACCESS_KEY_ID"})
        self.assertEqual(store["spec"]["retentionPolicy"], "8w")
        self.assertNotIn("mc-panel-postgres-s3", by_name(objs, "Secret"), "the operator's Secret: none made")
        self.assertEqual(of_kind(objs, "ScheduledBackup")[0]["spec"]["schedule"], "0 30 2 * * 0")
        pg = by_name(objs, "NetworkPolicy")["mc-panel-postgres"]["spec"]
        self.assertIn({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "operators"}}, "podSelector": {"matchLabels": {"app.kubernetes.io/name": "cloudnative-pg"}}}, pg["ingress"][1]["from"])
        self.assertIn({"ipBlock": {"cidr": "10.43.0.0/16"}}, pg["egress"][-1]["to"])
        self.assertEqual(pg["egress"][-1]["ports"], [{"protocol": "TCP", "port": 9000}], "the endpoint's own port")
        # a path of one's own in the world backups' store: its endpoint all the same
        objs = render({"postgres": {"cloudnativepg": {"enabled": True, "backups": {"destinationPath": "s3://mc/db"}}}, "worldBackups": self.CASES["world backups to S3"]["worldBackups"]})
        conf = of_kind(objs, "ObjectStore")[0]["spec"]["configuration"]
        self.assertEqual((conf["destinationPath"], conf["endpointURL"]), ("s3://mc/db", "https://s3.example.org"))
        # restic's other S3 forms: no scheme (HTTPS), a port, a bucket without a prefix
        for repo, path, endpoint in (
            ("s3:s3.amazonaws.com/mc-bucket/worlds/", "s3://mc-bucket/worlds/postgres", "https://s3.amazonaws.com"),
            ("s3:http://10.20.0.5:9000/mc", "s3://mc/postgres", "http://10.20.0.5:9000"),
        ):
            objs = render({"postgres": {"cloudnativepg": {"enabled": True}}, "worldBackups": {"repository": repo, "password": "p", "accessKeyId": "a", "secretAccessKey": "s"}})
            conf = of_kind(objs, "ObjectStore")[0]["spec"]["configuration"]
            self.assertEqual((conf["destinationPath"], conf["endpointURL"]), (path, endpoint), repo)

        # asynchronous, no backups: no synchronous stanza, no plugin, nothing to reach outside
        objs = render(self.CASES["CloudNativePG, asynchronous, no backups"])
        (cluster,) = of_kind(objs, "Cluster")
        self.assertEqual(cluster["spec"]["instances"], 2)
        self.assertNotIn("postgresql", cluster["spec"])
        self.assertNotIn("plugins", cluster["spec"])
        for kind in ("ObjectStore", "ScheduledBackup", "StatefulSet", "CronJob"):
            self.assertEqual(of_kind(objs, kind), [], kind)
        pg = by_name(objs, "NetworkPolicy")["mc-panel-postgres"]["spec"]
        self.assertEqual(len(pg["egress"]), 3, "each other, DNS and the API server only")
        # no network policies: none for the cluster either
        objs = render({"postgres": {"cloudnativepg": {"enabled": True, "backups": {"enabled": False}}}, "networkPolicies": {"enabled": False}})
        self.assertEqual(of_kind(objs, "NetworkPolicy"), [])
        self.assertEqual(len(of_kind(objs, "Cluster")), 1)
        # off by default: the StatefulSet, as before
        self.assertEqual([o for o in render() if o["apiVersion"].split("/")[0].endswith("cnpg.io")], [])

        # the CRD validation bites: a misspelt field, a value out of its enum, a wrong type
        objs = render(self.CASES["CloudNativePG, backed up beside the world backups"])
        (cluster,) = of_kind(objs, "Cluster")
        (store,) = of_kind(objs, "ObjectStore")
        (scheduled,) = of_kind(objs, "ScheduledBackup")
        for obj, change in (
            (cluster, lambda o: o["spec"].update(instance=3)),
            (cluster, lambda o: o["spec"]["postgresql"]["synchronous"].update(method="all")),
            (cluster, lambda o: o["spec"]["plugins"][0].update(isWALArchiver="yes")),
            (store, lambda o: o["spec"].update(retentionPolicy="30 days")),
            (store, lambda o: o["spec"]["configuration"]["s3Credentials"].update(accessKey={"name": "x", "key": "y"})),
            (scheduled, lambda o: o["spec"].update(method="barman")),
            # and the CEL rules
            (cluster, lambda o: o["spec"].update(imageCatalogRef={"apiGroup": "postgresql.cnpg.io", "kind": "ImageCatalog", "name": "pg", "major": 16})),
            (cluster, lambda o: o["spec"]["postgresql"]["synchronous"].update(number=0)),
            (store, lambda o: o["spec"]["configuration"].update(serverName="x")),
        ):
            bad = json.loads(json.dumps(obj))
            change(bad)
            with self.subTest(kind=obj["kind"], bad=bad["spec"]), self.assertRaises(AssertionError):
                validate_custom(bad)

    def test_cloudnativepg_does_not_replace_a_database_unasked(self):
        # `lookup` finds nothing under `helm template` (render); here it reads a stub API server
        sts = {"/apis/apps/v1/namespaces/panel/statefulsets/mc-panel-postgres": {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "mc-panel-postgres", "namespace": "panel"}}}
        cnpg = {"postgres": {"cloudnativepg": {"enabled": True, "backups": {"enabled": False}}}}
        # an install with the StatefulSet: refused, saying how to move the data
        with self.assertRaises(Exception) as e:
            render_live(cnpg, sts)
        for what in ("EMPTY database", "exec mc-panel-postgres-0 -- pg_dump", "into mc-panel-postgres-rw as its app user", "get secret mc-panel-postgres-app", "bootstrap.initdb.import", "postgres.cloudnativepg.replaceExistingDatabase=true"):
            self.assertIn(what, str(e.exception))
        # ... unless told to replace it; and a release without one (a new install, or one whose
        # StatefulSet is gone) is not asked
        told = {"postgres": {"cloudnativepg": dict(cnpg["postgres"]["cloudnativepg"], replaceExistingDatabase=True)}}
        for values, objects in ((told, sts), (cnpg, {})):
            with self.subTest(values=values, objects=list(objects)):
                self.assertEqual(len(of_kind(render_live(values, objects), "Cluster")), 1)
        # without CloudNativePG the StatefulSet is this release's own
        self.assertEqual(len(of_kind(render_live({}, sts), "StatefulSet")), 1)

    def test_cloudnativepg_settings_that_cannot_work_are_refused(self):
        s3 = self.CASES["world backups to S3"]["worldBackups"]
        off = {"enabled": False}
        for bad, why in (
            # an external database and a cluster of the chart's
            ({"postgres": {"enabled": False, "cloudnativepg": {"enabled": True, "backups": off}}, "externalDatabase": {"secretName": "db"}}, "needs postgres.enabled"),
            # synchronous replication needs a standby to wait for: fewer than the instances
            ({"postgres": {"cloudnativepg": {"enabled": True, "instances": 1, "backups": off}}}, "postgres.cloudnativepg.synchronous (1) must be fewer than postgres.cloudnativepg.instances (1)"),
            ({"postgres": {"cloudnativepg": {"enabled": True, "instances": 3, "synchronous": 3, "backups": off}}}, "must be fewer than"),
            # the failover quorum counts synchronous standbys
            ({"postgres": {"cloudnativepg": {"enabled": True, "synchronous": 0, "backups": off}}}, "failoverQuorum needs synchronous replication"),
            # backups with nowhere to go: no store at all, a store on a claim, a store restic
            # reaches but barman-cloud does not
            ({"postgres": {"cloudnativepg": {"enabled": True}}}, "needs an object store"),
            ({"postgres": {"cloudnativepg": {"enabled": True}}, "worldBackups": {"claim": {"enabled": True}, "password": "p"}}, "needs an object store"),
            ({"postgres": {"cloudnativepg": {"enabled": True}}, "worldBackups": {"repository": "b2:bucket/panel", "password": "p"}}, "needs an object store"),
            # ... or no credentials the instances can read (worldBackups' own Secret is in the
            # games namespace)
            ({"postgres": {"cloudnativepg": {"enabled": True}}, "worldBackups": {"repository": s3["repository"], "existingSecret": "mine"}}, "needs the store's credentials"),
            ({"postgres": {"cloudnativepg": {"enabled": True, "backups": {"destinationPath": "s3://pg-backups/p"}}}}, "needs the store's credentials"),
        ):
            with self.subTest(values=bad), self.assertRaises(Exception) as e:
                render(bad)
            self.assertIn(why, str(e.exception))
        for bad in (
            {"postgres": {"cloudnativepg": {"enabled": True, "instances": 0}}},
            {"postgres": {"cloudnativepg": {"synchronous": -1}}},
            {"postgres": {"cloudnativepg": {"dataDurability": "maybe"}}},
            {"postgres": {"cloudnativepg": {"imageName": "ghcr.io/cloudnative-pg/postgresql:latest"}}},
            {"postgres": {"cloudnativepg": {"operatorNamespace": "Not_Valid"}}},
            {"postgres": {"cloudnativepg": {"backups": {"retentionPolicy": "30 days"}}}},
            {"postgres": {"cloudnativepg": {"backups": {"schedule": "17 3 * * *"}}}},
            {"postgres": {"cloudnativepg": {"backups": {"destinationPath": "https://s3.example.org/b"}}}},
            {"postgres": {"cloudnativepg": {"backups": {"endpointURL": "s3.example.org"}}}},
            {"postgres": {"cloudnativepg": {"backups": {"storeCidr": "not a range"}}}},
            {"postgres": {"cloudnativepg": {"bogus": 1}}},
        ):
            with self.subTest(values=bad), self.assertRaises(Exception) as e:
                render(bad)
            self.assertIn("/postgres/cloudnativepg", str(e.exception), "refused by the schema")

    def test_values_are_checked(self):
        for bad in ({"bogus": 1}, {"replicaCount": 0}, {"games": {"namespace": "Not_Valid"}}, {"service": {"type": "Magic"}}, {"storage": {"className": "Bad Class"}}):
            with self.subTest(values=bad), self.assertRaises(Exception):
                render(bad)

    def test_observability(self):
        (cm,) = [o for o in of_kind(render(), "ConfigMap") if o["metadata"]["name"].endswith("dashboard")]
        self.assertEqual(cm["metadata"]["labels"]["grafana_dashboard"], "1")
        dash = json.loads(cm["data"]["panel.json"])
        exprs = " ".join(t["expr"] for p in dash["panels"] for t in p["targets"])
        for metric in ("panel_http_requests_total", "panel_http_request_duration_seconds_bucket", "panel_db_pool_waiting", "panel_websockets_open", "panel_servers"):
            self.assertIn(metric, exprs)
        sm = [o for o in render(self.CASES["service monitor"]) if o["kind"] == "ServiceMonitor"]
        self.assertEqual(sm[0]["spec"]["endpoints"][0]["path"], "/metrics")
        self.assertEqual(sm[0]["spec"]["endpoints"][0]["port"], "metrics")
        (svc,) = [o for o in render() if o["kind"] == "Service" and o["metadata"]["name"] == "mc-panel"]
        ports = {p["name"]: p for p in svc["spec"]["ports"]}
        self.assertEqual(ports["metrics"]["targetPort"], "metrics")
        (dep,) = of_kind(render(), "Deployment")
        env = {e["name"]: e for e in dep["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["PANEL_METRICS_LISTEN"]["value"], "0.0.0.0:9464")
        (ing,) = of_kind(render(self.CASES["ingress with TLS"]), "Ingress")
        backends = [p["backend"]["service"]["port"] for r in ing["spec"]["rules"] for p in r["http"]["paths"]]
        self.assertEqual(backends, [{"name": "http"}], "the Ingress routes to the web port only")


if __name__ == "__main__":
    unittest.main()
