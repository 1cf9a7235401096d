/**
 * The system tools the tests (and the benchmark) run, and the set-up `npm test` does before Nx:
 * find each on the PATH, check it works, install what is missing with apt-get when it can (as root,
 * with apt-get on the PATH), otherwise stop at once with ONE message naming every missing tool and
 * the exact command that installs it. Decisions: docs/development.md.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * @typedef {object} SystemTool
 * @property {string} command      what the tests run (looked up on the PATH)
 * @property {string} usedBy       which tests need it, for the message
 * @property {string} [aptPackage] the Debian package that provides it, when a Debian package will do
 * @property {string} [pathVariable] an environment variable that may name the executable instead
 * @property {(path: string, env: NodeJS.ProcessEnv) => string | null} [verify] null when usable, else why not
 * @property {(arch: string) => string} [manualInstall] the command to run when apt-get cannot provide it
 * @property {() => string[]} [extraDirs] directories to look in besides the PATH (packages that keep
 *   their binaries off it)
 */

/** kubectl version that the manual install pins (its built-in kustomize is v5.5). */
export const KUBECTL_VERSION = 'v1.32.4';
/** @type {Record<string, string>} */
const KUBECTL_ARCH = { x64: 'amd64', arm64: 'arm64' };

/**
 * deploy/ uses kustomize's `labels` field with `includeTemplates`, which needs kustomize 5 (built
 * into kubectl from 1.27). Debian 12's kubernetes-client is kubectl 1.20.2 with kustomize 2.0.3,
 * which fails on it ("json: unknown field \"labels\""), so kubectl is never installed from Debian.
 * @param {string} path
 * @param {NodeJS.ProcessEnv} env
 */
export function verifyKustomize(path, env) {
  const result = spawnSync(path, ['version', '--client'], { encoding: 'utf8', env, timeout: 20_000 });
  if (result.error) return `could not run ${path}: ${result.error.message}`;
  const kustomize = /Kustomize Version:\s*v?(\d+)\.(\d+)/.exec(`${result.stdout}${result.stderr}`);
  if (!kustomize) return `${path} has no built-in kustomize (kubectl 1.27 or newer is needed)`;
  if (Number(kustomize[1]) < 5) {
    return `${path} has kustomize ${kustomize[1]}.${kustomize[2]}; deploy/ needs kustomize 5 (kubectl 1.27 or newer)`;
  }
  return null;
}

/**
 * Debian's postgresql keeps the server binaries (initdb, pg_ctl, postgres) in
 * /usr/lib/postgresql/<major>/bin, off the PATH; newest major first.
 * @param {string} [root]
 */
export function postgresBinDirs(root = '/usr/lib/postgresql') {
  try {
    return readdirSync(root)
      .filter((major) => /^[0-9]+$/.test(major))
      .sort((a, b) => Number(b) - Number(a))
      .map((major) => join(root, major, 'bin'));
  } catch {
    return [];
  }
}

/** @type {readonly SystemTool[]} */
export const TEST_TOOLS = [
  {
    command: 'chromium',
    aptPackage: 'chromium',
    pathVariable: 'CHROMIUM_PATH',
    usedBy: 'the page tests in real headless Chromium (apps/web/test/browser)',
  },
  {
    command: 'prometheus',
    aptPackage: 'prometheus',
    usedBy: 'a real Prometheus scraping the service (apps/web/test/monitoring)',
  },
  { command: 'promtool', aptPackage: 'prometheus', usedBy: 'the alert rule unit tests (deploy/test)' },
  {
    command: 'amtool',
    aptPackage: 'prometheus-alertmanager',
    usedBy: 'the Alertmanager configuration check (infra/test)',
  },
  {
    command: 'pg_ctl',
    aptPackage: 'postgresql',
    usedBy: 'the PostgreSQL engine tests, against a real server started per test file (apps/web/test/postgres)',
    extraDirs: postgresBinDirs,
  },
  { command: 'jq', aptPackage: 'jq', usedBy: 'the workflow script tests (tools/workflows)' },
  {
    command: 'kubectl',
    usedBy: 'rendering deploy/ with its built-in kustomize (deploy/test)',
    verify: verifyKustomize,
    manualInstall: (arch) =>
      `curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${KUBECTL_ARCH[arch] ?? arch}/kubectl && chmod +x /usr/local/bin/kubectl`,
  },
];

/** @type {readonly SystemTool[]} */
export const BENCH_TOOLS = [
  { command: 'wrk', aptPackage: 'wrk', usedBy: 'the load generator of npm run bench' },
  {
    command: 'pg_ctl',
    aptPackage: 'postgresql',
    usedBy: 'the PostgreSQL engine and its ceiling in npm run bench',
    extraDirs: postgresBinDirs,
  },
];

