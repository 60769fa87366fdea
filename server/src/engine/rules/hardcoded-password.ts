/**
 * C6 hardcoded-password: a literal password in a connection string, connection object, struct or
 * configuration file. Env/secret references, empty values and placeholders are not findings
 * (extract/secrets.ts decides). In `.env` files only when git tracks the file. Not a transport rule
 * (SPEC §1.6): reported for loopback hosts and sockets too — a password committed for a local
 * database is still committed, and is often the one staging or production reuse.
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { isPlaceholderSecret } from '../extract/secrets';
import { under } from './util';

function isEnvFile(path: string): boolean {
  const base = path.split('/').pop()!.toLowerCase();
  return base === '.env' || base.startsWith('.env.') || base.endsWith('.env');
}

const HOW = 'Anyone with read access to the repository (or a build artefact) gets database access, and the secret cannot be rotated without a code change. Read it from the environment or a secret store (AWS Secrets Manager, Azure Key Vault, Alibaba KMS), or use IAM/Entra token authentication.';

export const hardcodedPassword: Rule = {
  meta: ruleMeta('hardcoded-password')!,
  check(ctx) {
    if (isEnvFile(ctx.path) && !ctx.envFileTracked) return [];
    const out: Violation[] = [];
    for (const o of ctx.observations) {
      if (o.kind !== 'secret-literal') continue;
      out.push({ range: o.valueRange, message: `Hard-coded password in ${o.context} (${o.name} = ****). ${HOW}`, key: `${o.context}|${o.name}` });
    }
    for (const p of ctx.profiles) {
      const pw = p.dsn?.password;
      if (!pw || pw.value === undefined || isPlaceholderSecret(pw.value)) continue;
      // The same literal already reported where it is written (url.UserPassword("app", "…") is
      // both a secret literal and the DSN's password): one finding.
      if (out.some((v) => v.range.start < pw.range.end && pw.range.start < v.range.end)) continue;
      out.push({ range: pw.range, message: `Hard-coded password (****) in the connection string ${under(p)}. ${HOW}`, key: `dsn|${p.driver}|${p.host.value ?? ''}` });
    }
    return out;
  },
};
