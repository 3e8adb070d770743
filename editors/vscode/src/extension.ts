// VS Code client for the agentls language server (`agentls serve`, LSP over stdio).
import * as vscode from 'vscode';
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  DocumentSelector,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  State,
} from 'vscode-languageclient/node';
import { resolveServer, ServerCommand } from './serverCommand';
import { describeSettings, LaunchSetting, remoteUserSettingsWarning } from './settingsScope';

const SECTION = 'agentls';

/**
 * Agent Markdown files, by location (the same rules as the server's `paths.classify`):
 * `.claude/agents/**` and a plugin's `agents/**`, `.claude/commands/**` and a plugin's
 * `commands/**`, and `skills/<name>/SKILL.md`. Other Markdown files are never sent.
 */
export const AGENT_GLOBS: readonly string[] = [
  '**/.claude/agents/**/*.md',
  '**/agents/**/*.md',
  '**/.claude/commands/**/*.md',
  '**/commands/**/*.md',
  '**/skills/*/SKILL.md',
  '**/skills/**/SKILL.md',
];

export const DOCUMENT_SELECTOR: DocumentSelector = AGENT_GLOBS.map((pattern) => ({
  scheme: 'file',
  language: 'markdown',
  pattern,
}));

/** Settings keys the server understands; everything else under `agentls` is client-only. */
const SERVER_KEYS = ['rules', 'extendTools', 'extendModels', 'extendColors', 'extendKeys',
  'configurationPreference', 'targetVersion', 'routingThreshold', 'formatToolLists'] as const;
/** What an unset key sends; `null` means "not set": the configuration file or the default decides. */
const FALLBACKS: Record<string, unknown> = {
  rules: {}, configurationPreference: 'editorFirst', targetVersion: null, routingThreshold: null,
  formatToolLists: null,
};
/** Settings that change which server runs: a change restarts it. */
const LAUNCH_SETTINGS = ['agentls.path', 'agentls.interpreter', 'python.defaultInterpreterPath'];

export function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const out: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const fallback = key in FALLBACKS ? FALLBACKS[key] : [];
    out[key] = config.get<unknown>(key, fallback) ?? fallback;
  }
  return out;
}

function firstWorkspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder?.uri.fsPath;
}

function isAgentDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, doc) > 0;
}

