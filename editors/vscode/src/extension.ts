// Starts `oaslint lsp` for the YAML and JSON files of the workspace. The server decides
// which of them are OpenAPI documents (or fragments one references) and lints those; it
// watches `.oaslint.yaml` itself (through the client's file watcher registration).
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function initializationOptions(): { config?: string; ruleset?: string } {
  const settings = vscode.workspace.getConfiguration("oaslint");
  const config = settings.get<string>("config") || undefined;
  const ruleset = settings.get<string>("ruleset") || undefined;
  return { config, ruleset };
}

async function start(): Promise<void> {
  const command = vscode.workspace.getConfiguration("oaslint").get<string>("path") || "oaslint";
  const executable = { command, args: ["lsp"] };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
    ],
    initializationOptions: initializationOptions(),
  };
  client = new LanguageClient("oaslint", "oaslint", serverOptions, clientOptions);
  await client.start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("oaslint.restart", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("oaslint")) {
        await stop();
        await start();
      }
    }),
  );
  try {
    await start();
  } catch (error) {
    void vscode.window.showErrorMessage(
      `oaslint: cannot start \`oaslint lsp\` (${String(error)}); install oaslint or set "oaslint.path".`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await stop();
}
