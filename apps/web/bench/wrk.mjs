/**
 * Load from wrk (Debian package `wrk`): a C client on one thread, so the load generator takes far
 * less of the shared CPU than the service it measures (a JavaScript client competes for the same
 * cores and compresses the ratio). Parses its summary: requests/s, p50, p99, errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const UNITS = { us: 0.001, ms: 1, s: 1000 };

/** "1.27ms" -> 1.27 (milliseconds). */
export function toMs(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`not a wrk duration: ${text}`);
  return Number(match[1]) * UNITS[match[2]];
}

/** Parses `wrk --latency` output; throws on socket errors or non-2xx answers. */
export function parseWrk(output, label) {
  const rps = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(output)?.[1]);
  const requests = Number(/^\s*(\d+) requests in /m.exec(output)?.[1]);
  const percentile = (p) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(output)?.[1] ?? '');
  const errors = /Socket errors: (.*)/.exec(output)?.[1];
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1];
  if (errors || non2xx || !Number.isFinite(rps)) {
    throw new Error(
      `${label}: ${errors ? `socket errors ${errors}; ` : ''}${non2xx ? `${non2xx} non-2xx answers; ` : ''}\n${output}`,
    );
  }
  return { rps, requests, p50: percentile(50), p99: percentile(99) };
}

/**
 * One wrk run: `connections` connections, one thread, `seconds` long. A POST sends `body` as
 * JSON (through a wrk Lua script).
 */
export async function wrk(url, { connections, seconds, method = 'GET', body }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  const dir = mkdtempSync(join(tmpdir(), 'zumo-wrk-'));
  try {
    if (method !== 'GET') {
      const script = join(dir, 'request.lua');
      writeFileSync(
        script,
        `wrk.method = ${JSON.stringify(method)}\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`,
      );
      args.push('-s', script);
    }
    const { stdout } = await run('wrk', [...args, url], { timeout: (seconds + 30) * 1000 }).catch((err) => {
      if (err.code === 'ENOENT') {
        throw new Error('wrk is not installed: `npm run bench` installs it (as root), or: apt-get install -y wrk');
      }
      throw err;
    });
    return parseWrk(stdout, `${method} ${url}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
