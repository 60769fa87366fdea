/**
 * Seed corpus of the fuzzer: realistic connection strings of every grammar the engine parses,
 * and realistic Go / TS / config sources that embed them. `PW` in a DSN and `{{PW}}` / `{{DSN}}`
 * in a source template are placeholders the fuzzer fills with a planted secret (to check that no
 * message ever repeats it) and with a corpus DSN.
 */
import { DsnFormat } from '../../server/src/engine/dsn/types';

export interface CorpusDsn {
  readonly text: string;
  /** The grammar the string is written in (which parser is the "right" one). */
  readonly format: DsnFormat | 'tedious';
}

/** Placeholder for a password inside a corpus DSN. */
export const PW = 'PW';

export const DSNS: readonly CorpusDsn[] = [
  // libpq / pgx / node-postgres URLs
  { format: 'pg-url', text: 'postgres://app:PW@orders.abc123.us-east-1.rds.amazonaws.com:5432/orders?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem' },
  { format: 'pg-url', text: 'postgresql://app:PW@h1:5432,h2:5433,[::1]:5434/db?sslmode=require&target_session_attrs=read-write' },
  { format: 'pg-url', text: 'postgres://u%40corp:PW@db.example.com/app?sslmode=disable&connect_timeout=10&application_name=a%20b' },
  { format: 'pg-url', text: 'postgresql:///dbname?host=/var/run/postgresql&user=app&password=PW' },
  { format: 'pg-url', text: 'postgres://app:PW@pc-bp1.pg.polardb.rds.aliyuncs.com:1921/db?sslmode=verify-ca&uselibpqcompat=true' },
  { format: 'pg-url', text: 'postgres://app@orders.postgres.database.azure.com/orders?ssl=true&sslmode=no-verify#frag' },
  // libpq keyword/value
  { format: 'pg-kv', text: "host=orders.internal port=5432 user=app password=PW dbname=orders sslmode=verify-full" },
  { format: 'pg-kv', text: "host='db host' password='PW' sslmode = 'require' options='-c search_path=a\\'b'" },
  { format: 'pg-kv', text: 'host=/tmp dbname=x connect_timeout=5 sslmode=disable password=PW' },
  { format: 'pg-kv', text: "user=app password=PW host=h1,h2 port=5432,5433 sslrootcert=system sslmode=verify-ca" },
  // go-sql-driver/mysql
  { format: 'go-mysql', text: 'app:PW@tcp(orders.cluster-abc.us-east-1.rds.amazonaws.com:3306)/orders?tls=true&parseTime=true&loc=Local' },
  { format: 'go-mysql', text: 'app:PW@tcp([::1]:3306)/db?tls=skip-verify&allowCleartextPasswords=1&timeout=5s' },
  { format: 'go-mysql', text: 'app:PW@unix(/var/run/mysqld/mysqld.sock)/db?charset=utf8mb4&collation=utf8mb4_unicode_ci' },
  { format: 'go-mysql', text: 'app:PW@/db?tls=custom&readTimeout=30s&writeTimeout=30s&maxAllowedPacket=0' },
  { format: 'go-mysql', text: 'user@tcp(pc-bp1abc.rwlb.rds.aliyuncs.com:3306)/cart?tls=preferred&allowFallbackToPlaintext=true&loc=Europe%2FParis' },
  // mysql URLs (mysql2, Prisma, generic)
  { format: 'mysql-url', text: 'mysql://app:PW@orders.internal:3306/orders?ssl={"rejectUnauthorized":false}&connectTimeout=10000' },
  { format: 'mysql-url', text: 'mysql://app:PW@db.example.com/app?sslaccept=strict&sslcert=./ca.pem&connection_limit=5' },
  { format: 'mysql-url', text: 'mariadb://app:PW@[2001:db8::1]:3307/app?ssl-mode=REQUIRED&charset=utf8mb4' },
  { format: 'mysql-url', text: 'mysql://root@localhost/test?multipleStatements=true&debug=true' },
  // go-mssqldb URLs and ODBC
  { format: 'sqlserver-url', text: 'sqlserver://sa:PW@sql01.example.com:1433/inst?database=hr&encrypt=true&TrustServerCertificate=false' },
  { format: 'sqlserver-url', text: 'sqlserver://app:PW@orders.database.windows.net?database=orders&fedauth=ActiveDirectoryDefault&encrypt=strict' },
  { format: 'sqlserver-url', text: 'sqlserver://app:PW@host?encrypt=disable&connection+timeout=30&dial+timeout=5' },
  { format: 'odbc', text: 'odbc:server={sql01};user id=app;password={PW}};x};encrypt=true;TrustServerCertificate=yes' },
  { format: 'odbc', text: 'odbc:server=tcp:sql02,1433;database=db;encrypt=mandatory;hostnameincertificate=*.example.com' },
  // ADO (go-mssqldb reading)
  { format: 'ado', text: 'Server=tcp:orders.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=PW;Encrypt=True;TrustServerCertificate=False;Connection Timeout=30;' },
  { format: 'ado', text: 'Data Source=sql01\\INST;Database="x;y";User Id=app;Password="PW";Encrypt=strict' },
  { format: 'ado', text: 'server=sql02;uid=sa;pwd=PW;encrypt=disable;multipleactiveresultsets=true' },
  { format: 'ado', text: "Server=sql03;Password='P;W''x';Authentication=ActiveDirectoryPassword;Encrypt=yes" },
  // ADO (node-mssql / @tediousjs/connection-string reading)
  { format: 'tedious', text: 'Server=tcp:orders.database.windows.net,1433;Database=orders;User Id=app;Password=PW;Encrypt=true;TrustServerCertificate=true' },
  { format: 'tedious', text: 'Data Source=sql01;Initial Catalog=db;Integrated Security=SSPI;Encrypt=false;Connect Timeout=15' },
  { format: 'tedious', text: 'Server={sql02};Password={PW}}};Encrypt=strict;Application Name="app;x"' },
  // Oracle (godror logfmt, Easy Connect, descriptors)
  { format: 'oracle', text: 'user="app" password="PW" connectString="orders.example.com:1521/ORCLPDB1"' },
  { format: 'oracle', text: 'user=app password=PW connectString="(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=h)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=svc))(SECURITY=(SSL_SERVER_DN_MATCH=yes)))"' },
  { format: 'oracle', text: 'app/PW@//orders.example.com:1521/ORCLPDB1' },
  { format: 'oracle', text: 'oracle://app:PW@orders.example.com:1521/svc?ssl=true&ssl verify=false' },
  { format: 'oracle', text: '(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=h1)(PORT=1521)))(CONNECT_DATA=(SID=ORCL)))' },
  { format: 'oracle', text: 'tcps://orders.example.com:2484/svc?wallet_location=/opt/wallet&ssl_server_dn_match=true' },
  { format: 'oracle', text: 'user=app password=PW connectString=h:1521/svc poolMaxSessions=0 standaloneConnection=1' },
  // Odd but realistic
  { format: 'pg-url', text: 'postgres://app:PW@/db?host=%2Fvar%2Frun%2Fpostgresql&sslmode=prefer' },
  { format: 'go-mysql', text: 'app:PW@tcp(db:3306)/?tls=true' },
  { format: 'mysql-url', text: 'mysql://app:PW@h/db?ssl=true&ssl=false&sslaccept=accept_invalid_certs' },
];

