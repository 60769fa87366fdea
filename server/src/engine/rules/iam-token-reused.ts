/**
 * C9 iam-token-reused: an IAM/Entra token obtained once and baked into a pool's configuration.
 * RDS tokens expire after 15 minutes; every connection the pool opens later fails.
 */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';
import { under } from './util';

export const iamTokenReused: Rule = {
  meta: ruleMeta('iam-token-reused')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const p of ctx.profiles) {
      const t = p.site.tokenMintedOnce;
      if (!t || !p.site.isPool || p.site.beforeConnect) continue;
      const life = t.kind === 'rds-iam' ? 'RDS IAM tokens expire after 15 minutes' : 'Entra access tokens expire after about an hour';
      const how =
        p.site.language === 'go'
          ? t.kind === 'rds-iam'
            ? 'Mint the token per connection: pgxpool Config.BeforeConnect, or mysql.BeforeConnect with mysql.NewConnector.'
            : 'Use mssql.NewConnectorWithAccessTokenProvider with a provider that calls GetToken each time.'
          : t.kind === 'rds-iam'
            ? p.driver === 'mysql2'
              ? // mysql2 needs a string password; a per-connection token goes through the clear-text auth plugin.
                'Mint it per connection in the auth plugin instead: authPlugins: { mysql_clear_password: () => () => signer.getAuthToken() } (mysql2 calls it for every new connection).'
              : p.driver === 'node-postgres'
                ? 'Pass a function instead: password: () => signer.getAuthToken() (pg calls it for every new connection).'
                : "Mint the token for every new connection (the driver's password callback), not once at start-up."
            : "Use authentication type 'azure-active-directory-default' or a token-credential, which refresh tokens.";
      out.push({
        range: t.usedAt,
        message: `An ${t.kind === 'rds-iam' ? 'RDS IAM' : 'Entra'} token is minted once and reused for every connection of this pool ${under(p)}. ${life}: the pool works at start-up, then new connections fail after a reconnect, failover or scale-up. ${how}`,
        fixes: p.remedies.tokenPerConnection,
        related: [{ range: t.mintedAt, message: 'the token is minted here, once' }],
        profile: p,
        key: `${p.driver}|token|${t.kind}`,
      });
    }
    return out;
  },
};
