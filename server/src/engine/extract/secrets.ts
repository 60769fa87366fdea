/**
 * Shared knowledge about secrets for all extractors: which names hold passwords, which literal
 * values are placeholders rather than secrets, and the formats of cloud credentials (C7).
 *
 * Precision matters more than recall here (peers.md: gosec G101 and Sonar S2068 are known for
 * false positives on names and placeholders), so a value must look like a real secret AND sit
 * under a password-like name.
 */

/** Names that hold a database password (keys, fields, properties, variables). */
export function isPasswordName(name: string): boolean {
  const n = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  if (n === '') return false;
  // Exclusions first: names about passwords that are not passwords.
  if (/(file|path|env|var|name|policy|length|minlength|maxlength|hash|prompt|field|label|placeholder|rotation|enabled|required|auth(?:plugin|method|type)|expires?|expiry|ttl|hint|reset|changed?|min|max|regex|pattern|url|uri|endpoint|ref|secretname|secretarn|arn|id)$/.test(n)) return false;
  if (/^(is|has|use|should|allow|enable|require)/.test(n)) return false;
  return /(^|[a-z])(password|passwd|pwd|pass|dbpass|pgpassword|mysqlpwd|mysqlpassword|masterpassword|adminpassword|userpassword)$/.test(n) || n === 'pass' || n === 'pwd';
}

/**
 * Whether a literal value is a placeholder, a reference or empty rather than a secret:
 * `${VAR}`, `$VAR`, `%(x)s`, `{{ .x }}`, `<password>`, `changeme`-style markers, `****`.
 */
export function isPlaceholderSecret(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^%\([^)]*\)s$|^\{\{.*\}\}$|^<[^>]*>$|^\[[^\]]*\]$|^%[sv]$|^\?+$/.test(v)) return true;
  // Deployment token replacement: Azure Pipelines / Octopus `#{Name}#` (and `#{Name}`), `__Name__`.
  if (/^#\{[A-Za-z0-9_.:-]+\}#?$|^__[A-Za-z0-9_.]+__$/.test(v)) return true;
  if (containsInterpolation(v)) return true;
  if (/^(x+|\*+|\.+|-+|_+)$/i.test(v)) return true;
  if (/^(password|passwd|pass|pwd|secret|changeme|change_me|changeit|your[-_]?password|yourpassword|mypassword|example|placeholder|redacted|todo|tbd|none|null|nil|undefined|dummy|test|fake|sample|xxx+|env|from_env)$/i.test(v)) return true;
  if (/^env\(|^secret\(|^vault:|^arn:aws:secretsmanager:|^ssm:|^ref\+/i.test(v)) return true;
  return false;
}

/**
 * Whether `v` contains `${…}` (at least one character inside) or `{{…}}`: the same as
 * `/\$\{[^}]+\}|\{\{[^}]*\}\}/.test(v)`, written as a linear scan because that regex restarts a
 * scan to the next `}` at every `${`, which is quadratic on `${${${…` (regex-safety test).
 */
export function containsInterpolation(v: string): boolean {
  // `${X}`: the first `}` after `${` exists and is not right after it.
  const lastClose = v.lastIndexOf('}');
  for (let i = v.indexOf('${'); i !== -1 && i + 2 < lastClose; i = v.indexOf('${', i + 1)) {
    if (v[i + 2] !== '}') return true;
  }
  // `{{…}}`: the first `}` after `{{` is followed by another `}`. Scanning right to left keeps the
  // next `}` at hand, so the whole check is one pass.
  let nextClose = -1;
  for (let i = v.length - 1; i >= 0; i--) {
    if (v[i] === '{' && v[i + 1] === '{' && nextClose >= i + 2 && v[nextClose + 1] === '}') return true;
    if (v[i] === '}') nextClose = i;
  }
  return false;
}

export type CloudKeyKind =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'alibaba-access-key-id'
  | 'alibaba-access-key-secret'
  | 'azure-client-secret';

/** Recognises a cloud credential by its value alone (key ids have fixed prefixes). */
export function cloudKeyIdKind(value: string): CloudKeyKind | undefined {
  const v = value.trim();
  if (/^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/.test(v)) {
    if (/EXAMPLE$/.test(v)) return undefined; // AWS documentation key AKIAIOSFODNN7EXAMPLE
    return 'aws-access-key-id';
  }
  if (/^LTAI[A-Za-z0-9]{12,20}$/.test(v)) return 'alibaba-access-key-id';
  return undefined;
}

/**
 * Recognises a cloud secret from its name and value: the secret halves have no prefix, so the
 * name must say what they are.
 */
export function cloudSecretKind(name: string, value: string): CloudKeyKind | undefined {
  const n = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const v = value.trim();
  if (isPlaceholderSecret(v)) return undefined;
  if (/(aws)?secretaccesskey$|awssecretkey$|^secretkey$/.test(n) && /^[A-Za-z0-9/+=]{40}$/.test(v) && !/EXAMPLEKEY$/.test(v)) return 'aws-secret-access-key';
  if (/(alibaba|aliyun|alicloud)?accesskeysecret$/.test(n) && /^[A-Za-z0-9]{30}$/.test(v)) return 'alibaba-access-key-secret';
  if (/(azure)?clientsecret$/.test(n) && /^[A-Za-z0-9_~.\-]{34,40}$/.test(v) && /[~.]/.test(v)) return 'azure-client-secret';
  return undefined;
}

/** `****` for every secret in every output (SPEC §3). */
export const REDACTED = '****';
