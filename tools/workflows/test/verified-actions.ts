/**
 * Every action the workflows may use, pinned by full commit SHA. Each SHA was resolved from the
 * action's own repository (a snapshot fetched on 2026-11; `git rev-parse <tag>^{commit}`), and
 * `runs.using` read from action.yml at that commit: GitHub retires the node20 runtime, so every
 * pin runs on node24. Dependabot proposes new pins; a pin not listed here fails the tests until
 * it is checked the same way and added.
 */
export interface VerifiedAction {
  sha: string;
  version: string;
  runtime: 'node24';
}

export const VERIFIED_ACTIONS: Record<string, VerifiedAction> = {
  'actions/checkout': { sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1', runtime: 'node24' },
  'actions/setup-node': { sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0', runtime: 'node24' },
  'actions/upload-artifact': { sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0', runtime: 'node24' },
  'actions/download-artifact': {
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
    version: 'v8.0.1',
    runtime: 'node24',
  },
  'actions/create-github-app-token': {
    sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3',
    version: 'v3.1.1',
    runtime: 'node24',
  },
  'aws-actions/configure-aws-credentials': {
    sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c',
    version: 'v6.2.3',
    runtime: 'node24',
  },
  'nrwl/nx-set-shas': { sha: 'afb73a62d26e41464e9254689e1fd6122ee683c1', version: 'v5.0.1', runtime: 'node24' },
};