/**
 * The executable a command resolves to on env.PATH, then in `extraDirs`, or null.
 * @param {string} command
 * @param {NodeJS.ProcessEnv} env
 * @param {readonly string[]} [extraDirs]
 */
export function which(command, env, extraDirs = []) {
  const candidates = isAbsolute(command)
    ? [command]
    : [...(env['PATH'] ?? '').split(delimiter).filter(Boolean), ...extraDirs].map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return null;
}

/**
 * The tools that are missing or unusable, each with the reason.
 * @param {readonly SystemTool[]} tools
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ tool: SystemTool, reason: string }[]}
 */
export function findProblems(tools, env) {
  const problems = [];
  for (const tool of tools) {
    const named = tool.pathVariable ? env[tool.pathVariable] : undefined;
    const path = which(named || tool.command, env, tool.extraDirs?.() ?? []);
    if (!path) {
      problems.push({
        tool,
        reason: named ? `${tool.pathVariable}=${named} is not executable` : 'not found on the PATH',
      });
      continue;
    }
    const unusable = tool.verify?.(path, env) ?? null;
    if (unusable) problems.push({ tool, reason: unusable });
  }
  return problems;
}

/** @param {readonly string[]} packages @param {boolean} asRoot */
export function aptInstallCommand(packages, asRoot) {
  const sudo = asRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(' ')}`;
}

/**
 * One message: every missing tool, why, what needs it, and the exact commands that install them.
 * @param {{ tool: SystemTool, reason: string }[]} problems
 * @param {{ asRoot: boolean, arch: string, note?: string }} context
 */
export function problemsMessage(problems, { asRoot, arch, note }) {
  const lines = [`Missing system tools (${problems.length}); the tests cannot run without them:`];
  for (const { tool, reason } of problems) lines.push(`  - ${tool.command}: ${reason}; needed by ${tool.usedBy}`);
  const packages = [...new Set(problems.map((p) => p.tool.aptPackage).filter((p) => p !== undefined))];
  const manual = problems.filter((p) => !p.tool.aptPackage && p.tool.manualInstall);
  lines.push('Install them with:');
  if (packages.length > 0) lines.push(`  ${aptInstallCommand(packages, asRoot)}`);
  for (const { tool } of manual) {
    const command = tool.manualInstall?.(arch) ?? '';
    lines.push(`  ${asRoot ? command : `sudo sh -c '${command}'`}`);
  }
  if (note) lines.push(note);
  return lines.join('\n');
}

/**
 * Makes sure every tool is usable. Installs the missing ones with apt-get when all of them come
 * from Debian packages and this process may (root, apt-get present); otherwise installs nothing
 * and returns the one message at once, so no minutes are spent before a run that would stop anyway.
 * @param {readonly SystemTool[]} tools
 * @param {{ env?: NodeJS.ProcessEnv, isRoot?: boolean, arch?: string, log?: (line: string) => void }} [options]
 * @returns {{ ok: true, installed: string[] } | { ok: false, message: string }}
 */
export function ensureTools(tools, options = {}) {
  const env = options.env ?? process.env;
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const arch = options.arch ?? process.arch;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));

  const problems = findProblems(tools, env);
  if (problems.length === 0) return { ok: true, installed: [] };

  const apt = which('apt-get', env);
  const installable = problems.every((p) => p.tool.aptPackage);
  if (!isRoot || !apt || !installable) {
    const why = !installable
      ? undefined
      : !apt
        ? 'apt-get is not available here: install the tools with your system package manager.'
        : 'Not running as root, so nothing was installed.';
    return { ok: false, message: problemsMessage(problems, { asRoot: isRoot, arch, note: why }) };
  }

  const packages = [...new Set(problems.map((p) => /** @type {string} */ (p.tool.aptPackage)))];
  log(`installing missing system tools: apt-get install -y ${packages.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps = [
    // Two test runs starting together on a fresh machine both install: the second waits for the
    // first's dpkg lock instead of failing at once (apt.conf(5), DPkg::Lock::Timeout, seconds).
    ['update', '-qq', '-o', 'DPkg::Lock::Timeout=600'],
    ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=600', ...packages],
  ];
  for (const args of steps) {
    const run = spawnSync(apt, args, { env: aptEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) {
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n    ');
      return {
        ok: false,
        message: `${problemsMessage(problems, { asRoot: true, arch })}\napt-get ${args[0]} failed (exit ${run.status}):\n    ${output}`,
      };
    }
  }
  const still = findProblems(tools, env);
  if (still.length > 0) {
    return {
      ok: false,
      message: problemsMessage(still, {
        asRoot: true,
        arch,
        note: 'apt-get install succeeded, but these are still unusable.',
      }),
    };
  }
  return { ok: true, installed: packages };
}
