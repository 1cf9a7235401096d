import { readFile, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, Scalar, type YAMLMap } from 'yaml';

/** The image name the base manifests use; the overlay maps it to the registry, tag and digest. */
export const BASE_IMAGE = 'zumo/web';
export const VERSION_LABEL = 'app.kubernetes.io/version';

const TAG = /^[0-9a-f]{7,40}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REPOSITORY = /^[a-z0-9][a-z0-9.-]*(:[0-9]+)?\/[a-z0-9][a-z0-9._/-]*$/;

export interface NewImage {
  /** Registry and repository, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/zumo/web-dev */
  readonly repository: string;
  /** The git short SHA the image was built from. */
  readonly tag: string;
  /** The pushed image's digest (sha256:...), which pins the exact bytes. */
  readonly digest: string;
}

export class BumpError extends Error {
  override name = 'BumpError';
}

/** Refuses malformed input with a message naming the field and the expected form. */
export function checkImage(image: NewImage): void {
  const problems: string[] = [];
  if (!REPOSITORY.test(image.repository))
    problems.push(`repository "${image.repository}" is not <registry>/<repository>`);
  if (!TAG.test(image.tag)) problems.push(`tag "${image.tag}" is not a git SHA (7 to 40 lower-case hex characters)`);
  if (!DIGEST.test(image.digest))
    problems.push(`digest "${image.digest}" is not sha256: followed by 64 hex characters`);
  if (problems.length) throw new BumpError(`refusing to bump: ${problems.join('; ')}`);
}

const quoted = (value: string) => {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_SINGLE; // "1234567" must stay a string for kustomize
  return scalar;
};

/** Parses a kustomization and finds the images entry of the base image (the one CI owns). */
function imageEntry(text: string) {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new BumpError(`kustomization is not valid YAML: ${doc.errors[0]!.message}`);
  const images = doc.get('images');
  if (!isSeq(images)) throw new BumpError('kustomization has no images list');
  const entry = images.items.find((item) => isMap(item) && item.get('name') === BASE_IMAGE) as YAMLMap | undefined;
  if (!entry) throw new BumpError(`kustomization has no images entry named ${BASE_IMAGE}`);
  return { doc, entry };
}

/**
 * Returns the kustomization text with the image entry and the version label set, editing the YAML
 * syntax tree so comments, ordering and formatting survive. Unchanged input gives identical text.
 */
export function bumpKustomization(text: string, image: NewImage): string {
  checkImage(image);
  const { doc, entry } = imageEntry(text);
  const same =
    entry.get('newName') === image.repository &&
    entry.get('newTag') === image.tag &&
    entry.get('digest') === image.digest;

  const labels = doc.get('labels');
  const pairs = isSeq(labels)
    ? (
        labels.items.find(
          (l) => isMap(l) && isMap(l.get('pairs')) && (l.get('pairs') as YAMLMap).has(VERSION_LABEL),
        ) as YAMLMap | undefined
      )?.get('pairs')
    : undefined;
  if (!isMap(pairs)) throw new BumpError(`kustomization has no labels entry with ${VERSION_LABEL}`);
  if (same && pairs.get(VERSION_LABEL) === image.tag) return text;

  entry.set('newName', image.repository);
  entry.set('newTag', quoted(image.tag));
  entry.set('digest', image.digest);
  pairs.set(VERSION_LABEL, quoted(image.tag));
  return doc.toString({ lineWidth: 0 });
}

/**
 * The image an overlay runs now (promotion copies dev's into prod). Fails when the overlay has no
 * complete, well-formed entry: a placeholder release must never be promoted.
 */
export function readKustomizationImage(text: string): NewImage {
  const { entry } = imageEntry(text);
  const field = (key: string) => {
    const value = entry.get(key);
    if (typeof value !== 'string') throw new BumpError(`images entry ${BASE_IMAGE} has no ${key}`);
    return value;
  };
  const image = { repository: field('newName'), tag: field('newTag'), digest: field('digest') };
  checkImage(image);
  return image;
}

/** Updates the overlay's kustomization.yaml in place; returns whether the file changed. */
export async function bumpImage(kustomizationPath: string, image: NewImage): Promise<boolean> {
  const before = await readFile(kustomizationPath, 'utf8');
  const after = bumpKustomization(before, image);
  if (after === before) return false;
  await writeFile(kustomizationPath, after);
  return true;
}
