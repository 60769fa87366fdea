// TSX admin page (JSX files are analysed in full).
import React from 'react';
import { Pool } from 'pg';

function host(): string {
  return 'localhost';
}

export const adminDb = new Pool({ host: host(), database: 'admin', ssl: false, connectionTimeoutMillis: 4000 });

export function Panel<T,>({ items }: { items: T[] }) {
  return <ul>{items.map((x, i) => <li key={i}>{String(x)}</li>)}</ul>;
}

export const Badge = ({ n }: { n: number }) => {
  return <span className={n > 0 ? 'on' : 'off'}>{n}</span>;
};
