#!/usr/bin/env node
// A stand-in for `docker` and `aws` against ECR (no registry here): repositories with manifests
// stored as the bytes a registry serves, their digests the sha256 of those bytes, and immutable
// tags, all kept in a JSON file ($FAKE_REGISTRY_STATE). It implements exactly the calls the
// .github/scripts make, and `docker buildx imagetools create` as buildx really behaves
// (docker/buildx util/imagetools/create.go, commands/imagetools/create.go):
//   - one source that is a single manifest is wrapped in a new image index unless
//     --prefer-index=false (the default is true), so the pushed digest differs from the source's;
//   - with --prefer-index=false, or a source that is already an index, the source bytes are
//     pushed as they are (a carbon copy, same digest);
//   - --dry-run prints the bytes it would push, then a newline, and pushes nothing.
// $FAKE_BUILDX_ALWAYS_INDEX=1 models a buildx that wraps whatever it is told (to test the dry run).
// Usage: fake-registry.mjs docker|aws ARGS...
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

// Scripts pipe one stand-in into the other (aws ... | docker login): calls are appended to a log
// and the state replaced whole (rename), so neither sees the other's half-written file.
const statePath = process.env.FAKE_REGISTRY_STATE;
const state = JSON.parse(readFileSync(statePath, 'utf8'));
const save = () => {
  writeFileSync(`${statePath}.${process.pid}`, JSON.stringify(state, null, 2));
  renameSync(`${statePath}.${process.pid}`, statePath);
};
const [tool, ...args] = process.argv.slice(2);
appendFileSync(`${statePath}.calls`, `${JSON.stringify(`${tool} ${args.join(' ')}`)}\n`);

const fail = (message, code = 1) => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const digestOf = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
/** registry-host/name[:tag|@digest] -> the repository name ECR knows (without the host). */
const split = (ref) => {
  const [, name, tag, digest] = /^[^/]+\/([^:@]+)(?::([\w.-]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(ref) ?? [];
  if (!name) fail(`fake registry: bad reference ${ref}`);
  return { name, tag, digest };
};
const repo = (name) => (state.repos[name] ??= { manifests: {}, tags: {}, pushedAt: {} });
const push = (name, tag, bytes) => {
  const r = repo(name);
  const digest = digestOf(bytes);
  if (tag && r.tags[tag] && r.tags[tag] !== digest)
    fail(
      `tag invalid: The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
    );
  r.manifests[digest] = bytes;
  if (tag) {
    r.tags[tag] = digest;
    r.pushedAt[tag] = new Date().toISOString();
  }
  save();
  return digest;
};

if (tool === 'aws') {
  if (args.join(' ') === 'ecr get-login-password') process.stdout.write('token\n');
  else if (args[0] === 'ecr' && args[1] === 'describe-images') {
    const tag = /^imageTag=(.+)$/.exec(option('--image-ids') ?? '')?.[1];
    const r = state.repos[option('--repository-name')];
    if (!r || !r.tags[tag]) fail(`An error occurred (ImageNotFoundException): image tag '${tag}' not found`, 254);
    const field = /^imageDetails\[0\]\.(\w+)$/.exec(option('--query') ?? '')?.[1];
    const detail = { imageDigest: r.tags[tag], imagePushedAt: r.pushedAt[tag] };
    if (!(field in detail) || option('--output') !== 'text') fail(`fake aws: unsupported query ${args.join(' ')}`);
    process.stdout.write(`${detail[field]}\n`);
  } else fail(`fake aws: unsupported call: ${args.join(' ')}`);
} else if (tool === 'docker') {
  if (args[0] === 'login') readFileSync(0);
  else if (args[0] === 'buildx' && args[1] === 'imagetools' && args[2] === 'create') {
    const flags = args.slice(3);
    const tags = flags.flatMap((a, i) => (a === '--tag' ? [flags[i + 1]] : []));
    const sources = flags.filter((a, i) => !a.startsWith('--') && flags[i - 1] !== '--tag');
    const known = /^--(prefer-index=(true|false)|dry-run|tag)$/;
    const unknown = flags.find((a) => a.startsWith('--') && !known.test(a));
    if (unknown) fail(`unknown flag: ${unknown}`);
    if (sources.length !== 1) fail('fake docker: one source only');
    const preferIndex = !flags.includes('--prefer-index=false') || process.env.FAKE_BUILDX_ALWAYS_INDEX === '1';
    const source = split(sources[0]);
    const bytes = state.repos[source.name]?.manifests[source.digest];
    if (!bytes) fail(`ERROR: ${sources[0]}: not found`);
    const isIndex = /index|manifest\.list/.test(JSON.parse(bytes).mediaType ?? '');
    const out =
      isIndex || !preferIndex
        ? bytes
        : JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.oci.image.index.v1+json',
            manifests: [
              {
                mediaType: JSON.parse(bytes).mediaType,
                digest: source.digest,
                size: Buffer.byteLength(bytes),
                platform: { architecture: 'amd64', os: 'linux' },
              },
            ],
          });
    if (flags.includes('--dry-run')) process.stdout.write(`${out}\n`);
    else {
      if (!tags.length) fail("can't push with no tags specified, please set --tag or --dry-run");
      for (const tag of tags) {
        const target = split(tag);
        if (out !== bytes) repo(target.name).manifests[source.digest] = bytes; // the index's child
        push(target.name, target.tag, out);
      }
    }
  } else if (args[0] === 'buildx' && args[1] === 'build' && args.includes('--push')) {
    const target = split(option('--tag'));
    const bytes = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { digest: digestOf(`${args.join(' ')} ${Date.now()} ${Math.random()}`) },
    });
    const digest = push(target.name, target.tag, bytes);
    writeFileSync(option('--metadata-file'), JSON.stringify({ 'containerimage.digest': digest }));
  } else fail(`fake docker: unsupported call: ${args.join(' ')}`);
} else fail(`fake registry: unknown tool ${tool}`);
