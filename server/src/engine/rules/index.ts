/**
 * The rule list, in catalogue order (SPEC §2). Adding a rule = its file, its fixtures, its doc
 * page, one line in shared/src/rules.ts and one line here.
 */
import { Rule } from './types';
import { tlsDisabled } from './tls-disabled';
import { tlsCertUnverified } from './tls-cert-unverified';
import { tlsHostnameUnverified } from './tls-hostname-unverified';
import { tlsVersionOutdated } from './tls-version-outdated';
import { tlsCaUntrusted } from './tls-ca-untrusted';
import { hardcodedPassword } from './hardcoded-password';
import { hardcodedCloudKey } from './hardcoded-cloud-key';
import { iamAuthNotUsed } from './iam-auth-not-used';
import { iamTokenReused } from './iam-token-reused';
import { cleartextAuthWithoutTls } from './cleartext-auth-without-tls';
import { poolUnbounded } from './pool-unbounded';
import { connectTimeoutMissing } from './connect-timeout-missing';
import { dsnInvalid } from './dsn-invalid';
import { dangerousDriverOption } from './dangerous-driver-option';
import { credentialsUnescaped } from './credentials-unescaped';
import { secretLogged } from './secret-logged';
import { polardbOracleDriver } from './polardb-oracle-driver';
import { timezoneUnset } from './timezone-unset';

export const RULE_LIST: readonly Rule[] = [
  tlsDisabled,
  tlsCertUnverified,
  tlsHostnameUnverified,
  tlsVersionOutdated,
  tlsCaUntrusted,
  hardcodedPassword,
  hardcodedCloudKey,
  iamAuthNotUsed,
  iamTokenReused,
  cleartextAuthWithoutTls,
  poolUnbounded,
  connectTimeoutMissing,
  dsnInvalid,
  dangerousDriverOption,
  credentialsUnescaped,
  secretLogged,
  polardbOracleDriver,
  timezoneUnset,
];
