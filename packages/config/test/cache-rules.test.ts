import t from 'tap';
import { CACHE_CONTROL, cacheControlFor, isHashedAsset } from '../src/index.js';

t.test('cacheControlFor: hashed assets are immutable, everything else revalidates', async (t) => {
  const cases: [string, string][] = [
    ['/assets/main-3F2A9C1B.js', CACHE_CONTROL.immutable],
    ['assets/logo-ABCDEF12.svg', CACHE_CONTROL.immutable],
    ['/index.html', CACHE_CONTROL.revalidate],
    ['index.html', CACHE_CONTROL.revalidate],
    ['/', CACHE_CONTROL.revalidate],
    ['/assetsX/evil.js', CACHE_CONTROL.revalidate],
    ['/favicon.svg', CACHE_CONTROL.revalidate],
  ];
  for (const [path, expected] of cases) t.equal(cacheControlFor(path), expected, path);
  t.equal(isHashedAsset('/assets/'), true, 'the prefix itself counts as the assets folder');
  t.match(CACHE_CONTROL.immutable, /max-age=31536000/, 'a year');
});
