// Prisma and TypeORM clients configured from helpers.
import { PrismaClient } from '@prisma/client';
import { DataSource } from 'typeorm';

function dbUrl(): string {
  return 'postgresql://app@localhost:5432/app?sslmode=disable';
}

function entities() {
  return ['dist/entities/*.js'];
}

export const prisma = new PrismaClient({ datasources: { db: { url: dbUrl() } } });

export const source = new DataSource({ type: 'mysql', host: 'localhost', username: 'app', password: 'qwerty-Source1', entities: entities(), ssl: false });

export function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_m, c) => c.toUpperCase());
}

export function slug(s: string): string {
  return s.toLowerCase().split(' ').filter(Boolean).join('-');
}

export function pageOf(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

export function pairs<K, V>(m: Map<K, V>): [K, V][] {
  const out: [K, V][] = [];
  m.forEach((v, k) => out.push([k, v]));
  return out;
}
