// The validator must refuse broken manifests, not only pass good ones: each test breaks one copy of the shipped files.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { validateDirectory } from "./validate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const copies = [];
after(() => copies.forEach(d => rmSync(d, { recursive: true, force: true })));

function broken(file, from, to) {
  const dir = mkdtempSync(join(tmpdir(), "opsc-k8s-"));
  copies.push(dir);
  cpSync(here, dir, { recursive: true, filter: s => !s.includes("node_modules") });
  const text = readFileSync(join(dir, file), "utf8");
  assert.ok(text.includes(from), `${file} contains ${from}`);
  writeFileSync(join(dir, file), text.replace(from, to));
  return dir;
}

const problems = async dir => (await validateDirectory(dir)).join("\n");

// One suite, so the JUnit file has a <testsuite> with counts (scripts/summarize-tests.py reads those).
describe("kubernetes manifest validator", () => {
  test("the shipped manifests pass", async () => {
    assert.deepEqual(await validateDirectory(here), []);
  });

  test("a field of the wrong type fails", async () => {
    assert.match(await problems(broken("executor.yaml", "replicas: 2", 'replicas: "two"')), /executor\.yaml: Deployment\/executor: \/spec\/replicas: must be of type integer/);
  });

  test("a field the schema does not have fails", async () => {
    assert.match(await problems(broken("jobs.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true")),
      /jobs\.yaml: Deployment\/jobs: \/spec\/template\/spec\/containers\/0\/securityContext\/readOnlyRootFileSystem: not a field of Deployment/);
  });

  test("a missing required field fails", async () => {
    assert.match(await problems(broken("users.yaml", "  selector:\n    matchLabels", "  selectr:\n    matchLabels")),
      /users\.yaml: Deployment\/users: \/spec: missing required field selector/);
  });

  test("the master key mounted outside the credentials service fails", async () => {
    const dir = broken("executor.yaml", "      volumes:\n",
      "      volumes:\n        - name: master-key\n          secret: { secretName: opsconductor-master-key }\n");
    assert.match(await problems(dir), /secret\/opsconductor-master-key is mounted by \[credentials,executor\], want \[credentials\]/);
  });

  test("a single scheduler fails", async () => {
    assert.match(await problems(broken("scheduler.yaml", "replicas: 2", "replicas: 1")), /Deployment\/scheduler: 1 replica\(s\), want 2 or more/);
  });

  test("a gateway template that is not the shipped one fails", async () => {
    assert.match(await problems(broken("gateway-template.yaml", "ssl_protocols       TLSv1.2 TLSv1.3", "ssl_protocols       TLSv1 TLSv1.2 TLSv1.3")),
      /gateway-template\.yaml: differs from deploy\/nginx\/opsconductor\.conf\.template/);
  });

  test("a manifest left out of kustomization.yaml fails", async () => {
    assert.match(await problems(broken("kustomization.yaml", "  - notifications.yaml\n", "")), /notifications\.yaml: not listed in kustomization\.yaml/);
  });
});
