import { HTTP_LIMITS } from './http-limits.js';

/**
 * The service's memory, decided in one place: the V8 heap ceiling (`--max-old-space-size`), the
 * readiness threshold (`READY_MAX_HEAP_USED_MB`'s default) and the container's memory limit are
 * all derived here, so that as the heap grows the pod first turns unready (the ALB drains it),
 * V8 fails next if it keeps growing, and the kernel's OOM kill (no drain, no log line) never comes.
 * Measured figures come from docs/performance.md ("Memory budget").
 */
const MEASURED = {
  /**
   * RSS minus V8's committed heap of the service under load (code, SQLite's cache, socket buffers,
   * malloc arenas): 57-58 MiB measured, budgeted with 25 % to spare
   * (apps/web/test/process/memory-budget.test.ts measures it on every run and fails above this).
   */
  nonHeapOverheadMiB: 72,
  /**
   * One slow client (headers sent, body trickling: a request object exists): 5.7-7.4 KiB of RSS
   * measured over 1,500 sockets, budgeted at 12 (the same test checks it).
   */
  perConnectionKiB: 12,
};

/** V8's old generation ceiling: the service's heap stays under 60 MiB under load, so 160 is ample. */
const maxOldSpaceMiB = 160;
/** V8's semi-space ceiling (young generation = 3 semi-spaces: two halves plus the large-object part). */
const maxSemiSpaceMiB = 2;
/** Unready at 80 % of the ceiling: V8's GC gets expensive close to it, and the drain needs time. */
const readyMaxHeapUsedMiB = Math.floor(maxOldSpaceMiB * 0.8);
const connectionsMiB = Math.ceil((HTTP_LIMITS.maxConnections * MEASURED.perConnectionKiB) / 1024);
const worstCaseMiB = maxOldSpaceMiB + 3 * maxSemiSpaceMiB + MEASURED.nonHeapOverheadMiB + connectionsMiB;
/** 10 % headroom for what was not measured, rounded up to a multiple of 32 MiB. */
const containerLimitMiB = Math.ceil((worstCaseMiB * 1.1) / 32) * 32;

export const MEMORY_BUDGET = {
  ...MEASURED,
  maxOldSpaceMiB,
  maxSemiSpaceMiB,
  readyMaxHeapUsedMiB,
  connectionsMiB,
  worstCaseMiB,
  containerLimitMiB,
  /** The container's memory limit as Kubernetes writes it. */
  containerLimit: `${containerLimitMiB}Mi`,
} as const;
