/**
 * dangerous-driver-option: options that widen the attack surface — LOAD DATA LOCAL INFILE
 * (allowAllFiles, mysql2 LOCAL_FILES), multi-statements (turns SQL injection into arbitrary
 * statements), pre-4.1 password hashes, TLS key logging (KeyLogWriter, SSLKEYLOGFILE).
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { under } from './util';

export const dangerousDriverOption: Rule = {
  meta: ruleMeta('dangerous-driver-option')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      for (const d of p.dangerous) {
        const why = d.why.startsWith(`${p.driverLabel}: `) ? d.why.slice(p.driverLabel.length + 2) : d.why;
        out.push({ range: d.range, message: `${d.option} ${under(p)}: ${why}`, fixes: d.fixes, profile: p, key: `${p.driver}|${d.option}` });
      }
      const kl = p.site.tlsConfig?.keyLogWriter;
      if (kl) out.push({ range: kl.range, message: KEYLOG_GO, profile: p, key: `${p.driver}|KeyLogWriter` });
    }
    for (const o of ctx.observations) {
      if (o.kind === 'ssl-keylog-file') {
        out.push({ range: o.range, message: 'SSLKEYLOGFILE makes TLS libraries write session keys to a file: anyone who can read it decrypts captured database traffic. Use it only in a debugging session, never in code or committed configuration.', key: 'SSLKEYLOGFILE' });
      } else if (o.kind === 'tls-config' && o.dbContext && o.facts.keyLogWriter) {
        out.push({ range: o.facts.keyLogWriter.range, message: KEYLOG_GO, key: 'tls.Config|KeyLogWriter' });
      }
    }
    return out;
  },
};

const KEYLOG_GO = 'tls.Config KeyLogWriter writes TLS session secrets: anyone who can read the output decrypts captured database traffic. Remove it outside a debugging session.';
