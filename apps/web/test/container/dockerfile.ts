import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import t from 'tap';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { APP, PATHS } from '@zumo/config';
import { START_SCRIPT, WEB_ROOT } from '../helper.js';

const dockerfile = DockerfileParser.parse(readFileSync(join(WEB_ROOT, 'Dockerfile'), 'utf8'));
const dockerignore = readFileSync(join(WEB_ROOT, '../../.dockerignore'), 'utf8').split('\n');
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const runtimeStart = froms.at(-1)!.getRange().start.line;
const runtime = instructions.filter((i) => i.getRange().start.line >= runtimeStart);
const build = instructions.filter((i) => i.getRange().start.line < runtimeStart);
const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const only = (stage: Instruction[], keyword: string) => stage.filter((i) => i.getKeyword() === keyword).map(args);

t.test('apps/web/Dockerfile', async (t) => {
  t.test('is multi-stage on Node 24 LTS slim', async (t) => {
    t.same(
      froms.map((f) => f.getBuildStage()),
      ['build', 'runtime'],
    );
    const baseArg = only(instructions, 'ARG').find((a) => a.startsWith('NODE_IMAGE='));
    t.match(baseArg, /^NODE_IMAGE=node:24(\.\d+)*-[a-z]+-slim$/, 'the base image is node:24 slim');
    t.ok(
      froms.every((f) => f.getImage() === '${NODE_IMAGE}'),
      'both stages use that one base',
    );
  });

  t.test('the build stage compiles service and page and keeps production dependencies only', async (t) => {
    const runs = only(build, 'RUN').join('\n');
    t.match(runs, /tsc --build packages\/config\/tsconfig\.lib\.json/, 'compiles the shared contract');
    t.match(runs, /build-server/, 'bundles the service');
    t.match(runs, /build-client/, 'builds the page');
    t.match(
      runs,
      /npm ci [^\n]*--omit=dev --workspace @zumo\/web/,
      'production-only install scoped to the web workspace',
    );
  });

  t.test('the runtime stage copies only built files and production dependencies', async (t) => {
    const copies = only(runtime, 'COPY');
    t.ok(copies.length > 0 && copies.every((c) => c.includes('/src/')), 'every COPY comes from the build stage');
    t.notOk(
      copies.some((c) => /(^|\s)\.(\s|$)|\/src\/?\s|\/test|\.git/.test(c)),
      'no whole-context copy, tests or .git',
    );
    t.same(
      copies.filter((c) => c.includes('apps/web')).map((c) => c.split(/\s+/)[0]),
      ['/src/apps/web/package.json', '/src/apps/web/dist', '/src/apps/web/bin'],
    );
  });

  t.test('runs as uid 10001 with only /data writable', async (t) => {
    t.same(only(runtime, 'USER'), [`${APP.runAsUser}:${APP.runAsUser}`]);
    t.same(only(runtime, 'VOLUME'), [APP.dataMountPath]);
    t.match(
      only(runtime, 'RUN').join('\n'),
      new RegExp(`chown ${APP.runAsUser}:${APP.runAsUser} ${APP.dataMountPath}`),
    );
    t.match(
      only(runtime, 'ENV').join(' '),
      new RegExp(`DATABASE_PATH=${APP.dataMountPath}/`),
      'the database lives on the volume',
    );
    const userLine = runtime.find((i) => i.getKeyword() === 'USER')!.getRange().start.line;
    t.notOk(
      runtime.some((i) => i.getKeyword() === 'RUN' && i.getRange().start.line > userLine),
      'nothing runs as the service user at build time',
    );
  });

  t.test(
    'listens on, exposes and health-checks the contract port, stops with SIGTERM, starts with the start script',
    async (t) => {
      t.same(only(runtime, 'EXPOSE'), [String(APP.containerPort)]);
      const env = only(runtime, 'ENV').join(' ').split(/\s+/);
      t.ok(env.includes(`PORT=${APP.containerPort}`), 'the service listens on it (ENV PORT)');
      t.match(
        only(runtime, 'HEALTHCHECK').join(' '),
        `'http://127.0.0.1:${APP.containerPort}${PATHS.health}'`,
        'the health check asks it for the liveness path',
      );
      t.same(only(runtime, 'STOPSIGNAL'), ['SIGTERM']);
      const workdir = only(runtime, 'WORKDIR').at(-1)!;
      t.same(
        JSON.parse(only(runtime, 'CMD')[0]!),
        [posix.join(workdir, START_SCRIPT)],
        'CMD is exec form and runs the start script that npm start runs (container/start-command.ts)',
      );
    },
  );

  t.test('carries OCI labels from build args', async (t) => {
    const labels = only(runtime, 'LABEL').join(' ');
    for (const [label, arg] of [
      ['source', 'SOURCE'],
      ['revision', 'REVISION'],
      ['created', 'CREATED'],
    ]) {
      t.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${label}="\\$\\{${arg}\\}"`), `${label} from ${arg}`);
      t.ok(
        only(runtime, 'ARG').some((a) => a.startsWith(`${arg}=`)),
        `ARG ${arg} is declared in the runtime stage`,
      );
    }
  });

  t.test('.dockerignore keeps secrets, tests, git and local builds out of the context', async (t) => {
    for (const pattern of [
      '**/.git',
      '**/node_modules',
      '**/dist',
      '**/test',
      '**/.env',
      '**/.env.*',
      '**/*.pem',
      '**/*.key',
      '**/id_rsa*',
      '**/data',
    ]) {
      t.ok(dockerignore.includes(pattern), `${pattern} is ignored`);
    }
    // The last matching line wins in .dockerignore: the public RDS CA bundle the build copies
    // (scripts/build-server.mjs) is let back in after every other .pem is kept out.
    const bundle = '!apps/web/src/db/postgres/rds-ca/global-bundle.pem';
    t.ok(dockerignore.indexOf(bundle) > dockerignore.indexOf('**/*.pem'), 'the RDS CA bundle reaches the build');
  });
});
