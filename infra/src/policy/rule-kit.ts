import type { PolicyResource, ReportViolation, ResourceValidationPolicy } from '@pulumi/policy';

/** Resource properties as the engine reports them: provider-shaped JSON, checked field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider property bags are untyped here
export type Props = Record<string, any>;
type Check = (props: Props, report: ReportViolation, resource: { name: string; type: string }) => void;

/** A mandatory rule over the resources of the given types. */
export const onType = (name: string, description: string, types: string[], check: Check): ResourceValidationPolicy => ({
  name,
  description,
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (types.includes(args.type)) check(args.props, report, args);
  },
});

export const isProd = (props: Props) => props['tags']?.environment === 'prod';

export const byType = (resources: PolicyResource[], type: string) => resources.filter((r) => r.type === type);
