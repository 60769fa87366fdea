package bundb

import (
	"crypto/tls"
	"database/sql"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

func addr() string { return "pg.internal:5432" }

func timeouts() []pgdriver.Option {
	return []pgdriver.Option{pgdriver.WithTimeout(5 * time.Second), pgdriver.WithDialTimeout(2 * time.Second)}
}

func tlsConf() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true}
}

func Open() *sql.DB {
	conn := pgdriver.NewConnector(
		pgdriver.WithAddr(addr()),
		pgdriver.WithUser("bun"),
		pgdriver.WithTLSConfig(tlsConf()),
	)
	return sql.OpenDB(conn)
}

func Extra() []pgdriver.Option {
	return append(timeouts(), pgdriver.WithApplicationName("bun"))
}
