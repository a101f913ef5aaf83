// Starts the real `strata serve` binary for end-to-end tests.
//
//   import { startServer } from '../support/server.mjs';
//   const server = await startServer({ dataDir });   // dataDir optional
//   await fetch(`${server.baseUrl}/api/units`);
//   await server.stop();                              // SIGTERM, then SIGKILL
//   await server.kill9();                             // crash it
//
// The API needs a login.  startServer creates users with `strata user add`
// (default: admin / 'correct horse battery', role admin) before serving:
//
//   const admin = await login(server.baseUrl, 'admin', 'correct horse battery');
//   const api = client(server.baseUrl, admin);
//   await api.get('/api/units');                       // → { status, body }
//   await api.post('/api/units/<id>/commands', { command: 'Stop' });  // sends X-CSRF-Token
//
// Environment:
//   STRATA_BIN         path to the strata binary (default <repo>/build/src/cli/strata)
//   STRATA_SOURCE_DIR  repository root (default: two levels above this file)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const sourceDir = resolve(process.env.STRATA_SOURCE_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
export const strataBin = resolve(process.env.STRATA_BIN ?? join(sourceDir, 'build', 'src', 'cli', 'strata'));
export const defaultPlant = join(sourceDir, 'examples', 'bottling', 'plant.yaml');
export const defaultCockpitDir = join(sourceDir, 'cockpit', 'dist');

/** True when the strata binary exists (lets suites skip cleanly when it is not built). */
export function haveServerBinary() {
  return existsSync(strataBin);
}

/** Fresh temporary directory; removed by the returned cleanup function. */
export function makeTempDir(prefix = 'strata-test-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Default users of startServer(). */
export const defaultAdmin = { name: 'admin', password: 'correct horse battery', roles: ['admin'] };
export const defaultUsers = [defaultAdmin];

/** Runs `strata <args>` with `input` on stdin; resolves to { code, stdout, stderr }. */
export function runCli(args, { input = '', bin = strataBin, env = {}, timeoutMs = 30_000 } = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(bin, args, { cwd: sourceDir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {
      /* the CLI may exit before reading stdin */
    });
    child.stdin.end(input);
  });
}

/**
 * Creates a user with `strata user add <name> --role r [--role r2] --data-dir <dir> --password-stdin`.
 * A user that already exists (restart on the same data dir) is fine.
 * `roles` entries are "role" or "role@scope" (e.g. "operator@bottling/packaging/L2").
 * Resolves to { created: boolean }.
 */
export async function createUser(dataDir, { name, password, roles = [] }, { bin = strataBin, env = {} } = {}) {
  const args = ['user', 'add', name];
  for (const r of roles) args.push('--role', r);
  args.push('--data-dir', dataDir, '--password-stdin');
  const { code, signal, stdout, stderr } = await runCli(args, { input: `${password}\n`, bin, env });
  if (code === 0) return { created: true };
  if (/already exists/i.test(stdout + stderr)) return { created: false };
  throw new Error(`strata ${args.join(' ')} failed (code ${code}, signal ${signal}):\n${stdout}${stderr}`);
}

/**
 * Starts `strata serve <plant> --port 0 --data-dir <dataDir> [--cockpit-dir <dir>]
 * --port-file <tmp>/port [...extraArgs]` and resolves once the server has written
 * the port it bound to.
 *
 * Options:
 *   dataDir     data directory (default: a fresh temp dir, removed by stop()/kill9())
 *   extraArgs   extra CLI arguments appended to the command line
 *   plant       plant definition (default examples/bottling/plant.yaml)
 *   cockpitDir  static cockpit dir; default cockpit/dist when it exists; null = omit
 *   bin         binary (default STRATA_BIN)
 *   env         extra environment variables
 *   timeoutMs   how long to wait for the port file (default 30 s)
 *   echo        copy server output to this process's stderr (default: env STRATA_TEST_ECHO)
 *   users       users created before the server starts, each { name, password, roles: ['admin',
 *               'operator@bottling/packaging/L2', ...] } (default: defaultUsers; [] = none)
 *
 * Returns { port, baseUrl, wsUrl, process, dataDir, output(), exited, stop(), kill9() }.
 * stop() and kill9() remove the temp dirs they created (a dataDir you passed is never
 * removed; pass your own dataDir to restart a server on the same data after kill9()).
 */
