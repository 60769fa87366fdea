/**
 * The rule contract. A rule reads connection profiles and observations — never source text —
 * and reports violations. Severity, suppression, locality filtering and redaction are applied by
 * the engine (engine/scan.ts), not by rules.
 */
import { RuleMeta } from '../../../../shared/src/rules';
import { Fix, Range, RelatedLocation } from '../model';
import { Observation } from '../extract/values';
import { ConnectionProfile } from '../profile/types';

export interface RuleContext {
  readonly profiles: readonly ConnectionProfile[];
  readonly observations: readonly Observation[];
  /** Path of the file (relative, `/`-separated), for messages that need it. */
  readonly path: string;
  /** Whether `.env` style files are tracked by git (C6 applies to tracked .env files only). */
  readonly envFileTracked: boolean;
}

export interface Violation {
  readonly range: Range;
  /** Complete sentence(s): what was found under which driver, why it matters, how to fix. No secret values. */
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
  /**
   * The profile this violation is about, when it concerns a connection: the engine uses it to
   * apply locality relaxation (loopback, sockets) for transport rules.
   */
  readonly profile?: ConnectionProfile;
  /** Text that identifies the offending token for the fingerprint (never a secret). */
  readonly key: string;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): Violation[];
}
