// Finding the agentls server: `agentls.path`, else `agentls` on PATH, else
// `<interpreter> -m agentls` with a configured Python interpreter.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from, for the log. */
  source: string;
}

export interface Lookup {
  /** `agentls.path` as configured (may be empty). */
  path: string;
  /** `agentls.interpreter` as configured (may be empty). */
  interpreter: string;
  /** `python.defaultInterpreterPath` if the user set one (may be empty). */
  pythonDefault: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative paths. */
  workspaceFolder: string | undefined;
  env: NodeJS.ProcessEnv;
}

export type Resolution =
  | { ok: true; server: ServerCommand; notes: string[] }
  | { ok: false; reason: string; notes: string[] };

export function expandPath(value: string, workspaceFolder: string | undefined): string {
  let out = value.trim();
  if (workspaceFolder) {
    out = out.split('${workspaceFolder}').join(workspaceFolder);
  }
  out = out.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => process.env[name] ?? '');
  if (out === '~' || out.startsWith('~/') || out.startsWith('~\\')) {
    out = path.join(os.homedir(), out.slice(1));
  }
  if (!path.isAbsolute(out) && (out.includes('/') || out.includes('\\')) && workspaceFolder) {
    out = path.resolve(workspaceFolder, out);
  }
  return out;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform === 'win32') {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `which`: the first executable named `name` on PATH (with PATHEXT on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d.length > 0);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** A bare command name (`python3`) is looked up on PATH; anything else is a path. */
function resolveProgram(value: string, lookup: Lookup): string | undefined {
  const expanded = expandPath(value, lookup.workspaceFolder);
  if (!expanded.includes('/') && !expanded.includes('\\')) {
    return findOnPath(expanded, lookup.env);
  }
  return isExecutableFile(expanded) ? expanded : undefined;
}

function canImportAgentls(python: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import agentls'], { env, timeout: 20000 }, (err, _stdout, stderr) => {
      if (!err) {
        resolve(undefined);
      } else {
        const last = String(stderr).trim().split('\n').pop();
        resolve(last && last.length > 0 ? last : err.message);
      }
    });
  });
}

export async function resolveServer(lookup: Lookup): Promise<Resolution> {
  const notes: string[] = [];
  if (lookup.path.trim()) {
    const exe = resolveProgram(lookup.path, lookup);
    if (!exe) {
      return {
        ok: false,
        notes,
        reason: `the setting agentls.path is "${lookup.path}", which is not an executable file`,
      };
    }
    return { ok: true, notes, server: { command: exe, args: ['serve'], source: 'setting agentls.path' } };
  }
  const onPath = findOnPath('agentls', lookup.env);
  if (onPath) {
    return { ok: true, notes, server: { command: onPath, args: ['serve'], source: 'agentls on PATH' } };
  }
  notes.push('agentls is not on PATH');
  const interpreters: [string, string][] = [];
  if (lookup.interpreter.trim()) {
    interpreters.push([lookup.interpreter, 'setting agentls.interpreter']);
  }
  if (lookup.pythonDefault.trim() && lookup.pythonDefault.trim() !== 'python') {
    interpreters.push([lookup.pythonDefault, 'setting python.defaultInterpreterPath']);
  }
  for (const [value, source] of interpreters) {
    const python = resolveProgram(value, lookup);
    if (!python) {
      notes.push(`${source} is "${value}", which is not an executable file`);
      continue;
    }
    const problem = await canImportAgentls(python, lookup.env);
    if (problem) {
      notes.push(`${source}: ${python} cannot import agentls (${problem})`);
      continue;
    }
    return { ok: true, notes, server: { command: python, args: ['-m', 'agentls', 'serve'], source } };
  }
  if (interpreters.length === 0) {
    notes.push('no Python interpreter is configured (agentls.interpreter, python.defaultInterpreterPath)');
  }
  return { ok: false, notes, reason: notes.join('; ') };
}
