/**
 * Rule metadata shared by the engine, the CLI, the language server and the extension.
 * Rule ids are a public contract (SPEC §2): never rename one.
 */

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleMeta {
  readonly id: string;
  /** Compliance check number (C1–C12) or undefined for the further rules. */
  readonly check?: string;
  readonly title: string;
  readonly description: string;
  readonly defaultSeverity: RuleSeverity;
  readonly cwe?: number;
  /**
   * Whether the rule is about the network path (quiet on loopback hosts, sockets and test files by
   * default, SPEC §1.6): the TLS rules, cleartext auth, and connect timeouts (a loopback connection
   * fails at once).
   */
  readonly transport: boolean;
}

export const DOCS_BASE = 'https://github.com/connguard/connguard/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

export const RULES: readonly RuleMeta[] = [
  { id: 'tls-disabled', check: 'C1', title: 'TLS disabled or optional', defaultSeverity: 'error', cwe: 319, transport: true,
    description: 'The connection can run without TLS: TLS off, optional, or with a plaintext fallback an attacker can force.' },
  { id: 'tls-cert-unverified', check: 'C2', title: 'Server certificate not verified', defaultSeverity: 'error', cwe: 295, transport: true,
    description: 'TLS is on but the server certificate chain is not verified, so anyone on the path can impersonate the database.' },
  { id: 'tls-hostname-unverified', check: 'C3', title: 'Server hostname not verified', defaultSeverity: 'warning', cwe: 297, transport: true,
    description: 'The certificate chain is verified but not the hostname: any certificate from the same CA is accepted.' },
  { id: 'tls-version-outdated', check: 'C4', title: 'Outdated TLS version allowed', defaultSeverity: 'warning', cwe: 327, transport: true,
    description: 'TLS versions below 1.2 are allowed.' },
  { id: 'tls-ca-untrusted', check: 'C5', title: 'Provider CA not configured or retired', defaultSeverity: 'warning', cwe: 295, transport: true,
    description: 'Verification is on for a provider whose CA is not in public trust stores and no CA bundle is configured, or a retired CA bundle is referenced.' },
  { id: 'hardcoded-password', check: 'C6', title: 'Hard-coded database password', defaultSeverity: 'error', cwe: 798, transport: false,
    description: 'A literal password in a connection string, connection object, struct or configuration file.' },
  { id: 'hardcoded-cloud-key', check: 'C7', title: 'Hard-coded cloud credential', defaultSeverity: 'error', cwe: 798, transport: false,
    description: 'A literal cloud credential (AWS access key, Alibaba AccessKey, Azure client secret) that can mint database tokens.' },
  { id: 'iam-auth-not-used', check: 'C8', title: 'IAM/Entra authentication not used', defaultSeverity: 'information', transport: false,
    description: 'A cloud database is reached with a static password where token authentication (RDS IAM, Microsoft Entra) exists.' },
  { id: 'iam-token-reused', check: 'C9', title: 'IAM/Entra token reused past expiry', defaultSeverity: 'warning', cwe: 613, transport: false,
    description: 'A short-lived IAM/Entra token is obtained once and baked into a pool configuration; new connections fail after it expires.' },
  { id: 'cleartext-auth-without-tls', check: 'C10', title: 'Cleartext password without verified TLS', defaultSeverity: 'error', cwe: 523, transport: true,
    description: 'A cleartext-password authentication mechanism is enabled without verified TLS.' },
  { id: 'pool-unbounded', check: 'C11', title: 'Connection pool unbounded or never recycled', defaultSeverity: 'information', cwe: 770, transport: false,
    description: 'A Go *sql.DB pool without SetMaxOpenConns, with more idle than open connections, or without SetConnMaxLifetime (or above one hour).' },
  { id: 'connect-timeout-missing', check: 'C12', title: 'Connect timeout missing', defaultSeverity: 'information', cwe: 400, transport: true,
    description: 'No connect timeout where the driver default waits forever or for minutes.' },
  { id: 'dsn-invalid', title: 'Connection string invalid or misread', defaultSeverity: 'error', transport: false,
    description: 'A connection string its consumer would reject or misread (unknown values, misspelt keys, values that mean the opposite).' },
  { id: 'dangerous-driver-option', title: 'Dangerous driver option', defaultSeverity: 'warning', cwe: 73, transport: false,
    description: 'A driver option that widens the attack surface: local file loading, multi-statements, old password hashes, TLS key logging.' },
  { id: 'credentials-unescaped', title: 'Credentials interpolated without escaping', defaultSeverity: 'warning', cwe: 88, transport: false,
    description: 'A user or password is interpolated into a URL-form connection string without escaping.' },
  { id: 'secret-logged', title: 'Connection secret logged', defaultSeverity: 'warning', cwe: 532, transport: false,
    description: 'A connection string, password or token is passed to a logger or print function.' },
  { id: 'polardb-oracle-driver', title: 'Oracle driver used against PolarDB', defaultSeverity: 'information', transport: false,
    description: "godror / Oracle Net used against a PolarDB host: PolarDB's Oracle-compatible edition speaks the PostgreSQL protocol." },
  { id: 'timezone-unset', title: 'Time zone not set', defaultSeverity: 'hint', transport: false,
    description: 'go-sql-driver parseTime=true without loc, or godror without timezone: times silently shift.' },
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function ruleMeta(id: string): RuleMeta | undefined {
  return RULES.find((r) => r.id === id);
}
