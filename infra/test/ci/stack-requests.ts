/**
 * The names a stack's resources have, and the shape of one request `pulumi up` makes: shared by
 * the action tables (resource-actions.ts, resource-actions-database.ts).
 */
export interface StackNames {
  stack: string;
  prefix: string;
  account: string;
  region: string;
  imageRepository: string;
  boundaryArn: string;
}

export interface Need {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

/** The tag condition of a creation: the stack's tag, and only it. */
export const tagged = (s: StackNames) => ({ 'aws:RequestTag/stack': s.stack, 'aws:TagKeys': ['stack'] });
/** The condition on an existing resource: it carries the stack's tag. */
export const owned = (s: StackNames) => ({ 'aws:ResourceTag/stack': s.stack });
