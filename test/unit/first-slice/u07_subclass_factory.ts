// A base store and a tenant subclass created inside a factory function.
import { Pool } from 'pg';

export class TenantStore {
  host(): string {
    return 'localhost';
  }

  connect(): Pool {
    return new Pool({ host: this.host(), database: 'tenants', ssl: false, connectionTimeoutMillis: 4000 });
  }
}

export function forTenant(name: string) {
  class Scoped extends TenantStore {
    host(): string {
      return `${name}.tenants.internal`;
    }
  }
  return new Scoped();
}

export function tenantNames(raw: string): string[] {
  return raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function describeTenant(name: string, plan: 'free' | 'pro'): string {
  const label = plan === 'pro' ? 'Pro' : 'Free';
  return `${name} (${label})`;
}

export function quota(plan: 'free' | 'pro'): number {
  switch (plan) {
    case 'pro':
      return 10_000;
    default:
      return 100;
  }
}
