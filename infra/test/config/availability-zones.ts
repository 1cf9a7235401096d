import t from 'tap';
import { ConfigError } from '@zumo/config';
import { pickAvailabilityZones } from '../../src/config/availability-zones.js';

t.test('the first N available AZs, in a stable order', async (t) => {
  t.same(pickAvailabilityZones(2, ['eu-west-1c', 'eu-west-1a', 'eu-west-1b'], 'eu-west-1'), [
    'eu-west-1a',
    'eu-west-1b',
  ]);
  t.same(pickAvailabilityZones(3, ['eu-west-1c', 'eu-west-1a', 'eu-west-1b'], 'eu-west-1'), [
    'eu-west-1a',
    'eu-west-1b',
    'eu-west-1c',
  ]);
});

t.test('more AZs than the region has is a config error naming the key', async (t) => {
  const error = t.throws(
    () => pickAvailabilityZones(4, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], 'eu-west-1'),
    ConfigError,
  ) as ConfigError;
  t.match(error.problems, [
    {
      name: 'zumo:availabilityZones',
      received: '4',
      allowed: 'at most 3: eu-west-1 has 3 available AZs (eu-west-1a, eu-west-1b, eu-west-1c)',
    },
  ]);
});
