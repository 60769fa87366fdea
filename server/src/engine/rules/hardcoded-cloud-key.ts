/** C7 hardcoded-cloud-key: a literal AWS / Alibaba / Azure credential that can mint database tokens. */
import { ruleMeta } from '../../../../shared/src/rules';
import { Rule, Violation } from './types';

const NAMES: Record<string, string> = {
  'aws-access-key-id': 'AWS access key id',
  'aws-secret-access-key': 'AWS secret access key',
  'alibaba-access-key-id': 'Alibaba Cloud AccessKey id',
  'alibaba-access-key-secret': 'Alibaba Cloud AccessKey secret',
  'azure-client-secret': 'Microsoft Entra client secret',
};

export const hardcodedCloudKey: Rule = {
  meta: ruleMeta('hardcoded-cloud-key')!,
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.observations) {
      if (o.kind !== 'cloud-key') continue;
      out.push({
        range: o.valueRange,
        message: `Hard-coded ${NAMES[o.keyKind]} (****) in ${o.context}. A cloud credential can mint database tokens (RDS IAM, Entra) and usually reaches far beyond the database. Revoke it, then use the default credential chain (instance/task role, workload identity, managed identity) or a secret store.`,
        key: `${o.keyKind}|${o.context}`,
      });
    }
    return out;
  },
};
