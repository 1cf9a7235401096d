// What the GitHub connection must be before the first `up` (config/github-connection.ts).
import t from 'tap';
import { connectionProblem } from '../../src/config/github-connection.js';

const ARN = 'arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

t.test('only an AVAILABLE connection passes; any other status names the key and the console step', async (t) => {
  t.equal(connectionProblem(ARN, 'AVAILABLE'), undefined);
  for (const status of ['PENDING', 'ERROR'])
    t.match(connectionProblem(ARN, status), {
      name: 'zumo:githubConnectionArn',
      received: `${ARN} (status ${status})`,
      allowed:
        /^an AVAILABLE connection: complete it once in the AWS console .* install the AWS Connector for GitHub app/,
    });
});
