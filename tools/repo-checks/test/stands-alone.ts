import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** A reference from a tracked file to something the repository does not hold. */
export interface Escape {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Text that only makes sense on one machine or beside one checkout (never inside a clone). */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /\.\.\/shared\//, why: 'reaches ../shared (vendor the file into the repository)' },
  { pattern: /(^|[\s'"`(=:])\/(work|farm)\//, why: 'a machine path' },
];

/** Relative path literals in code ('../x', "../../y"), resolved against the file's folder. */
const CODE_PATH = /['"`]((?:\.\.\/)+[^'"`\s$]*)['"`]/g;
/** Relative links in Markdown: [text](../x). */
const MD_LINK = /\]\(((?:\.\.\/)+[^)\s#]*)/g;

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Every place in one file's text that refers outside the repository rooted at `root`. */
export function escapesIn(root: string, file: string, text: string): Escape[] {
  const found: Escape[] = [];
  const lines = text.split('\n');
  const relativeTargets = CODE.test(file) ? CODE_PATH : file.endsWith('.md') ? MD_LINK : undefined;
  lines.forEach((lineText, index) => {
    const at = { file, line: index + 1, text: lineText.trim().slice(0, 160) };
    for (const { pattern, why } of FORBIDDEN) if (pattern.test(lineText)) found.push({ ...at, why });
    if (!relativeTargets) return;
    for (const match of lineText.matchAll(relativeTargets)) {
      const target = resolve(root, dirname(file), match[1]!);
      const inside = relative(root, target);
      if (inside.startsWith('..') || isAbsolute(inside)) {
        found.push({ ...at, why: `${match[1]} resolves to ${inside}, outside the repository` });
      }
    }
  });
  return found;
}
