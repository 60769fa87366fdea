/**
 * ConnectionProfile: the normalized, effective settings of one connection under the driver that
 * consumes it (SPEC §1.2). Built by exactly one module per driver (profile/drivers/*), read by all
 * rules. Every field says which setting produced it (`source`, for messages and hovers) and
 * where (`range`, for findings and fixes). Rules never re-parse text.
 */
import { Fix, Range } from '../model';
import { ParsedDsn } from '../dsn/types';
import { ConnectionSite, DriverId } from '../extract/values';
import { ProviderInfo } from './provider';

/** One effective setting: its value, what produced it, and where (absent range = a default). */
export interface Setting<T> {
  readonly value: T;
  /** Human words for what produced the value: "sslmode=require", "default (no sslmode → prefer)". */
  readonly source: string;
  readonly range?: Range;
}

export type Dbms = 'postgres' | 'mysql' | 'sqlserver' | 'oracle';

/** Where the server is, as far as transport findings care (SPEC §1.6). */
export type Locality = 'loopback' | 'socket' | 'remote' | 'unknown';

export type TlsEnabled =
  | 'off' // never encrypts
  | 'optional' // encrypts when offered but falls back to plaintext (downgradable)
  | 'login-only' // go-mssqldb ENCRYPT_OFF: only the login packet (unless the server demands more)
  | 'on' // encrypts or fails
  | 'unknown';

export type Verified = 'verified' | 'unverified' | 'unknown' | 'n/a';

export interface TlsPosture {
  readonly enabled: Setting<TlsEnabled>;
  readonly chain: Setting<Verified>;
  readonly hostname: Setting<Verified>;
  /** Lowest TLS version the client accepts when it is below 1.2 (`1.0`/`1.1`), else undefined. */
  readonly outdatedMinVersion?: Setting<string>;
  /** Where trust anchors come from when the chain is verified. */
  readonly ca: Setting<'system' | 'configured' | 'profile' | 'unknown' | 'n/a'>;
  /** A retired CA bundle or deprecated CA profile referenced by the configuration. */
  readonly retiredCa?: Setting<string>;
  /** One sentence for hover/messages: "pgx treats sslmode=require as encryption without verification". */
  readonly explanation: string;
}

export type PasswordSource =
  | 'literal' // hard-coded (C6 comes from observations; this is for C8)
  | 'env' // from the environment / a secret reference
  | 'function' // a per-connection callback (pg password function, BeforeConnect)
  | 'token' // an IAM/Entra token
  | 'none'
  | 'unknown';

export interface AuthPosture {
  readonly password: Setting<PasswordSource>;
  /** Token auth in use: RDS IAM (signer in the file), Entra (fedauth / authentication.type). */
  readonly tokenAuth: Setting<'rds-iam' | 'entra' | 'none' | 'unknown'>;
  /** A cleartext-password mechanism the configuration enables (go-mysql allowCleartextPasswords, mysql2 plugin). */
  readonly cleartextPlugin?: Setting<true>;
  readonly user?: Setting<string | undefined>;
}

/** A setting the consumer would reject or misread (`dsn-invalid`). */
export interface InvalidSetting {
  readonly range: Range;
  readonly message: string;
  readonly fixes: readonly Fix[];
}

/** A dangerous driver option (`dangerous-driver-option`). */
export interface DangerousOption {
  readonly option: string;
  readonly range: Range;
  readonly why: string;
  readonly fixes: readonly Fix[];
}

/**
 * Remedies the driver module knows how to apply to this connection's source (as edits). Rules
 * choose among them; they never build driver-specific edits themselves.
 */
export interface Remedies {
  /** Make TLS required and fully verified (chain + hostname). */
  readonly verifiedTls?: readonly Fix[];
  /** Turn on hostname verification keeping the rest. */
  readonly verifyHostname?: readonly Fix[];
  /** Raise the minimum TLS version to 1.2. */
  readonly minTls12?: readonly Fix[];
  /** Configure the provider CA bundle. */
  readonly providerCa?: readonly Fix[];
  /** Add a connect timeout. */
  readonly connectTimeout?: readonly Fix[];
  /** Mint the IAM/Entra token per connection instead of once (C9). */
  readonly tokenPerConnection?: readonly Fix[];
  /** Add `loc`/`timezone`. */
  readonly timezone?: readonly Fix[];
}

export interface PoolPosture {
  readonly maxOpen: Setting<number | 'unset' | 'unknown'>;
  readonly maxIdle: Setting<number | 'unset' | 'unknown'>;
  /** Seconds; 'unset' = connections never recycled. */
  readonly maxLifetime: Setting<number | 'unset' | 'unknown'>;
  /** The pool escapes this function: settings may be applied elsewhere (quiet C11). */
  readonly escapes: boolean;
  /** Where a pool-setting statement can be inserted (after the open call's statement). */
  readonly insertAfter?: { readonly offset: number; readonly indent: string; readonly variable: string };
}

export interface ConnectionProfile {
  readonly site: ConnectionSite;
  readonly driver: DriverId;
  /** The driver's human name: "pgx", "node-postgres (pg)", "go-sql-driver/mysql". */
  readonly driverLabel: string;
  /** False for config files: semantics are assumed (libpq for PostgreSQL) and messages say so. */
  readonly consumerKnown: boolean;
  readonly dbms: Dbms;
  readonly dsn?: ParsedDsn;
  /** The (first) host; value undefined when unknown (env, hole). */
  readonly host: Setting<string | undefined>;
  readonly provider: ProviderInfo;
  readonly locality: Locality;
  readonly tls: TlsPosture;
  readonly auth: AuthPosture;
  readonly pool?: PoolPosture;
  /** Connect timeout: undefined = not applicable to this driver (its default is bounded). */
  readonly connectTimeout?: Setting<'set' | 'missing' | 'unknown'>;
  /** go-sql-driver parseTime without loc, godror without timezone. */
  readonly timezoneUnset?: Setting<true>;
  readonly dangerous: readonly DangerousOption[];
  readonly invalid: readonly InvalidSetting[];
  readonly remedies: Remedies;
}
