/**
 * Starts the real server (`npx tsx server/main.ts`) on a free port with a
 * fresh data directory and demo seed, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
// First start seeds the demo network, ~20,000 children and a year of their visits: up to a minute on a loaded machine.
const READY_TIMEOUT_MS = 180_000;

export interface RunningServer {
  baseURL: string;
  dataDir: string;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function assertWebBuilt(): void {
  const index = path.join(REPO_ROOT, 'web/dist/index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`The browser tests need the built web app, and ${index} is missing. Run \`npm run build:web\` first.`);
  }
}

async function waitForHealth(baseURL: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before answering:\n${logs()}`);
    try {
      const response = await fetch(`${baseURL}/api/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The server did not answer GET /api/health within ${READY_TIMEOUT_MS / 1000} s:\n${logs()}`);
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    try {
      // npx → tsx → node: signal the whole process group the child leads.
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(killTimer);
      resolve();
    }
  });
}

export async function startServer(): Promise<RunningServer> {
  assertWebBuilt();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouhu-e2e-data-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SHOUHU_DATA_DIR: dataDir,
    SHOUHU_SKIP_WEB_BUILD: '1',
    SHOUHU_DEMO: '1',
    // The specs sign in from 127.0.0.1 far more often than a person would; server tests prove the limits.
    LOGIN_RATE_PER_ADDRESS: '100000',
    LOGIN_RATE_GLOBAL: '100000',
  };
  const child = spawn('npx', ['tsx', 'server/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const logs = () => output.split('\n').slice(-40).join('\n');

  try {
    await waitForHealth(baseURL, child, logs);
  } catch (error) {
    await stopProcessGroup(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    baseURL,
    dataDir,
    stop: async () => {
      await stopProcessGroup(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