export async function startServer({
  dataDir,
  extraArgs = [],
  plant = defaultPlant,
  cockpitDir,
  bin = strataBin,
  env = {},
  timeoutMs = 30_000,
  echo = !!process.env.STRATA_TEST_ECHO,
  users = defaultUsers,
} = {}) {
  if (!existsSync(bin)) throw new Error(`strata binary not found at ${bin} (set STRATA_BIN or build it)`);

  const runDir = makeTempDir('strata-run-');
  let ownDataDir = null;
  if (!dataDir) {
    ownDataDir = makeTempDir('strata-data-');
    dataDir = ownDataDir.dir;
  }
  if (cockpitDir === undefined) cockpitDir = existsSync(defaultCockpitDir) ? defaultCockpitDir : null;
  const portFile = join(runDir.dir, 'port');

  try {
    for (const user of users) await createUser(dataDir, user, { bin, env });
  } catch (err) {
    runDir.cleanup();
    ownDataDir?.cleanup();
    throw err;
  }

  const args = ['serve', plant, '--port', '0', '--data-dir', dataDir];
  if (cockpitDir) args.push('--cockpit-dir', cockpitDir);
  args.push('--port-file', portFile, ...extraArgs);

  const child = spawn(bin, args, {
    cwd: sourceDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let output = '';
  const collect = (chunk) => {
    const s = chunk.toString();
    output += s;
    if (output.length > 1_000_000) output = output.slice(-500_000);
    if (echo) process.stderr.write(s);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let exitInfo = null;
  const exited = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      running.delete(child);
      resolveExit(exitInfo);
    });
    child.on('error', (err) => {
      exitInfo = { code: null, signal: null, error: err };
      running.delete(child);
      resolveExit(exitInfo);
    });
  });

  const cleanupDirs = () => {
    runDir.cleanup();
    ownDataDir?.cleanup();
  };

  const waitExit = async (ms) => Promise.race([exited, sleep(ms).then(() => null)]);

  const stop = async ({ graceMs = 5_000 } = {}) => {
    if (!exitInfo) {
      child.kill('SIGTERM');
      if (!(await waitExit(graceMs))) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    cleanupDirs();
    return exitInfo;
  };

  const kill9 = async ({ keepDataDir = false } = {}) => {
    if (!exitInfo) {
      child.kill('SIGKILL');
      await exited;
    }
    runDir.cleanup();
    if (!keepDataDir) ownDataDir?.cleanup();
    return exitInfo;
  };

  // Wait for the port file.
  const cmdline = `${bin} ${args.join(' ')}`;
  const deadline = Date.now() + timeoutMs;
  let port = 0;
  while (!port) {
    if (exitInfo) {
      cleanupDirs();
      throw new Error(
        `strata exited before listening (code ${exitInfo.code}, signal ${exitInfo.signal}${exitInfo.error ? `, ${exitInfo.error.message}` : ''})\n` +
          `command: ${cmdline}\noutput:\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      await stop({ graceMs: 1000 });
      throw new Error(`strata did not write ${portFile} within ${timeoutMs} ms\ncommand: ${cmdline}\noutput:\n${output}`);
    }
    try {
      const text = readFileSync(portFile, 'utf8').trim();
      if (/^\d+$/.test(text) && Number(text) > 0) port = Number(text);
    } catch {
      /* not yet written */
    }
    if (!port) await sleep(50);
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    port,
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}/api/stream`,
    process: child,
    dataDir,
    args,
    users,
    output: () => output,
    exited,
    stop,
    kill9,
  };
}

// ---- sessions ----------------------------------------------------------------

/** The `name=value` part of a Set-Cookie header for `cookieName`, or null. */
function sessionCookieFrom(res, cookieName = 'strata_session') {
  const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [res.headers.get('set-cookie') ?? ''];
  for (const line of all) {
    const pair = line.split(';')[0].trim();
    if (pair.startsWith(`${cookieName}=`)) return pair;
  }
  return null;
}

async function parseBody(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * POST /api/login.  Resolves to { status, cookie ("strata_session=..." or null),
 * csrf, user, body, expiresAt }; does not throw on 401/423/429.
 */
export async function login(baseUrl, name, password) {
  const res = await fetch(new URL('/api/login', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: name, password }),
  });
  const body = await parseBody(res);
  return {
    status: res.status,
    cookie: sessionCookieFrom(res),
    csrf: body?.csrf_token ?? null,
    user: body?.user ?? null,
    expiresAt: body?.expires_at ?? null,
    body,
  };
}

/** Logs in and throws unless it worked: { cookie, csrf, user, status }. */
export async function loginOk(baseUrl, name = defaultAdmin.name, password = defaultAdmin.password) {
  const s = await login(baseUrl, name, password);
  if (s.status !== 200 || !s.cookie) throw new Error(`login as ${name} failed: ${s.status} ${JSON.stringify(s.body)}`);
  return s;
}

/**
 * A small API client for one session ({ cookie, csrf } from login(); null = anonymous).
 * Non-GET requests send X-CSRF-Token.  Every call resolves to { status, body, headers }.
 *   post(path, body, { raw, headers }): raw = send `body` as is (a string), not JSON.
 */
export function client(baseUrl, session) {
  const send = async (method, path, body, { raw = false, headers = {} } = {}) => {
    const h = { Accept: 'application/json' };
    if (session?.cookie) h.Cookie = session.cookie;
    if (method !== 'GET' && session?.csrf) h['X-CSRF-Token'] = session.csrf;
    let payload;
    if (body !== undefined) {
      payload = raw ? body : JSON.stringify(body);
      if (!raw) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(new URL(path, baseUrl), { method, headers: { ...h, ...headers }, body: payload });
    return { status: res.status, body: await parseBody(res), headers: res.headers };
  };
  return {
    session,
    get: (path, opts) => send('GET', path, undefined, opts),
    post: (path, body, opts) => send('POST', path, body, opts),
    put: (path, body, opts) => send('PUT', path, body, opts),
    del: (path, opts) => send('DELETE', path, undefined, opts),
  };
}

/** Polls `fn` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function until(what, fn, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The lines of a plant definition without one top-level section (e.g. "calendar", so the whole day is
 * planned time whenever a test runs); fails when the section is not there.
 */
export function withoutSection(text, section) {
  const out = [];
  let inside = false;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${section}:`)) {
      inside = found = true;
      continue;
    }
    if (inside && /^[^\s#]/.test(line)) inside = false;
    if (!inside) out.push(line);
  }
  if (!found) throw new Error(`no top-level '${section}:' section in the plant definition`);
  return out;
}
