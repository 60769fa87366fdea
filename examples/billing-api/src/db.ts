// Database access for the billing API: Aurora PostgreSQL (pg), Azure SQL (mssql)
// and PolarDB for MySQL (mysql2).
import { Pool } from 'pg';
import sql from 'mssql';
import mysql from 'mysql2/promise';
import { Signer } from '@aws-sdk/rds-signer';

const signer = new Signer({
  hostname: 'billing.cluster-c9akciq32xyz.us-east-1.rds.amazonaws.com',
  port: 5432,
  username: 'billing_app',
  region: 'us-east-1',
});

// The token is minted once: new pool connections fail after 15 minutes.
export const billingPool = new Pool({
  host: 'billing.cluster-c9akciq32xyz.us-east-1.rds.amazonaws.com',
  user: 'billing_app',
  database: 'billing',
  password: await signer.getAuthToken(),
  ssl: { rejectUnauthorized: false },
  max: 20,
});

export const ledger = new sql.ConnectionPool({
  server: 'billing-ledger.database.windows.net',
  database: 'ledger',
  user: 'ledger_app',
  password: process.env.LEDGER_PASSWORD,
  options: { encrypt: true, trustServerCertificate: true },
});

export const invoices = mysql.createPool({
  host: 'pc-bp1invoices.rwlb.rds.aliyuncs.com',
  user: 'invoices',
  password: process.env.INVOICES_PASSWORD,
  database: 'invoices',
  ssl: { ca: process.env.POLARDB_CA },
  multipleStatements: true,
});
