// v33: environment reads through helpers — `read('DATABASE_URL')`, a required() wrapper, a
// fallback chain, and a default exported config object; the URL reaches postgres.js.
import postgres from 'postgres';

function read(name: string, fallback?: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    throw new Error(`missing ${name}`);
  }
  return v;
}

function required(name: string): string {
  return read(name);
}

function primaryUrl() {
  return process.env.PRIMARY_DATABASE_URL ?? process.env.DATABASE_URL;
}

const settings = {
  url: primaryUrl(),
  max: Number(process.env.MAX ?? 10),
  stage: read('STAGE', 'dev'),
};

export const sql = postgres(settings.url!, { max: settings.max, ssl: 'require' });

export function banner(): string {
  return `stage=${settings.stage} region=${required('REGION')}`;
}