class Controller implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private toldMissing = false;
  private wanted = false;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Start the server the first time an agent file is open. */
  ensureStarted(): void {
    if (this.wanted) {
      return;
    }
    this.wanted = true;
    this.enqueue(() => this.doStart());
  }

  restart(fromUser: boolean): Promise<void> {
    if (fromUser) {
      this.toldMissing = false;
    }
    this.wanted = true;
    return this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  scheduleRestart(): void {
    if (!this.wanted) {
      return;
    }
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart(false);
    }, 500);
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  pushSettings(): void {
    const client = this.client;
    if (!client || client.state !== State.Running) {
      return;
    }
    const settings = serverSettings();
    this.log.info(`settings changed: ${JSON.stringify(settings)}`);
    client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } })
      .catch((err: unknown) => this.log.error(`could not send settings: ${String(err)}`));
  }

  dispose(): void {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
    }
    void this.stop();
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.log.error(`agentls: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
    return this.queue;
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.log.info('stopping the agentls server');
      try {
        await client.stop(5000);
      } catch (err) {
        this.log.warn(`stopping the server: ${String(err)}`);
      }
      await client.dispose();
    }
  }

  private async doStart(): Promise<void> {
    const python = vscode.workspace.getConfiguration('python');
    const config = vscode.workspace.getConfiguration(SECTION);
    // where each launch setting was read from; in a remote window, User values of the
    // machine-overridable ones never arrive (see settingsScope.ts)
    const remoteName = vscode.env.remoteName;
    const launchSettings: LaunchSetting[] = [
      { key: 'agentls.path', inspected: config.inspect('path'), machine: true },
      { key: 'agentls.interpreter', inspected: config.inspect('interpreter'), machine: true },
      { key: 'python.defaultInterpreterPath', inspected: python.inspect('defaultInterpreterPath'), machine: false },
    ];
    this.log.info(remoteName ? `remote window: ${remoteName}` : 'local window');
    for (const line of describeSettings(launchSettings, remoteName)) {
      this.log.info(line);
    }
    const remoteWarning = remoteUserSettingsWarning(launchSettings, remoteName);
    const resolution = await resolveServer({
      path: config.get<string>('path', '') ?? '',
      interpreter: config.get<string>('interpreter', '') ?? '',
      pythonDefault: python.get<string>('defaultInterpreterPath', '') ?? '',
      workspaceFolder: firstWorkspaceFolder(),
      env: process.env,
    });
    for (const note of resolution.notes) {
      this.log.info(note);
    }
    if (!resolution.ok) {
      this.reportMissing(resolution.reason, remoteWarning);
      return;
    }
    if (remoteWarning) {
      this.log.info(`note: ${remoteWarning}`);
    }
    await this.launch(resolution.server);
  }

  private reportMissing(reason: string, remoteWarning: string | undefined): void {
    let text =
      'agentls: the language server was not found, so agent files get no diagnostics. ' +
      'Install it from a clone of the agentls repository (`pipx install ./agentls`), ' +
      'or set `agentls.path` to the agentls executable, or `agentls.interpreter` to a Python that has it.';
    if (remoteWarning) {
      text += ` Note: ${remoteWarning}`;
    }
    this.log.error(`${text} (${reason})`);
    if (this.toldMissing) {
      return;
    }
    this.toldMissing = true;
    void vscode.window.showErrorMessage(text, 'Open Settings', 'Show Log').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', '@ext:agentls.agentls');
      } else if (choice === 'Show Log') {
        this.log.show();
      }
    });
  }

  private async launch(server: ServerCommand): Promise<void> {
    const cwd = firstWorkspaceFolder();
    const executable: Executable = {
      command: server.command,
      args: server.args,
      options: { cwd, env: { ...process.env, PYTHONIOENCODING: 'utf-8' } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: () => serverSettings(),
      connectionOptions: { maxRestartCount: 4 },
      middleware: {
        workspace: {
          // Answer `workspace/configuration` for our section with the server's keys only.
          configuration: (params: ConfigurationParams, token, next) => {
            const items = params.items;
            if (!items.some((item) => item.section === SECTION || item.section?.startsWith(`${SECTION}.`))) {
              return next(params, token);
            }
            const settings = serverSettings();
            return items.map((item) => {
              if (item.section === SECTION) {
                return settings;
              }
              if (item.section?.startsWith(`${SECTION}.`)) {
                return settings[item.section.slice(SECTION.length + 1)] ?? null;
              }
              return null;
            });
          },
        },
      },
    };
    this.log.info(`starting ${server.command} ${server.args.join(' ')} (${server.source})`);
    const client = new LanguageClient('agentls', 'agentls', executable, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (err) {
      this.client = undefined;
      const message = `agentls: the server (${server.command} ${server.args.join(' ')}) failed to start: ${String(err)}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
        if (choice === 'Show Log') {
          this.log.show();
        }
      });
      try {
        await client.dispose();
      } catch {
        // already gone
      }
      return;
    }
    const info = client.initializeResult?.serverInfo;
    this.log.info(`server running: ${info ? `${info.name} ${info.version ?? ''}`.trim() : 'agentls'}`);
  }
}

let controller: Controller | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('agentls', { log: true });
  const ctl = new Controller(log);
  controller = ctl;
  context.subscriptions.push(log, ctl);

  context.subscriptions.push(
    vscode.commands.registerCommand('agentls.restart', () => ctl.restart(true)),
    vscode.commands.registerCommand('agentls.showLog', () => log.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (LAUNCH_SETTINGS.some((key) => event.affectsConfiguration(key))) {
        ctl.scheduleRestart();
      } else if (event.affectsConfiguration(SECTION)) {
        ctl.pushSettings();
      }
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isAgentDocument(doc)) {
        ctl.ensureStarted();
      }
    }),
  );
  if (vscode.workspace.textDocuments.some(isAgentDocument)) {
    ctl.ensureStarted();
  }
}

export function deactivate(): Promise<void> | undefined {
  return controller?.stop();
}
