import { readFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';

/** The release an overlay runs: written by CI (.github/scripts/set-image.sh), never by hand. */
export interface WebRelease {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

/** The web overlay of an environment, as committed (the program runs from a checkout of this repository). */
export function readWebOverlay(environment: string): string {
  return readFileSync(
    new URL(`../../../deploy/web/overlays/${environment}/kustomization.yaml`, import.meta.url),
    'utf8',
  );
}

/**
 * The overlay's release, if it is one this stack can run: CI wrote its images entry (with a
 * digest; the placeholder has none) and it names this stack's own registry. Otherwise the reason,
 * and the web Application is not created yet: a placeholder image would only fail to pull and
 * page everyone during bring-up (docs/infra.md, "Deploy from zero").
 */
export function releasedImage(
  kustomization: string,
  repository: string,
): { release: WebRelease; reason?: undefined } | { release?: undefined; reason: string } {
  const doc = parseDocument(kustomization);
  const images = doc.get('images');
  const entry = isSeq(images) ? images.items.find((i) => isMap(i) && i.get('name') === 'zumo/web') : undefined;
  if (!isMap(entry)) return { reason: 'the overlay has no images entry for zumo/web' };
  const [name, tag, digest] = ['newName', 'newTag', 'digest'].map((key) => entry.get(key));
  if (typeof digest !== 'string' || typeof tag !== 'string')
    return { reason: 'no release yet (the overlay holds the placeholder image, without a digest)' };
  if (name !== repository)
    return { reason: `the overlay's release is in ${String(name)}, not in this stack's registry ${repository}` };
  return { release: { repository, tag, digest } };
}