/** Go sources: `{{DSN}}` is a Go string literal, `{{PW}}` a password literal body. */
export const GO_SOURCES: readonly string[] = [
  `package main

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/lib/pq"
)

const host = "orders.abc123.us-east-1.rds.amazonaws.com"

func open() (*sql.DB, error) {
	db, err := sql.Open("postgres", {{DSN}})
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(10)
	dsn := fmt.Sprintf("host=%s user=app password=%s sslmode=disable", host, "{{PW}}")
	fmt.Println("connecting", dsn)
	other, _ := sql.Open("postgres", dsn+" connect_timeout="+os.Getenv("T"))
	_ = other
	return db, nil
}
`,
  `package db

import (
	"crypto/tls"
	"database/sql"
	"log"

	"github.com/go-sql-driver/mysql"
)

func Open() *sql.DB {
	mysql.RegisterTLSConfig("custom", &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10})
	cfg := mysql.Config{User: "app", Passwd: "{{PW}}", Net: "tcp", Addr: "db:3306", DBName: "orders", TLSConfig: "custom", AllowCleartextPasswords: true}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		log.Printf("open %s: %v", cfg.Passwd, err)
	}
	other, _ := sql.Open("mysql", {{DSN}})
	_ = other
	return db
}
`,
  `package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
)

var password = "{{PW}}"

func Pool(ctx context.Context) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig({{DSN}})
	if err != nil {
		return nil, err
	}
	token, _ := auth.BuildAuthToken(ctx, "h:5432", "us-east-1", "app", nil)
	cfg.ConnConfig.Password = token
	cfg.ConnConfig.TLSConfig = nil
	return pgxpool.NewWithConfig(ctx, cfg)
}
`,
  `package main

import (
	"database/sql"
	"net/url"

	_ "github.com/microsoft/go-mssqldb"
	_ "github.com/godror/godror"
)

func open(user, pass string) {
	u := &url.URL{Scheme: "sqlserver", User: url.UserPassword("sa", "{{PW}}"), Host: "sql01:1433", RawQuery: "encrypt=disable"}
	a, _ := sql.Open("sqlserver", u.String())
	b, _ := sql.Open("sqlserver", "sqlserver://"+user+":"+pass+"@sql02?encrypt=true")
	c, _ := sql.Open("godror", {{DSN}})
	d, _ := sql.Open("azuresql", {{DSN}})
	_, _, _, _ = a, b, c, d
}
`,
];

