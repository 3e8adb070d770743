// Where the settings that choose the server were read from, for the log, and what to
// tell the user about remote windows. No `vscode` import: the decisions are plain
// functions of what `WorkspaceConfiguration.inspect` returned and `env.remoteName`.
//
// `agentls.path` and `agentls.interpreter` have the `machine-overridable` scope (a path
// on the machine the extension runs on). In a remote window (SSH, WSL, containers) VS
// Code reads such a setting from Remote settings, Workspace settings or Folder settings;
// the local User settings are filtered out before the extension can see them. A value
// the user put in User settings is therefore simply absent, and all the extension can
// do is say where to put it when it sees no value at all. (code-server also sets
// `remoteName`, but its User settings live on the server and do reach the extension.)

/** The part of `WorkspaceConfiguration.inspect()` that says where a value is set. */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export interface LaunchSetting {
  /** The full key, e.g. `agentls.path`. */
  key: string;
  /** What `inspect` returned for it (undefined: the key is not registered). */
  inspected: Inspected | undefined;
  /** True for `machine`/`machine-overridable` settings: User values do not reach remote windows. */
  machine: boolean;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/** Where the effective value of a setting comes from, as the Settings editor names it, or undefined if unset. */
export function settingSource(setting: LaunchSetting, remoteName: string | undefined): string | undefined {
  const inspected = setting.inspected;
  if (!inspected) {
    return undefined;
  }
  if (isSet(inspected.workspaceFolderValue)) {
    return 'Folder settings';
  }
  if (isSet(inspected.workspaceValue)) {
    return 'Workspace settings';
  }
  if (isSet(inspected.globalValue)) {
    // In a remote window the API merges local User and Remote settings into one global
    // value. For a machine setting VS Code keeps only the Remote one; code-server, whose
    // User settings live on the server, was seen to pass its User value through too.
    return remoteName ? `User or Remote settings [${remoteName}]` : 'User settings';
  }
  return undefined;
}

function effectiveValue(inspected: Inspected): unknown {
  for (const value of [inspected.workspaceFolderValue, inspected.workspaceValue, inspected.globalValue]) {
    if (isSet(value)) {
      return value;
    }
  }
  return undefined;
}

/** One log line per setting: its value and where it was read from. */
export function describeSettings(settings: LaunchSetting[], remoteName: string | undefined): string[] {
  return settings.map((setting) => {
    const source = settingSource(setting, remoteName);
    if (!source || !setting.inspected) {
      return `${setting.key}: not set`;
    }
    return `${setting.key}: ${JSON.stringify(effectiveValue(setting.inspected))} (from ${source})`;
  });
}

/**
 * In a remote window where none of the machine settings is set anywhere VS Code reads
 * them from: the warning that values in local User settings do not apply here, and
 * where to put them instead. Undefined when there is nothing to say.
 */
export function remoteUserSettingsWarning(settings: LaunchSetting[], remoteName: string | undefined): string | undefined {
  if (!remoteName) {
    return undefined;
  }
  const machine = settings.filter((s) => s.machine);
  if (machine.length === 0 || machine.some((s) => settingSource(s, remoteName) !== undefined)) {
    return undefined;
  }
  const keys = machine.map((s) => s.key).join(' or ');
  return (
    `this is a remote window (${remoteName}), and ${keys} set in your local User settings does not apply ` +
    'in a remote window (it is a path on one machine: scope machine-overridable). ' +
    'Set it in Remote settings (Preferences: Open Remote Settings) or in Workspace settings (.vscode/settings.json).'
  );
}
