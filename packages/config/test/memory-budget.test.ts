import t from 'tap';
import { EnvSchema, HTTP_LIMITS, MEMORY_BUDGET } from '../src/index.js';

// The container limit, the V8 heap ceiling and the readiness threshold come from
// one place and fit together: readiness trips first, V8 next, the kernel's OOM kill never.
t.test('the memory budget fits together', async (t) => {
  const b = MEMORY_BUDGET;
  const youngGenerationMiB = 3 * b.maxSemiSpaceMiB;
  const connectionsMiB = (HTTP_LIMITS.maxConnections * b.perConnectionKiB) / 1024;
  const worstCase = b.maxOldSpaceMiB + youngGenerationMiB + b.nonHeapOverheadMiB + connectionsMiB;
  t.ok(
    worstCase < b.containerLimitMiB,
    `heap ceiling ${b.maxOldSpaceMiB} + young ${youngGenerationMiB} + non-heap ${b.nonHeapOverheadMiB} + ${HTTP_LIMITS.maxConnections} connections ${connectionsMiB.toFixed(1)} = ${worstCase.toFixed(1)} MiB < limit ${b.containerLimitMiB} MiB`,
  );
  t.ok(b.containerLimitMiB - worstCase >= worstCase * 0.05, 'at least 5 % headroom for what was not measured');
  t.ok(b.readyMaxHeapUsedMiB < b.maxOldSpaceMiB, 'readiness trips before V8 reaches its heap ceiling');
  t.equal(b.containerLimit, `${b.containerLimitMiB}Mi`, 'the Kubernetes quantity');
  t.equal(
    (EnvSchema.properties.READY_MAX_HEAP_USED_MB as { default?: number }).default,
    b.readyMaxHeapUsedMiB,
    'READY_MAX_HEAP_USED_MB defaults to the budget',
  );
});
