// Sequelize class passed through an alias; URL from the environment.
import { Sequelize } from 'sequelize';

const Orm = Sequelize;
const Engine = Orm;

export function warehouse() {
  return new Engine(process.env.WAREHOUSE_URL as string);
}

export function skuOf(row: { id: number }): string {
  return `W-${row.id}`;
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
