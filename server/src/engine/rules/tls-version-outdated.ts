/** C4 tls-version-outdated: TLS below 1.2 is allowed. An absent Go MinVersion is fine (1.2 since Go 1.18). */
import { ruleMeta } from '../../../../shared/src/rules';
import { tlsConfigPosture } from '../profile/common';
import { Rule, Violation } from './types';
import { keyOf, under, where } from './util';

const WHY = 'TLS 1.0 and 1.1 have known weaknesses (BEAST, weak MAC/cipher suites), are deprecated by RFC 8996 and fail most compliance baselines.';

export const tlsVersionOutdated: Rule = {
  meta: ruleMeta('tls-version-outdated')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const v = p.tls.outdatedMinVersion;
      if (!v || p.tls.enabled.value === 'off' || !v.range) continue;
      out.push({
        range: v.range,
        message: `TLS ${v.value} is allowed (${v.source})${where(p)} ${under(p)}. ${WHY} Require TLS 1.2 or later${p.remedies.minTls12?.[0] ? ` — quick fix: ${p.remedies.minTls12[0].title}` : ''}.`,
        fixes: p.remedies.minTls12,
        profile: p,
        key: keyOf(p, v),
      });
    }
    for (const o of ctx.observations) {
      if (o.kind !== 'tls-config' || !o.dbContext) continue;
      const v = tlsConfigPosture(o.facts).outdatedMinVersion;
      if (!v?.range) continue;
      out.push({
        range: v.range,
        message: `This tls.Config allows TLS ${v.value} (${v.source}) in a file that opens or configures database connections. ${WHY} Use tls.VersionTLS12 or later, or leave MinVersion unset (Go defaults to TLS 1.2).`,
        fixes: minTlsFix(v.range, ctx.path),
        key: `tls.Config|${v.value}`,
      });
    }
    return out;
  },
};

/** Go `tls.VersionTLS10` → `tls.VersionTLS12`; Node `'TLSv1'` → `'TLSv1.2'`. */
function minTlsFix(range: { start: number; end: number }, path: string) {
  const go = path.endsWith('.go');
  return [{ title: go ? 'Use tls.VersionTLS12' : "Use 'TLSv1.2'", preferred: true, edits: [{ range, newText: go ? 'tls.VersionTLS12' : "'TLSv1.2'" }] }];
}
