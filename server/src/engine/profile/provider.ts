/**
 * Cloud provider recognition from a database host name (SPEC §1.5) and host locality (§1.6).
 *
 * Patterns follow reference/driver-semantics.md §9. RDS Proxy endpoints serve public ACM
 * certificates, so they are told apart from instances (C5 does not apply to them).
 */
import { Locality } from './types';

export type ProviderKind =
  | 'aws-rds' // RDS instance or Aurora cluster/instance endpoint: private RDS CA
  | 'aws-rds-proxy' // RDS Proxy: public ACM certificate
  | 'azure-sql' // Azure SQL Database / Fabric (always encrypts, public CA)
  | 'azure-sql-mi' // Azure SQL Managed Instance
  | 'alibaba-polardb' // PolarDB (MySQL / PG / Oracle-compatible): private CA, SSL off by default
  | 'alibaba-rds' // ApsaraDB RDS: private CA
  | 'none';

export interface ProviderInfo {
  readonly kind: ProviderKind;
  /** Human name: "Amazon RDS (eu-west-1)", "Azure SQL Database (Azure Government)". */
  readonly label: string;
  readonly region?: string;
  /** PolarDB engine hint from the host (`.mysql.polardb.`, `.pg.polardb.`), when present. */
  readonly engineHint?: 'mysql' | 'postgres';
}

const NONE: ProviderInfo = { kind: 'none', label: 'no cloud provider recognised' };

const AZURE_SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['.database.windows.net', 'Azure'],
  ['.database.usgovcloudapi.net', 'Azure Government'],
  ['.database.chinacloudapi.cn', 'Azure China'],
  ['.database.fabric.microsoft.com', 'Microsoft Fabric'],
];

export function detectProvider(hostIn: string | undefined): ProviderInfo {
  if (!hostIn) return NONE;
  const host = hostIn.trim().toLowerCase().replace(/\.$/, '');
  // RDS: <id>.<hash>.<region>.rds.amazonaws.com(.cn); Aurora: <id>.cluster-[ro-|custom-]<hash>.…;
  // Proxy: <name>.proxy-<hash>.<region>.rds.amazonaws.com.
  const rds = /^(?:[^.]+\.)*?([^.]+)\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.rds\.amazonaws\.com(\.cn)?$/.exec(host);
  if (rds) {
    const region = rds[2];
    if (rds[1].startsWith('proxy-')) return { kind: 'aws-rds-proxy', label: `Amazon RDS Proxy (${region})`, region };
    const aurora = rds[1].startsWith('cluster-') ? 'Aurora' : 'Amazon RDS';
    return { kind: 'aws-rds', label: `${aurora} (${region}${rds[3] ? ', China' : ''})`, region };
  }
  for (const [suffix, cloud] of AZURE_SUFFIXES) {
    if (host.endsWith(suffix)) {
      // Managed instance: <mi>.<dnszone>.database.windows.net or <mi>.public.<dnszone>.database.windows.net
      const labels = host.slice(0, -suffix.length).split('.');
      const mi = labels.length >= 2;
      return mi
        ? { kind: 'azure-sql-mi', label: `Azure SQL Managed Instance (${cloud})` }
        : { kind: 'azure-sql', label: cloud === 'Microsoft Fabric' ? 'Microsoft Fabric SQL database' : `Azure SQL Database (${cloud})` };
    }
  }
  if (host.endsWith('.polardb.rds.aliyuncs.com') || host.includes('.polardb.') && host.endsWith('.aliyuncs.com')) {
    const engineHint = host.includes('.mysql.polardb.') ? 'mysql' : host.includes('.pg.polardb.') ? 'postgres' : undefined;
    return { kind: 'alibaba-polardb', label: 'Alibaba PolarDB', engineHint };
  }
  if (host.endsWith('.rds.aliyuncs.com') || host.endsWith('.rds.aliyuncs.com.cn')) {
    // `.rwlb.rds.aliyuncs.com` is shared by PolarDB (pc-) and ApsaraDB RDS (rm-, pgm-).
    if (/^pc-/.test(host)) return { kind: 'alibaba-polardb', label: 'Alibaba PolarDB' };
    return { kind: 'alibaba-rds', label: 'Alibaba ApsaraDB RDS' };
  }
  return NONE;
}

/**
 * The file name a quick fix suggests for a provider's CA bundle (a suggestion: the user adjusts
 * the path): AWS publishes global-bundle.pem, Alibaba's consoles hand out ApsaraDB-CA-Chain.pem.
 */
export function caBundleFile(p: ProviderInfo): string {
  return p.kind === 'alibaba-polardb' || p.kind === 'alibaba-rds' ? 'ApsaraDB-CA-Chain.pem' : 'global-bundle.pem';
}

/** True for providers whose server CA is not in public trust stores (C5). */
export function needsProviderCa(p: ProviderInfo): boolean {
  return p.kind === 'aws-rds' || p.kind === 'alibaba-polardb' || p.kind === 'alibaba-rds';
}

/** Hosts the user considers local in addition to the built-in loopback names (settings). */
export function hostLocality(host: string | undefined, socket: boolean, extraLocal: readonly string[] = []): Locality {
  if (socket) return 'socket';
  if (host === undefined) return 'unknown';
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '') return 'unknown';
  if (h.startsWith('/') || h.startsWith('@')) return 'socket';
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '0.0.0.0') return 'loopback';
  if (extraLocal.some((x) => x.toLowerCase() === h)) return 'loopback';
  return 'remote';
}
