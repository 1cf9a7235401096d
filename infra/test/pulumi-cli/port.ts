// The port of the Pulumi CLI's project and stack config checks (test/pulumi-cli/*.ts) gives the
// CLI's own answers on the CLI's own test cases: pulumi/pulumi v3.248.0
// sdk/go/common/workspace/project_test.go, each case named after its Go test.
import t from 'tap';
import { parseProject, parseStackName, validateProjectName } from './project.js';
import { mergeConfig, parseKey, parseStack } from './stack.js';

const project = (config: string) => parseProject(`name: test\nruntime: dotnet\nconfig:\n${config}`);
const merge = (projectConfig: string, stackYaml: string) => {
  const p = project(projectConfig);
  return mergeConfig('dev', p, parseStack(p, stackYaml).config);
};

t.test('TestStackConfigIsInheritedFromProjectConfig: defaults are injected, the stack wins', async (t) => {
  const merged = merge(
    '  instanceSize: t3.micro\n  instanceCount: 20\n  protect: true',
    'config:\n  test:instanceSize: t4.large',
  );
  if ('error' in merged) throw new Error(merged.error);
  t.same(Object.fromEntries([...merged.config].map(([k, v]) => [k, v.text])), {
    'test:instanceSize': 't4.large',
    'test:instanceCount': '20',
    'test:protect': 'true',
  });
});

t.test('the missing-key errors, one, two and three keys', async (t) => {
  const array = '    type: array\n    items:\n      type: string\n';
  t.same(merge(`  values:\n${array}`, 'config: {}'), { error: "Stack 'dev' is missing configuration value 'values'" });
  t.same(merge(`  another:\n    type: string\n  values:\n${array}`, 'config: {}'), {
    error: "Stack 'dev' is missing configuration values 'another' and 'values'",
  });
  t.same(merge(`  hello:\n    type: integer\n  values:\n${array}  world:\n    type: string`, 'config: {}'), {
    error: "Stack 'dev' is missing configuration values 'hello', 'values' and 'world'",
  });
});

t.test(
  'types: TestStackConfigErrorsWhenStackValueIsNotCorrectlyTyped, TestStackConfigIntegerTypeIsCorrectlyValidated',
  async (t) => {
    t.same(
      merge(
        '  values:\n    type: array\n    items:\n      type: string\n    default: [value]',
        'config:\n  test:values: someValue',
      ),
      {
        error: "Stack 'dev' with configuration key 'values' must be of type 'array<string>'",
      },
    );
    t.notOk('error' in merge('  importantNumber:\n    type: integer', 'config:\n  test:importantNumber: 20'));
    t.same(merge('  importantNumber:\n    type: integer', 'config:\n  test:importantNumber: hello'), {
      error: "Stack 'dev' with configuration key 'importantNumber' must be of type 'integer'",
    });
  },
);

t.test('TestStackConfigSecretIsCorrectlyValidated: a secret key must be secure in the stack', async (t) => {
  const secret = '  importantNumber:\n    type: integer\n    secret: true';
  t.notOk('error' in merge(secret, 'config:\n  test:importantNumber:\n    secure: MjA='));
  t.same(merge(secret, 'config:\n  test:importantNumber: 20'), {
    error: "Stack 'dev' with configuration key 'importantNumber' must be encrypted as it's secret",
  });
});

t.test('TestStackConfigDoesNotErrorWhenProjectHasNotDefinedConfig: undeclared stack keys pass', async (t) => {
  const p = parseProject('name: test\nruntime: dotnet');
  t.notOk('error' in mergeConfig('dev', p, parseStack(p, 'config:\n  hello: 21\n  world: 42').config));
});

t.test('Project.Validate errors', async (t) => {
  const cases: [string, string][] = [
    [
      '  aws:region:\n    type: string\n    value:\n      region: us-west-1',
      "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
    ],
    [
      '  instanceSize:\n    type: string\n    default: t3.micro\n    value: t4.large',
      "project config 'instanceSize' cannot have both a 'default' and 'value' attribute",
    ],
    [
      '  instanceSize:\n    type: array\n    default: [t3.micro, t4.large]',
      "The configuration key 'instanceSize' declares an array but does not specify the underlying type via the 'items' attribute",
    ],
    [
      '  aws:region:\n    default: us-west-1',
      "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
    ],
    [
      '  count:\n    type: integer\n    default: lots',
      "The default value specified for configuration key 'count' is not of the expected type 'integer'",
    ],
  ];
  for (const [config, message] of cases)
    t.throws(() => project(config), { message: `could not unmarshal 'Pulumi.yaml': ${message}` });
});

t.test('the JSON schema: attributes a declaration may not have, a float shorthand, a missing name', async (t) => {
  t.throws(() => project('  size:\n    type: string\n    required: true'), /could not validate/);
  t.throws(() => project('  ratio: 1.5'), /could not validate/);
  t.throws(() => parseProject('runtime: nodejs'), {
    message: "could not validate 'Pulumi.yaml': project is missing a 'name' attribute",
  });
  t.throws(() => parseProject('name: x\nruntime: nodejs\nbackend:\n  path: here'), /could not validate/);
  t.throws(() => parseProject('name: x\nruntime: nodejs\noptions:\n  refresh: never'), /could not validate/);
});

t.test('names and keys', async (t) => {
  t.equal(validateProjectName('zumo-bootstrap'), undefined);
  t.equal(
    validateProjectName('pulumi'),
    'project name must not be `Pulumi` and must not start with the prefix `Pulumi.` to avoid collision with standard libraries',
  );
  t.equal(
    validateProjectName('a b'),
    'project names may only contain alphanumerics, hyphens, underscores, and periods',
  );
  t.equal(
    parseStackName('organization/x'),
    'a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid character "/" at position 12',
  );
  t.equal(parseKey('aws:config:region'), 'aws:region', 'the legacy <namespace>:config:<name> form');
  t.throws(() => parseKey('a:b:c'), /could not parse a:b:c as a configuration key/);
});
