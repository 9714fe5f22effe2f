"""The release pipeline as far as these machines can check it (no Docker engine, no GitHub):
the workflows' shape (actionlint checks their syntax in the test command), the Dockerfile's
build of the web app with the scripts' own tools, its non-root runtime, and the Argo CD
example's values rendering with the chart."""

import pathlib
import re
import unittest

import yaml

from test_chart import render, of_kind

ROOT = pathlib.Path(__file__).resolve().parents[2]


def workflow(name):
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


class Release(unittest.TestCase):
    def test_ci_runs_the_readmes_test_command(self):
        ci = workflow("ci.yml")
        steps = ci["jobs"]["test"]["steps"]
        self.assertTrue(any("./scripts/test.sh" in s.get("run", "") for s in steps))
        self.assertIn(".ci/run", (ROOT / ".ci" / "run").as_posix())
        self.assertIn("./scripts/test.sh", (ROOT / ".ci" / "run").read_text())

    def test_a_tag_pushes_both_architectures_and_the_chart(self):
        rel = workflow("release.yml")
        # PyYAML reads the key `on` as True
        self.assertEqual(rel[True]["push"]["tags"], ["v*.*.*"])
        self.assertEqual(rel["permissions"]["packages"], "write")
        build = next(s for s in rel["jobs"]["image"]["steps"]
                     if str(s.get("uses", "")).startswith("docker/build-push-action"))
        self.assertEqual(build["with"]["platforms"], "linux/amd64,linux/arm64")
        self.assertTrue(build["with"]["push"])
        meta = next(s for s in rel["jobs"]["image"]["steps"]
                    if str(s.get("uses", "")).startswith("docker/metadata-action"))
        self.assertEqual(meta["with"]["images"], "ghcr.io/${{ github.repository }}")
        chart = "\n".join(s.get("run", "") for s in rel["jobs"]["chart"]["steps"])
        self.assertIn("helm package helm/panel", chart)
        self.assertIn('oci://ghcr.io/', chart)
        self.assertEqual(rel["jobs"]["chart"]["needs"], ["check", "image"])

    def test_the_image_builds_the_web_app_as_the_scripts_do(self):
        docker = (ROOT / "Dockerfile").read_text()
        installs = " ".join(re.findall(r"apt-get install[^\n]*", docker))
        # Debian bookworm's binaryen (108) writes wasm Chromium refuses
        self.assertNotIn("binaryen", installs)
        self.assertIn("RUN scripts/toolchain.sh", docker)
        self.assertIn("scripts/web.sh", docker)
        self.assertIn("BINARYEN_VERSION=132", (ROOT / "scripts" / "toolchain.sh").read_text())

    def test_the_runtime_is_not_root(self):
        docker = (ROOT / "Dockerfile").read_text()
        runtime = docker[docker.rindex("FROM "):]
        self.assertIn("USER 10001:10001", runtime)
        self.assertIn("COPY --from=web /src/dist /app/dist", runtime)
        # the chart runs it so, with a read-only root
        dep = of_kind(render(), "Deployment")[0]
        sc = dep["spec"]["template"]["spec"]["containers"][0]["securityContext"]
        self.assertTrue(sc["readOnlyRootFilesystem"])
        self.assertTrue(dep["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"])

    def test_the_argo_cd_example_renders_with_the_chart(self):
        app = yaml.safe_load((ROOT / "deploy" / "argocd" / "panel.yaml").read_text())
        self.assertEqual(app["kind"], "Application")
        source = app["spec"]["source"]
        self.assertEqual(source["chart"], "panel")
        self.assertTrue(source["repoURL"].startswith("ghcr.io/"))
        objs = render(source["helm"]["valuesObject"])
        self.assertTrue(of_kind(objs, "Ingress"))
        self.assertTrue(of_kind(objs, "Deployment"))


if __name__ == "__main__":
    unittest.main()
