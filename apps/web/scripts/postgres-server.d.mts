/** Types of postgres-server.mjs (plain JavaScript so that the benchmark runs it without a build). */
export interface PostgresServer {
  /** postgres://zumo@127.0.0.1:<port>/zumo (trust authentication: no password). */
  readonly url: string;
  start(): void;
  stop(): void;
  remove(): void;
  sql(statement: string, database?: string): string;
  database(name: string): string;
  /** The CA that signed the server's certificate (PEM), when started with `tls`. */
  readonly ca: string | undefined;
}
export function postgresBinDir(root?: string): string | undefined;
export function startPostgres(options?: { fsync?: boolean; password?: string; tls?: boolean }): Promise<PostgresServer>;
export function makeCertificateAuthority(dir: string, name: string): { certFile: string; keyFile: string; pem: string };
