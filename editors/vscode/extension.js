// A minimal client: VS Code starts `spec-check server` for markdown files and shows its
// findings, fixes and rule documentation. All the logic lives in the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("spec-check").get("path") || "spec-check";
  client = new LanguageClient(
    "spec-check",
    "spec-check",
    { command, args: ["server"] },
    { documentSelector: [{ scheme: "file", language: "markdown" }] },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
