/**
 * The part of fs-native-extensions (holepunchto/fs-native-extensions, index.js) the writer lock
 * uses; the package ships no types. On Linux tryLock is fcntl(F_OFD_SETLK) on the byte range
 * (src/linux.c); it returns false when another open file description holds a conflicting lock.
 */
declare module 'fs-native-extensions' {
  export function tryLock(fd: number, offset?: number, length?: number, opts?: { shared?: boolean }): boolean;
  export function unlock(fd: number, offset?: number, length?: number): void;
}
