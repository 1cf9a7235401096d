// The editor behind set-image.sh (usage there). It reads and writes the overlay with the `yaml`
// package's Document API, which keeps comments, quoting and layout; a file it could not write
// back byte for byte before any change is refused rather than reformatted.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const IMAGE_NAME = 'zumo/web';
const VERSION_LABEL = 'app.kubernetes.io/version';
const TAG_RE = /^[0-9a-f]{7,40}$/;
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const REPOSITORY_RE = /^[a-z0-9][a-z0-9.-]*(:[0-9]+)?\/[a-z0-9][a-z0-9._/-]*$/;

class Refusal extends Error {
  /** The exit status: 2 for bad input or an unexpected file, 3 for --print of the placeholder. */
  status = 2;
}
const refuse = (message) => {
  throw new Refusal(message);
};

/** The `yaml` this folder pins (its package.json), refused when another copy would be loaded. */
function loadYaml() {
  const pinned = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')).dependencies.yaml;
  const install = `npm ci --ignore-scripts --prefix ${import.meta.dirname}`;
  const require = createRequire(import.meta.url);
  let found;
  try {
    found = JSON.parse(readFileSync(join(import.meta.dirname, 'node_modules/yaml/package.json'), 'utf8')).version;
  } catch {
    refuse(`yaml ${pinned} is not installed next to the script: run ${install}`);
  }
  if (found !== pinned) refuse(`yaml ${found} is installed, ${pinned} is pinned: run ${install}`);
  return require(join(import.meta.dirname, 'node_modules/yaml'));
}

function checkImage({ repository, tag, digest }) {
  const problems = [];
  if (!REPOSITORY_RE.test(repository)) problems.push(`repository "${repository}" is not <registry>/<repository>`);
  if (!TAG_RE.test(tag)) problems.push(`tag "${tag}" is not a git SHA (7 to 40 lower-case hex characters)`);
  if (!DIGEST_RE.test(digest)) problems.push(`digest "${digest}" is not sha256: followed by 64 hex characters`);
  if (problems.length > 0) refuse(`refusing the image: ${problems.join('; ')}`);
}

/** The overlay's parsed document, its zumo/web images entry and its version labels' maps. */
function readOverlay(yaml, file) {
  const text = readFileSync(file, 'utf8');
  const notFormat = (reason) => refuse(`${reason}\nset-image: ${file} is not the overlay format CI writes`);
  const doc = yaml.parseDocument(text);
  if (doc.errors.length > 0) notFormat(doc.errors[0].message);
  if (doc.toString() !== text) notFormat('the file would not be written back as it is (layout the editor cannot keep)');
  const images = doc.get('images');
  const entries = yaml.isSeq(images)
    ? images.items.filter((item) => yaml.isMap(item) && item.get('name') === IMAGE_NAME)
    : [];
  if (entries.length !== 1)
    notFormat(`kustomization has ${entries.length} images entries named ${IMAGE_NAME} (expected one)`);
  const [entry] = entries;
  for (const key of ['newName', 'newTag']) {
    if (!entry.has(key)) notFormat(`images entry ${IMAGE_NAME} has no ${key}`);
  }
  const labels = doc.get('labels');
  const versioned = (yaml.isSeq(labels) ? labels.items : [])
    .map((item) => (yaml.isMap(item) ? item.get('pairs') : undefined))
    .filter((pairs) => yaml.isMap(pairs) && pairs.has(VERSION_LABEL));
  return { text, doc, entry, versioned, notFormat };
}

function print(yaml, file) {
  const { entry } = readOverlay(yaml, file);
  if (!entry.has('digest')) {
    // Its own status: publish-prod ends quietly on the placeholder (overlay-release.sh).
    throw Object.assign(
      new Refusal(`images entry ${IMAGE_NAME} has no digest: this overlay never received a release`),
      {
        status: 3,
      },
    );
  }
  const image = {
    repository: String(entry.get('newName')),
    tag: String(entry.get('newTag')),
    digest: String(entry.get('digest')),
  };
  checkImage(image);
  return `repository=${image.repository}\ntag=${image.tag}\ndigest=${image.digest}\n`;
}

function write(yaml, file, image) {
  const { text, doc, entry, versioned, notFormat } = readOverlay(yaml, file);
  if (versioned.length !== 1) notFormat(`kustomization has ${versioned.length} ${VERSION_LABEL} labels (expected one)`);
  // Quoted, so an all-digit SHA stays a string for kustomize and for people.
  const quoted = (value) => Object.assign(new yaml.Scalar(value), { type: yaml.Scalar.QUOTE_SINGLE });
  // Set in place, so a pair keeps its position and comments; a new digest goes right after newTag.
  const setValue = (map, key, value, after) => {
    const at = map.items.findIndex((item) => yaml.isScalar(item.key) && item.key.value === key);
    const node = yaml.isScalar(value) ? value : new yaml.Scalar(value);
    if (at >= 0 && yaml.isScalar(map.items[at].value)) {
      Object.assign(map.items[at].value, { value: node.value, type: node.type ?? map.items[at].value.type });
    } else if (at >= 0) {
      map.items[at].value = node;
    } else {
      const previous = map.items.findIndex((item) => yaml.isScalar(item.key) && item.key.value === after);
      map.items.splice(previous + 1, 0, doc.createPair(key, node));
    }
  };
  setValue(entry, 'newName', image.repository);
  setValue(entry, 'newTag', quoted(image.tag));
  setValue(entry, 'digest', image.digest, 'newTag');
  setValue(versioned[0], VERSION_LABEL, quoted(image.tag));
  const updated = doc.toString();
  if (updated === text) return 'unchanged';
  writeFileSync(file, updated);
  return 'updated';
}

function main(args) {
  if (args[0] === '--print') {
    if (args.length !== 2) refuse('usage: set-image.sh --print OVERLAY');
    const file = join(args[1], 'kustomization.yaml');
    if (!existsSync(file)) refuse(`${file} does not exist`);
    return print(loadYaml(), file);
  }
  if (args.length !== 4) refuse('usage: set-image.sh OVERLAY REPOSITORY TAG DIGEST | --print OVERLAY');
  const [overlay, repository, tag, digest] = args;
  const file = join(overlay, 'kustomization.yaml');
  if (!existsSync(file)) refuse(`${file} does not exist`);
  const image = { repository, tag, digest };
  checkImage(image);
  const outcome = write(loadYaml(), file, image);
  return `${outcome}: ${overlay} -> ${repository}:${tag}@${digest}\n`;
}

try {
  process.stdout.write(main(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  process.stderr.write(`set-image: ${error.message}\n`);
  process.exitCode = error.status;
}
