#!/usr/bin/env node
/**
 * bump-image --overlay deploy/web/overlays/dev --repository <registry/repo> --tag <sha> --digest <sha256:...>
 *   Writes the released image into the overlay (CI commits the change).
 * bump-image --overlay deploy/web/overlays/dev --print
 *   Prints the overlay's image as repository=, tag= and digest= lines (a GITHUB_OUTPUT block).
 * Exit 0 on success (changed or unchanged), 2 on bad input, with the reason.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { BumpError, bumpImage, readKustomizationImage } from './bump-image.js';

try {
  const { values } = parseArgs({
    options: {
      overlay: { type: 'string' },
      repository: { type: 'string' },
      tag: { type: 'string' },
      digest: { type: 'string' },
      print: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.print) {
    if (!values.overlay) throw new BumpError('--overlay is required');
    const image = readKustomizationImage(await readFile(join(values.overlay, 'kustomization.yaml'), 'utf8'));
    process.stdout.write(`repository=${image.repository}\ntag=${image.tag}\ndigest=${image.digest}\n`);
    process.exit(0);
  }
  for (const name of ['overlay', 'repository', 'tag', 'digest'] as const) {
    if (!values[name]) throw new BumpError(`--${name} is required`);
  }
  const changed = await bumpImage(join(values.overlay!, 'kustomization.yaml'), {
    repository: values.repository!,
    tag: values.tag!,
    digest: values.digest!,
  });
  process.stdout.write(
    `${changed ? 'updated' : 'unchanged'}: ${values.overlay} -> ${values.repository}:${values.tag}@${values.digest}\n`,
  );
} catch (err) {
  process.stderr.write(`bump-image: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
