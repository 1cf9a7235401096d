/**
 * A tap plugin that runs TypeScript test files through tsx (esbuild, with an on-disk transform
 * cache) in place of tap's @tapjs/typescript, which loads the TypeScript compiler into every test
 * process and transpiles each file again there. As a plugin loader with `preload`, tsx is
 * registered before tap's module mocks (@tapjs/mock), so `t.mockImport` still sees every import;
 * given as a plain `node-arg` it would be registered after them and resolve mocked modules itself.
 */
export const importLoader = 'tsx';
export const preload = true;
export const testFileExtensions = ['ts', 'mts', 'cts'];
