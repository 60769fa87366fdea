/**
 * Helpers shared by rules: how a finding on a connection is located and worded. Messages follow
 * one pattern — what was found under which driver, why it matters, how to fix — and never
 * contain a secret value.
 */
import { Range } from '../model';
import { ConnectionProfile, Setting } from '../profile/types';

/** The range of a setting, or — when the setting is missing — the connection string or call that lacks it. */
export function at(p: ConnectionProfile, s?: Setting<unknown>): Range {
  return s?.range ?? p.site.dsn?.range ?? p.site.anchor;
}

/** "under pgx" / "under libpq semantics (consumer unknown)" — the label says when semantics were assumed. */
export function under(p: ConnectionProfile): string {
  // A config value says where it came from: the reader the workspace shows (engine
  // withConsumer), or how it was put together (PG* variables read as one connection).
  return p.site.language === 'config' && p.site.note ? `under ${p.driverLabel} (${p.site.note})` : `under ${p.driverLabel}`;
}

/** The text as a sentence (explanations from driver modules may lack the final period). */
export function sentence(s: string): string {
  const t = s.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
}

/** " to Amazon RDS (eu-west-1)" when a provider was recognised. */
export function where(p: ConnectionProfile): string {
  return p.provider.kind === 'none' ? '' : ` to ${p.provider.label}`;
}

/** Stable, secret-free identity of the offending token for fingerprints. */
export function keyOf(p: ConnectionProfile, s?: Setting<unknown>): string {
  return `${p.driver}|${s?.source ?? 'missing'}|${p.host.value ?? ''}`;
}
