/**
 * The commands of docs/infra.md "Deploy from zero", in order, as a shell would run them: every
 * shell block starts at the repository root, a `cd` holds until the block ends, `&&` separates
 * commands, `#` starts a comment. What the CLI rules test and the docs test need from them: which
 * stacks get created where and how, which config they set, what is logged in and committed.
 */
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { REPO_ROOT } from '../mocks.js';

export interface Command {
  /** Working directory, relative to the repository root ('.' for the root). */
  readonly cwd: string;
  readonly words: readonly string[];
  /** Position in the section, to compare orders. */
  readonly index: number;
}

/** A section of docs/infra.md, from its heading to the next one of the same level. */
export function docsSection(heading: string): string {
  const docs = readFileSync(join(REPO_ROOT, 'docs/infra.md'), 'utf8');
  const start = docs.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`docs/infra.md has no section "${heading}"`);
  const end = docs.indexOf('\n## ', start + 1);
  return docs.slice(start, end < 0 ? undefined : end);
}

/** Splits a command line into words, honouring single and double quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

export function commandsOf(section: string): Command[] {
  const blocks = [...section.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands: Command[] = [];
  for (const block of blocks) {
    let cwd = '.';
    for (const raw of block.split('\n')) {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      for (const part of line.split('&&').map((p) => p.trim())) {
        if (!part) continue;
        const w = words(part);
        if (w[0] === 'cd') cwd = normalize(join(cwd, w[1]!));
        else commands.push({ cwd, words: w, index: commands.length });
      }
    }
  }
  return commands;
}

/** The value of `--flag value` or `--flag=value`. */
export function flag(command: Command, name: string): string | undefined {
  const i = command.words.findIndex((w) => w === `--${name}` || w.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const word = command.words[i]!;
  return word.includes('=') ? word.slice(word.indexOf('=') + 1) : command.words[i + 1];
}

const isPulumi = (c: Command, ...sub: string[]) => c.words[0] === 'pulumi' && sub.every((s, i) => c.words[i + 1] === s);

export interface DocumentedStack {
  readonly dir: string;
  readonly stack: string;
  readonly init: Command;
  readonly secretsProvider: string | undefined;
  /** `pulumi config set` after the init: key -> value, `secure` for --secret. */
  readonly config: Record<string, string | { secure: string }>;
  /** A `git commit` of its stack file after the init (what CI then reads). */
  readonly committedAfterInit: boolean;
  /** A `pulumi login` before the init, from the same directory. */
  readonly loggedInBefore: boolean;
}

/** Every stack the section creates with `pulumi stack init`, with what the section does to it. */
export function documentedStacks(commands: readonly Command[]): DocumentedStack[] {
  return commands
    .filter((c) => isPulumi(c, 'stack', 'init'))
    .map((init) => {
      const stack = init.words[3]!;
      const file = join(init.cwd, `Pulumi.${stack}.yaml`);
      const later = commands.filter((c) => c.index > init.index);
      const config: DocumentedStack['config'] = {};
      for (const c of later.filter((c) => isPulumi(c, 'config', 'set') && c.cwd === init.cwd)) {
        if ((flag(c, 'stack') ?? stack) !== stack) continue;
        const [key, value] = c.words
          .slice(3)
          .filter((w, i, all) => !w.startsWith('--') && !all[i - 1]?.startsWith('--stack'));
        config[key!] = c.words.includes('--secret') ? { secure: value! } : value!;
      }
      const committedAfterInit = later.some(
        (c) =>
          c.words[0] === 'git' &&
          c.words[1] === 'commit' &&
          later.some(
            (add) =>
              add.index < c.index &&
              add.words[0] === 'git' &&
              add.words[1] === 'add' &&
              add.words.slice(2).some((p) => normalize(join(add.cwd, p)) === normalize(file)),
          ),
      );
      const loggedInBefore = commands.some((c) => c.index < init.index && isPulumi(c, 'login') && c.cwd === init.cwd);
      return {
        dir: init.cwd,
        stack,
        init,
        secretsProvider: flag(init, 'secrets-provider'),
        config,
        committedAfterInit,
        loggedInBefore,
      };
    });
}
