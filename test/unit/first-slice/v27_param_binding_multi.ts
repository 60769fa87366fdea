// v27: one helper called with different arguments from several callers without trigger tokens
// (per-call readings), and a caller that passes a module value.
import { Pool } from 'pg';

function make(host: string, database: string, secure: boolean) {
  return new Pool({ host, database, ssl: secure });
}

const ANALYTICS_HOST = 'analytics.internal';

function forUsers() {
  return make('users.internal', 'users', true);
}

function forEvents() {
  return make('events.internal', 'events', false);
}

function forAnalytics(name: string) {
  return make(ANALYTICS_HOST, name, false);
}

export const registry = {
  users: forUsers(),
  events: forEvents(),
  analytics: forAnalytics('daily'),
};

export function sizeOf(list: unknown[]): number {
  return list.length;
}
