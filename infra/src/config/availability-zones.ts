import { ConfigError } from '@zumo/config';

/**
 * The AZs the VPC spans: the first `requested` of the region's available ones (sorted, so the
 * choice is stable between runs). More than the region has is a config error before any resource
 * is declared (awsx would otherwise fail half-way through the preview).
 */
export function pickAvailabilityZones(requested: number, available: readonly string[], region: string): string[] {
  const zones = [...available].sort();
  if (requested > zones.length) {
    throw new ConfigError(
      [
        {
          name: 'zumo:availabilityZones',
          received: String(requested),
          allowed: `at most ${zones.length}: ${region} has ${zones.length} available AZs (${zones.join(', ')})`,
        },
      ],
      'stack config',
    );
  }
  return zones.slice(0, requested);
}
