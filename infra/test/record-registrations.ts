/**
 * What the engine is told when a resource registers, captured from the mock monitor: the Pulumi
 * mocks API passes newResource the type, name and inputs only, while the whole-system checks need
 * the graph (parent, dependencies, provider) and the options that decide a destroy (protect).
 */
import * as pulumi from '@pulumi/pulumi';

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Inputs plus the outputs the mock engine computed (what a policy sees after an update). */
  state: Record<string, any>;
}

/** A recorded resource with what the engine is told at registration (the whole-system checks reason over these). */
export interface Registered extends Recorded {
  urn: string;
  parent: string | undefined;
  custom: boolean;
  /** Every resource this one waits for: explicit dependsOn (components expanded) and input Outputs. */
  dependencies: string[];
  /** The subset that reaches it through each input property. */
  propertyDependencies: Record<string, string[]>;
  /** URN of the explicit provider (e.g. the cluster's Kubernetes provider), if any. */
  provider: string | undefined;
  /** `protect`: the engine refuses to delete it until `pulumi state unprotect`. */
  protect: boolean;
  /** `ignoreChanges`: input properties the engine never diffs. */
  ignoreChanges: string[];
}

/** The registration request as the Node SDK sends it (google-protobuf getters we read). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
  getProtect(): boolean | undefined;
  getIgnorechangesList(): string[];
}
export type Registration = Omit<Registered, keyof Recorded>;

/**
 * Wraps the mock monitor's registerResource. The mock monitor calls newResource synchronously inside
 * it, so the returned function, called from newResource, gives that registration's graph fields.
 */
export function captureRegistrations(): () => Registration | undefined {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: unknown): Promise<void>;
    newUrn(parent: string, type: string, name: string): string;
  };
  let registering: Registration | undefined;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => (propertyDependencies[key] = deps.getUrnsList()));
    registering = {
      urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
      parent: req.getParent() || undefined,
      custom: req.getCustom(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      provider: req.getProvider() ? req.getProvider().split('::').slice(0, -1).join('::') : undefined,
      protect: req.getProtect() === true,
      ignoreChanges: req.getIgnorechangesList(),
    };
    try {
      return register(req, callback);
    } finally {
      registering = undefined;
    }
  };
  return () => registering;
}
