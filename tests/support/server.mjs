// Starts the real `strata serve` binary for end-to-end tests.
//
//   import { startServer } from '../support/server.mjs';
//   const server = await startServer({ dataDir });   // dataDir optional
//   await fetch(`${server.baseUrl}/api/units`);
//   await server.stop();                              // SIGTERM, then SIGKILL
//   await server.kill9();                             // crash it
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
    output: () => output,
    exited,
    stop,
    kill9,
  };
}
