/**
 * C6 hardcoded-password: a literal password in a connection string, connection object, struct or
 * configuration file. Env/secret references, empty values and placeholders are not findings
 * (extract/secrets.ts decides). In `.env` files only when git tracks the file. A literal password
 * in a DSN that points at a loopback host or socket is local development, not a leak.
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
      if (p.locality === 'loopback' || p.locality === 'socket') continue;
      out.push({ range: pw.range, message: `Hard-coded password (****) in the connection string ${under(p)}. ${HOW}`, key: `dsn|${p.driver}|${p.host.value ?? ''}` });
    }
    return out;
  },
};