/** TS/JS sources: `{{DSN}}` is a JS string literal, `{{PW}}` a password literal body. */
export const TS_SOURCES: readonly string[] = [
  `import { Pool } from 'pg';
import mysql from 'mysql2/promise';

const password = '{{PW}}';
export const pool = new Pool({
  host: 'orders.internal.example.com',
  user: 'app',
  password,
  ssl: { rejectUnauthorized: false, minVersion: 'TLSv1' },
});
export const other = new Pool({ connectionString: {{DSN}} });
export const my = mysql.createPool({ host: 'db', user: 'app', password: '{{PW}}', ssl: { rejectUnauthorized: false }, connectionLimit: 0 });
console.log('connecting with', password);
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
`,
  `import sql from 'mssql';
import postgres from 'postgres';
import knex from 'knex';

const cs = {{DSN}};
export const p = new sql.ConnectionPool(cs);
export const q = new sql.ConnectionPool({ server: 'sql01', password: '{{PW}}', options: { encrypt: false, trustServerCertificate: true } });
export const r = postgres(\`postgres://app:\${process.env.PW}@h/db?sslmode=disable\`, { ssl: 'require' });
export const k = knex({ client: 'pg', connection: { connectionString: {{DSN}}, password: "{{PW}}", ssl: { rejectUnauthorized: false } } });
`,
  `const { Connection } = require('tedious');
const { Sequelize } = require('sequelize');
const { Signer } = require('@aws-sdk/rds-signer');

const signer = new Signer({ hostname: 'h', port: 5432, username: 'app' });
const token = await signer.getAuthToken();
const conn = new Connection({ server: 'sql01', authentication: { type: 'default', options: { userName: 'sa', password: '{{PW}}' } }, options: { encrypt: false } });
const s = new Sequelize({{DSN}}, { dialectOptions: { ssl: { require: true, rejectUnauthorized: false } }, password: token });
module.exports = { conn, s };
`,
];

/** Config sources per kind: `{{DSN}}` is a quoted (JSON-style) string, `{{RAW}}` the raw DSN. */
export const CONFIG_SOURCES: readonly { readonly kind: 'dotenv' | 'yaml' | 'json' | 'toml' | 'properties' | 'prisma'; readonly path: string; readonly text: string }[] = [
  { kind: 'dotenv', path: '.env', text: `# database\nDATABASE_URL={{RAW}}\nDB_PASSWORD={{PW}}\nexport PG_DSN="{{RAWQ}}"\nNODE_TLS_REJECT_UNAUTHORIZED=0\nSSLKEYLOGFILE=/tmp/keys\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n` },
  { kind: 'yaml', path: 'config.yaml', text: `database:\n  url: {{DSN}}\n  password: "{{PW}}"\n  options:\n    - sslmode: disable\nservices:\n  api:\n    environment:\n      DATABASE_URL: {{DSN}}\n  worker:\n    environment:\n      - DB_PASS={{PW}}\n` },
  { kind: 'yaml', path: 'docker-compose.yaml', text: `services:\n  app:\n    environment:\n      - DATABASE_URL={{RAW}}\n      - POSTGRES_PASSWORD={{PW}}\n    image: app\n` },
  { kind: 'json', path: 'appsettings.json', text: `{\n  // comment\n  "ConnectionStrings": { "Default": {{DSN}} },\n  "Database": { "Password": "{{PW}}", "Ssl": false },\n}\n` },
  { kind: 'toml', path: 'config.toml', text: `[database]\nurl = {{DSN}}\npassword = "{{PW}}"\n\n[[replicas]]\ndsn = '{{RAW}}'\n` },
  { kind: 'properties', path: 'application.properties', text: `spring.datasource.url={{RAW}}\nspring.datasource.password={{PW}}\ndb.ssl=false\n` },
  { kind: 'prisma', path: 'schema.prisma', text: `datasource db {\n  provider = "postgresql"\n  url      = {{DSN}}\n  directUrl = env("DIRECT_URL")\n}\n\nmodel User {\n  id Int @id\n}\n` },
];
