/**
 * Message limits, shared by the server's schemas and the page's form checks (the page bundles this
 * file), so the client can never be looser or stricter than the server. The character rules are in
 * text-rules.ts, shared the same way.
 */
export const MESSAGE_LIMITS = {
  /** Characters (Unicode code points) after trimming. */
  contentMax: 280,
  authorMax: 40,
  pageMax: 100,
  pageDefault: 20,
} as const;
