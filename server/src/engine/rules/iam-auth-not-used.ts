/** C8 iam-auth-not-used: a cloud database reached with a static password where token auth exists. */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { at, keyOf, under } from './util';

export const iamAuthNotUsed: Rule = {
  meta: ruleMeta('iam-auth-not-used')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const k = p.provider.kind;
      const rds = k === 'aws-rds' || k === 'aws-rds-proxy';
      const azure = k === 'azure-sql' || k === 'azure-sql-mi';
      if (!(rds && (p.dbms === 'postgres' || p.dbms === 'mysql')) && !(azure && p.dbms === 'sqlserver')) continue;
      const pw = p.auth.password;
      // A password whose value is not known statically is still a static password; a function
      // (pg's per-connection password callback) may fetch a token, so it is left alone.
      if (pw.value !== 'literal' && pw.value !== 'env' && !(pw.value === 'unknown' && pw.range)) continue;
      if (p.auth.tokenAuth.value !== 'none') continue;
      const how = rds
        ? 'RDS IAM authentication issues 15-minute tokens from the service role (@aws-sdk/rds-signer getAuthToken, aws-sdk-go-v2 auth.BuildAuthToken in a BeforeConnect hook)'
        : 'Microsoft Entra authentication uses managed identities or workload identity (go-mssqldb azuresql driver with fedauth=ActiveDirectoryDefault, mssql authentication.type azure-active-directory-default)';
      out.push({
        range: at(p, pw),
        message: `${p.provider.label} is reached with a static password (${pw.source}) ${under(p)}. Static database passwords are long-lived and shared; ${how}, so no password needs to be stored or rotated.`,
        profile: p,
        key: keyOf(p, pw),
      });
    }
    return out;
  },
};
