// Server-side rendering in a .js file: JSX closing tags look like regular expressions to a TS-variant scanner.
import { Pool } from 'pg';
import React from 'react';

export function metricsDb(host) {
  return new Pool({ host, database: 'metrics', ssl: false, connectionTimeoutMillis: 4000 });
}

export function Dashboard() {
  return <div><b>Sessions</b> {metricsDb('localhost').totalCount} </div>;
}

export function Row({ label, value }) {
  return React.createElement('li', null, `${label}: ${value}`);
}

export function fmt(n) {
  return n.toLocaleString('en-US');
}

export function Table({ rows }) {
  const items = rows.map((r) => Row({ label: r.label, value: fmt(r.value) }));
  return React.createElement('ul', null, items);
}
