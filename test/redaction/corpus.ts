/**
 * The redaction audit's planted corpus (issue 5 item 3, SPEC §3 "No output ever contains a
 * secret value"): a small workspace in every supported format, each secret a distinct
 * random-looking value made fresh per run, plus the check that none of them — nor its
 * percent-encoded, JSON-escaped or bare random core — appears in a piece of output.
 *
 * Every file states the rule ids it must produce (`expected`), so the audit is not vacuous: a
 * secret that no extractor sees cannot leak through a finding, and the tests assert the
 * findings are there before they assert the absence of the secrets.
 */
import { randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** One planted secret: its value and the random core that identifies it even when cut. */
export interface Planted {
  readonly label: string;
  readonly value: string;
  /** A random substring (≥ 8 characters) that only this secret contains. */
  readonly core: string;
}

export class SecretBook {
  readonly all: Planted[] = [];

  private add(label: string, value: string, core: string): string {
    this.all.push({ label, value, core });
    return value;
  }

  /** A password like `Pw-3kQ9xV2m-Zx!` (plus `suffix`, e.g. characters a URL must escape). */
  password(label: string, suffix = ''): string {
    const core = pick(ALNUM, 8);
    return this.add(label, `Pw-${core}-Zx!${suffix}`, core);
  }

  /**
   * A bare random fragment for the hostile cases, where a malformed string moves part of a
   * password into a position parsers echo (a port, a key, a line of its own).
   */
  fragment(label: string): string {
    const core = pick(ALNUM, 12);
    return this.add(label, core, core);
  }

  /** An AWS access key id: AKIA + 16 characters of [A-Z2-7] (never the documentation key). */
  awsKeyId(label: string): string {
    const core = pick(UPPER32, 16);
    return this.add(label, `AKIA${core}`, core);
  }

  /** An AWS secret access key: 40 base64-ish characters. */
  awsSecret(label: string): string {
    const v = pick(ALNUM, 20) + '/' + pick(ALNUM, 19);
    return this.add(label, v, v.slice(0, 20));
  }

  /** An Alibaba AccessKey id: LTAI + 20 alphanumerics. */
  alibabaKeyId(label: string): string {
    const core = pick(ALNUM, 20);
    return this.add(label, `LTAI${core}`, core);
  }

  /** An Alibaba AccessKey secret: 30 alphanumerics. */
  alibabaSecret(label: string): string {
    const v = pick(ALNUM, 30);
    return this.add(label, v, v);
  }

  /** An Entra (Azure AD) client secret: 40 characters with `~` and `.`. */
  azureSecret(label: string): string {
    const core = pick(ALNUM, 16);
    return this.add(label, `${pick(ALNUM, 3)}8Q~${core}.${pick(ALNUM, 17)}`, core);
  }

  /** An RDS IAM auth token look-alike (a presigned URL without the scheme). */
  iamToken(label: string, host: string, user: string): string {
    const sig = pick('0123456789abcdef', 64);
    const cred = `AKIA${pick(UPPER32, 16)}`;
    const v = `${host}:5432/?Action=connect&DBUser=${user}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${cred}%2F20250101%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20250101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=${sig}`;
    return this.add(label, v, sig.slice(0, 24));
  }

  /** Every form of every secret that must never appear in output. */
  forms(): { label: string; form: string; kind: string }[] {
    const out: { label: string; form: string; kind: string }[] = [];
    for (const p of this.all) {
      const forms = new Map<string, string>([
        [p.value, 'raw'],
        [encodeURIComponent(p.value), 'percent-encoded'],
        [JSON.stringify(p.value).slice(1, -1), 'JSON-escaped'],
        [p.core, 'random core'],
      ]);
      for (const [form, kind] of forms) out.push({ label: p.label, form, kind });
    }
    return out;
  }
}

/** The secrets of `book` found in `text`, as readable lines ("" when none leaked). */
export function leaks(book: SecretBook, text: string): string[] {
  const found: string[] = [];
  for (const { label, form, kind } of book.forms()) {
    const at = text.indexOf(form);
    if (at >= 0) {
      const ctx = text.slice(Math.max(0, at - 120), at + form.length + 40).replace(/\s+/g, ' ');
      found.push(`${label} (${kind}) … ${ctx.replace(form, '<<SECRET>>')} …`);
    }
  }
  return found;
}

export interface Corpus {
  readonly book: SecretBook;
  /** Relative path → content. */
  readonly files: Record<string, string>;
  /** Relative path → LSP language id. */
  readonly languages: Record<string, string>;
  /** Relative path → rule ids that file must produce. */
  readonly expected: Record<string, string[]>;
}

export function makeCorpus(): Corpus {
  const s = new SecretBook();
  const files: Record<string, string> = {};
  const languages: Record<string, string> = {};
  const expected: Record<string, string[]> = {};
  const put = (rel: string, language: string, rules: string[], text: string): void => {
    files[rel] = text;
    languages[rel] = language;
    expected[rel] = rules;
  };

  // ---- Go ---------------------------------------------------------------------------------
  put(
    'service.go',
    'go',
    ['hardcoded-password', 'hardcoded-cloud-key', 'secret-logged', 'tls-disabled', 'tls-cert-unverified', 'dsn-invalid'],
    `package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/url"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/godror/godror"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/microsoft/go-mssqldb"
)

const ledgerPassword = "${s.password('go-const')}"

const (
	awsAccessKeyID     = "${s.awsKeyId('go-aws-key-id')}"
	awsSecretAccessKey = "${s.awsSecret('go-aws-secret')}"
)

func pgURL() (*sql.DB, error) {
	return sql.Open("pgx", "postgres://orders:${s.password('go-pg-url')}@orders.internal.example.com:5432/orders?sslmode=require")
}

func pgKeyword() (*sql.DB, error) {
	return sql.Open("pgx", "host=ledger.internal.example.com user=ledger password=${s.password('go-pg-keyword')} dbname=ledger sslmode=verify_full")
}

func pgConst() (*sql.DB, error) {
	return sql.Open("pgx", fmt.Sprintf("host=ledger.internal.example.com user=ledger password=%s dbname=ledger sslmode=disable", ledgerPassword))
}

func mysqlDSN() (*sql.DB, error) {
	return sql.Open("mysql", "catalog:${s.password('go-mysql-dsn')}@tcp(catalog.internal.example.com:3306)/catalog?tls=skip-verify&parseTime=true")
}

func mysqlConfig() (*sql.DB, error) {
	cfg := mysql.Config{
		User:   "catalog",
		Passwd: "${s.password('go-mysql-config-passwd')}",
		Net:    "tcp",
		Addr:   "catalog.internal.example.com:3306",
		DBName: "catalog",
	}
	return sql.Open("mysql", cfg.FormatDSN())
}

func mssqlURL() (*sql.DB, error) {
	return sql.Open("sqlserver", "sqlserver://sa:${s.password('go-sqlserver-url')}@warehouse.internal.example.com:1433?database=wh&encrypt=disable")
}

func mssqlADO() (*sql.DB, error) {
	return sql.Open("sqlserver", "server=warehouse.internal.example.com;user id=sa;password=${s.password('go-sqlserver-ado')};database=wh;TrustServerCertificate=true;encrypt=true")
}

func godror() (*sql.DB, error) {
	return sql.Open("godror", \`user="scott" password="${s.password('go-godror')}" connectString="pc-abc123.o.polardb.rds.aliyuncs.com:1521/orcl"\`)
}

func userPassword(ctx context.Context) (*pgxpool.Pool, error) {
	u := &url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword("billing", "${s.password('go-url-userpassword')}"),
		Host:     "billing.internal.example.com:5432",
		Path:     "/billing",
		RawQuery: "sslmode=prefer",
	}
	return pgxpool.New(ctx, u.String())
}

func logged(ctx context.Context) (*pgxpool.Pool, error) {
	dsn := "postgres://reports:${s.password('go-logged-dsn')}@reports.internal.example.com:5432/reports?sslmode=verify-full"
	log.Printf("connecting to %s", dsn)
	return pgxpool.New(ctx, dsn)
}

func staticCredentials() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(awsAccessKeyID, awsSecretAccessKey, "")
}

func alibabaKeys() (string, string) {
	accessKeyID := "${s.alibabaKeyId('go-alibaba-id')}"
	accessKeySecret := "${s.alibabaSecret('go-alibaba-secret')}"
	return accessKeyID, accessKeySecret
}

func entra(tenantID, clientID string) (*azidentity.ClientSecretCredential, error) {
	clientSecret := "${s.azureSecret('go-azure-secret')}"
	return azidentity.NewClientSecretCredential(tenantID, clientID, clientSecret, nil)
}

func main() {
	_ = os.Getenv("HOME")
}
`,
  );

  // ---- TypeScript ---------------------------------------------------------------------------
  const tsIam = s.iamToken('ts-iam-token', 'orders.abc123xyz.eu-west-1.rds.amazonaws.com', 'orders_iam');
  put(
    'db.ts',
    'typescript',
    ['hardcoded-password', 'hardcoded-cloud-key', 'secret-logged', 'tls-disabled', 'tls-cert-unverified'],
    `import { Client, Pool } from 'pg';
import mysql from 'mysql2/promise';
import sql from 'mssql';
import { Connection } from 'tedious';
import { Sequelize } from 'sequelize';
import knex from 'knex';
import { DataSource } from 'typeorm';
import { Signer } from '@aws-sdk/rds-signer';
import { ClientSecretCredential } from '@azure/identity';
import * as $OpenApi from '@alicloud/openapi-client';

export const pgClient = new Client({
  host: 'orders.internal.example.com',
  user: 'orders',
  password: '${s.password('ts-pg-object')}',
  ssl: { rejectUnauthorized: false },
});

export const pgUrl = new Pool({ connectionString: 'postgres://orders:${s.password('ts-pg-url')}@orders.internal.example.com:5432/orders?sslmode=disable' });

export const myPool = mysql.createPool({
  host: 'catalog.internal.example.com',
  user: 'catalog',
  password: '${s.password('ts-mysql2-object')}',
});

export const myUrl = mysql.createPool('mysql://catalog:${s.password('ts-mysql-url')}@catalog.internal.example.com:3306/catalog');

export const mssqlPool = new sql.ConnectionPool({
  server: 'warehouse.internal.example.com',
  user: 'sa',
  password: '${s.password('ts-mssql-object')}',
  options: { encrypt: false },
});

export const mssqlAdo = sql.connect('Server=warehouse.internal.example.com;Database=wh;User Id=sa;Password=${s.password('ts-mssql-ado')};Encrypt=false');

export const tediousConn = new Connection({
  server: 'warehouse.internal.example.com',
  authentication: { type: 'default', options: { userName: 'sa', password: '${s.password('ts-tedious')}' } },
  options: { encrypt: true, trustServerCertificate: true },
});

export const seq = new Sequelize('orders', 'orders', '${s.password('ts-sequelize')}', { host: 'orders.internal.example.com', dialect: 'postgres' });

export const kx = knex({
  client: 'pg',
  connection: { host: 'orders.internal.example.com', user: 'orders', password: '${s.password('ts-knex')}', database: 'orders' },
});

export const typeorm = new DataSource({
  type: 'postgres',
  host: 'orders.internal.example.com',
  username: 'orders',
  password: '${s.password('ts-typeorm')}',
  database: 'orders',
});

const ordersToken = '${tsIam}';
export const iamPool = new Pool({ host: 'orders.abc123xyz.eu-west-1.rds.amazonaws.com', user: 'orders_iam', password: ordersToken, ssl: true });

const reportsUrl = 'postgres://reports:${s.password('ts-logged-dsn')}@reports.internal.example.com:5432/reports?sslmode=verify-full';
console.log('connecting to', reportsUrl);
export const reports = new Pool({ connectionString: reportsUrl });

export const signer = new Signer({
  hostname: 'ledger.abc123xyz.eu-west-1.rds.amazonaws.com',
  port: 5432,
  username: 'ledger_iam',
  region: 'eu-west-1',
  credentials: { accessKeyId: '${s.awsKeyId('ts-aws-key-id')}', secretAccessKey: '${s.awsSecret('ts-aws-secret')}' },
});

export const entra = new ClientSecretCredential(process.env.AZURE_TENANT_ID ?? '', process.env.AZURE_CLIENT_ID ?? '', '${s.azureSecret('ts-azure-secret')}');

export const polardbApi = new $OpenApi.Config({
  accessKeyId: '${s.alibabaKeyId('ts-alibaba-id')}',
  accessKeySecret: '${s.alibabaSecret('ts-alibaba-secret')}',
  regionId: 'cn-hangzhou',
});
`,
  );

  // ---- configuration files -------------------------------------------------------------------
  put(
    '.env',
    'dotenv',
    ['hardcoded-password', 'hardcoded-cloud-key'],
    `DB_HOST=orders.internal.example.com
DB_PASSWORD=${s.password('env-password')}
DATABASE_URL=postgres://orders:${s.password('env-pg-url')}@orders.internal.example.com:5432/orders?sslmode=require
MYSQL_URL=mysql://catalog:${s.password('env-mysql-url')}@catalog.internal.example.com:3306/catalog
AWS_ACCESS_KEY_ID=${s.awsKeyId('env-aws-key-id')}
AWS_SECRET_ACCESS_KEY=${s.awsSecret('env-aws-secret')}
ALIBABA_CLOUD_ACCESS_KEY_ID=${s.alibabaKeyId('env-alibaba-id')}
ALIBABA_CLOUD_ACCESS_KEY_SECRET=${s.alibabaSecret('env-alibaba-secret')}
AZURE_CLIENT_SECRET=${s.azureSecret('env-azure-secret')}
`,
  );

  put(
    'config/app.yaml',
    'yaml',
    ['hardcoded-password', 'hardcoded-cloud-key'],
    `database:
  host: orders.internal.example.com
  user: orders
  password: "${s.password('yaml-password')}"
  url: postgres://orders:${s.password('yaml-pg-url')}@orders.internal.example.com:5432/orders?sslmode=disable
migrations:
  access_key_id: ${s.awsKeyId('yaml-aws-key-id')}
  secret_access_key: ${s.awsSecret('yaml-aws-secret')}
`,
  );

  put(
    'docker-compose.yml',
    'yaml',
    ['hardcoded-password'],
    `services:
  db:
    image: postgres:16
    environment:
      - POSTGRES_USER=orders
      - POSTGRES_PASSWORD=${s.password('compose-list-password')}
  api:
    image: orders-api
    environment:
      - DATABASE_URL=postgres://orders:${s.password('compose-list-url')}@orders.internal.example.com:5432/orders?sslmode=require
  worker:
    image: orders-worker
    environment:
      DB_PASSWORD: ${s.password('compose-map-password')}
`,
  );

  put(
    'appsettings.json',
    'jsonc',
    ['hardcoded-password'],
    `{
  // Settings with comments (JSONC).
  "ConnectionStrings": {
    "Warehouse": "Server=warehouse.internal.example.com;Database=wh;User ID=wh;Password=${s.password('jsonc-ado')};Encrypt=False"
  },
  "Database": {
    "Password": "${s.password('jsonc-password')}"
  }
}
`,
  );

  put(
    'config/database.json',
    'json',
    ['hardcoded-password'],
    `{
  "production": {
    "username": "orders",
    "password": "${s.password('json-password')}",
    "host": "orders.internal.example.com",
    "dialect": "postgres"
  },
  "url": "postgres://orders:${s.password('json-pg-url')}@orders.internal.example.com:5432/orders?sslmode=require"
}
`,
  );

  put(
    'config.toml',
    'toml',
    ['hardcoded-password'],
    `[database]
host = "ledger.internal.example.com"
user = "ledger"
password = "${s.password('toml-password')}"
url = "postgres://ledger:${s.password('toml-pg-url')}@ledger.internal.example.com:5432/ledger?sslmode=require"
`,
  );

  put(
    'application.properties',
    'properties',
    ['hardcoded-password'],
    `spring.datasource.url=jdbc:postgresql://payments.internal.example.com:5432/payments?sslmode=verify-full
spring.datasource.username=payments
spring.datasource.password=${s.password('properties-password')}
`,
  );

  put(
    'prisma/schema.prisma',
    'prisma',
    ['hardcoded-password'],
    `datasource db {
  provider = "postgresql"
  url      = "postgresql://orders:${s.password('prisma-url')}@orders.internal.example.com:5432/orders?sslmode=require&sslaccept=accept_invalid_certs"
}
`,
  );

  // ---- hostile shapes: malformed strings that move (part of) a secret where parsers echo text --
  const f = (label: string): string => s.fragment(label);
  put(
    'hostile.go',
    'go',
    ['hardcoded-password', 'dsn-invalid'],
    `package main

import (
	"database/sql"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/godror/godror"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/microsoft/go-mssqldb"
)

func hostile() {
	sql.Open("pgx", "host=h.example.com user=u password=Pw-a ${f('go-keyword-space')} dbname=d sslmode=verify-full")
	sql.Open("pgx", "host=h.example.com user=u pasword=${f('go-keyword-misspelt')} dbname=d sslmode=verify-full")
	sql.Open("pgx", "host=h.example.com user=u password='${f('go-keyword-unterminated')} sslmode=verify-full")
	sql.Open("pgx", "postgres://u@h.example.com/d?sslmode=verify-full&password=Pw-x&${f('go-url-query-amp')}")
	sql.Open("pgx", "postgres://u@h.example.com/d?sslmode=verify-full&pasword=${f('go-url-query-misspelt')}")
	sql.Open("pgx", "postgres://u:${f('go-url-hash')}#x@h.example.com/d?sslmode=verify-full")
	sql.Open("pgx", "postgres://u:${f('go-url-slash')}/x@h.example.com/d?sslmode=verify-full")
	sql.Open("pgx", "postgres://u:Pw-a@${f('go-url-at-slash')}/x@h.example.com/d?sslmode=verify-full")
	sql.Open("pgx", "postgres://u:${f('go-url-badport')}@h.example.com:54x32/d?sslmode=verify-full")
	sql.Open("pgx", "postgres://u:" + "${f('go-url-concat')}" + "@h.example.com/d?sslmode=verify-full")
	sql.Open("mysql", "u:Pw@tcp(h.example.com:3306)/d?tls=true&${f('go-mysql-amp')}")
	sql.Open("mysql", "u:${f('go-mysql-unclosed')}@tcp(h.example.com:3306/d?tls=true")
	sql.Open("sqlserver", "server=h.example.com;user id=sa;password=Pw-a;${f('go-ado-semicolon')};encrypt=true")
	sql.Open("sqlserver", "server=h.example.com;user id=sa;password={Pw-a;${f('go-ado-unclosed-brace')};encrypt=true")
	sql.Open("sqlserver", "server=h.example.com;user id=sa;Passwrd=${f('go-ado-misspelt')};encrypt=true")
	sql.Open("sqlserver", "sqlserver://sa:${f('go-sqlserver-hash')}#x@h.example.com?encrypt=true&TrustServerCertificate=yes")
	sql.Open("godror", \`user="scott" password=Pw-a ${f('go-godror-space')} connectString="h.example.com:1521/orcl"\`)
}
`,
  );
  put(
    'hostile.ts',
    'typescript',
    ['hardcoded-password', 'dsn-invalid'],
    `import { Pool } from 'pg';
import mysql from 'mysql2';
import sql from 'mssql';

export const a = new Pool({ connectionString: 'postgres://u@h.example.com/d?password=Pw&${f('ts-url-query-amp')}' });
export const b = mysql.createPool('mysql://u:Pw@h.example.com/d?ssl=true&${f('ts-mysql-amp')}');
export const c = sql.connect('Server=h.example.com;User Id=sa;Password=Pw-a;${f('ts-ado-semicolon')};Encrypt=true');
export const d = new Pool({ connectionString: 'postgres://u:${f('ts-url-hash')}#x@h.example.com/d?sslmdoe=require' });
export const g = new Pool({ connectionString: 'postgres://u:Pw-a@${f('ts-url-at-slash')}/x@h.example.com/d?sslmode=verify-full' });
export const e = new Pool({ connectionString: 'postgres://u:${encodeURIComponent(s.password('ts-url-encoded', '@#/?'))}@h.example.com/d?ssl=false' });
`,
  );
  put(
    '.env.hostile',
    'dotenv',
    ['hardcoded-password'],
    `ALIBABA_CLOUD_ACCESS_KEY_SECRET=
${f('env-line-of-its-own')}
${s.password('env-line-of-its-own-dashed')}
DATABASE_URL="postgres://u:${f('env-unterminated')}@h.example.com/d
DB_PASSWORD ${f('env-missing-equals')}
REPLICA_URL=postgres://u:Pw-a@${f('env-url-at-slash')}/x@h.example.com/d?sslmode=verify-full
`,
  );
  put(
    'hostile.toml',
    'toml',
    [],
    `[db]
password = "${f('toml-bad-escape')}\\q"
url = "postgres://u:${f('toml-unterminated')}@h.example.com/d
${f('toml-bare-line')}
`,
  );
  put(
    'hostile.yaml',
    'yaml',
    [],
    `db:
  password: "${f('yaml-unterminated')}
  url: [postgres://u:${f('yaml-flow')}@h.example.com/d
foo: *${f('yaml-alias')}
bar: !${f('yaml-tag')} x
${f('yaml-bare-line')}
`,
  );
  put(
    'hostile.json',
    'json',
    [],
    `{"password": "${f('json-broken-password')}", "url": "postgres://u:${f('json-broken-url')}@h.example.com/d" ${f('json-bare-token')}}
`,
  );
  put(
    'hostile.properties',
    'properties',
    [],
    `spring.datasource.url=jdbc:postgresql://h.example.com:5432/d?user=u&password=${f('properties-jdbc-query')}&sslmode=verify-full
spring.datasource.password=${f('properties-continued')}\\
   ${f('properties-continuation-line')}
${f('properties-bare-line')}
`,
  );
  put(
    'hostile.prisma',
    'prisma',
    [],
    `datasource db {
  provider = "postgresql"
  url = "postgresql://u:${f('prisma-unterminated')}@h.example.com/d
}
`,
  );

  return { book: s, files, languages, expected };
}
