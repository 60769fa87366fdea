/**
 * Test connection (SPEC §4): the request and the step-by-step report. The probe engine imports
 * no `vscode` and no LSP types; the CLI, the language server and the extension render reports.
 *
 * Contracts:
 * - A failure is a report, never an exception: every step ends with a status.
 * - No secret (password, token, key) appears anywhere in a report: use `****`.
 * - The probe uses the TLS settings the consuming driver would use (a test that verifies more
 *   than the application does would lie), and says so in the report.
 */

export type Dbms = 'postgres' | 'mysql' | 'sqlserver';

export type StepStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export type StepId =
  | 'resolve' // variables, password source, IAM/Entra token
  | 'dns'
  | 'tcp'
  | 'tls-negotiation' // SSLRequest / MySQL SSL capability / TDS PRELOGIN encryption flag
  | 'tls-handshake' // version, cipher, ALPN, SNI
  | 'certificate' // chain, validity, verification, hostname
  | 'authentication' // with the real driver
  | 'server-checks' // pg_stat_ssl / rds.force_ssl, Ssl_version / require_secure_transport, encrypt_option
  | 'enforcement'; // plaintext start-up without credentials: does the server refuse it?

export interface ProbeStep {
  readonly id: StepId;
  readonly title: string;
  readonly status: StepStatus;
  readonly durationMs: number;
  /** One or two plain-language sentences: what happened and, on failure, why and what to do. */
  readonly explanation: string;
  /** Key facts for display (never secrets): `{ "TLS version": "TLSv1.3" }`. */
  readonly facts: Readonly<Record<string, string>>;
  /** Rule ids this step verifies live (C1–C5, C8, C10). */
  readonly verifies: readonly string[];
}

export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltNames: readonly string[];
  readonly validFrom: string; // ISO 8601
  readonly validTo: string; // ISO 8601
  readonly daysToExpiry: number;
  readonly fingerprintSha256: string;
  readonly selfSigned: boolean;
}

export interface TlsObservation {
  readonly protocol: string | undefined; // 'TLSv1.3'
  readonly cipher: string | undefined;
  readonly alpn: string | undefined;
  readonly sni: string | undefined;
  /** Leaf first. */
  readonly chain: readonly CertificateInfo[];
  /** Whether the chain verified against `caSource`, and the Node error code when not. */
  readonly chainVerified: boolean;
  readonly verifyError?: string;
  readonly caSource: string; // 'system trust store' | 'sslrootcert=/path' | 'ssl.ca' …
  readonly hostnameMatches: boolean;
}

/** What the consuming driver would do with TLS, as far as the probe must imitate it. */
export interface ProbeTlsPolicy {
  /** 'off' = never TLS; 'prefer' = TLS if offered else plaintext; 'require' = TLS or fail. */
  readonly mode: 'off' | 'prefer' | 'require';
  readonly verifyChain: boolean;
  readonly verifyHostname: boolean;
  /** CA bundle PEM text (from sslrootcert / ssl.ca / certificate); undefined = system store. */
  readonly caPem?: string;
  readonly caSource: string;
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  readonly servername?: string;
}

export interface ProbeTarget {
  readonly dbms: Dbms;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly database?: string;
  /** Consuming driver label, for the report ("pgx", "node-postgres (pg)"). */
  readonly driverLabel: string;
  readonly tls: ProbeTlsPolicy;
  readonly auth:
    | { readonly kind: 'password'; readonly password: string | undefined; readonly source: string }
    | { readonly kind: 'rds-iam'; readonly region: string }
    | { readonly kind: 'entra' }
    | { readonly kind: 'none' };
}

export interface ProbeOptions {
  /** Per-step timeout (SPEC: default 10 s). */
  readonly stepTimeoutMs: number;
  /** Cancels the whole test. */
  readonly signal?: AbortSignal;
  /** Run the enforcement probe (plaintext start-up without credentials). */
  readonly enforcementProbe: boolean;
  /**
   * Called when a step starts (progress display: the language server reports "DNS…",
   * "TLS handshake…"). Must not throw; it is told only the step's id and title, never a secret.
   */
  readonly onStepStart?: (id: StepId, title: string) => void;
}

export interface ProbeReport {
  readonly target: { readonly dbms: Dbms; readonly host: string; readonly port: number; readonly driverLabel: string; readonly user?: string; readonly database?: string };
  readonly steps: readonly ProbeStep[];
  readonly tls?: TlsObservation;
  /** Established with verified TLS (chain and hostname verified, as the CLI exit code needs). */
  readonly verifiedTls: boolean;
  readonly connected: boolean;
  readonly totalMs: number;
  readonly cancelled: boolean;
}
