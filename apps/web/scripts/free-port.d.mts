/** Types of free-port.mjs (plain JavaScript so that the benchmark runs it without a build). */
export function freePort(): Promise<number>;
