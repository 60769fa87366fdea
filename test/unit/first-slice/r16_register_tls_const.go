package regtls

import (
	"crypto/tls"
	"database/sql"

	"github.com/go-sql-driver/mysql"
)

const profile = "relaxed"

func relaxed() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS10}
}

func setup() error {
	return mysql.RegisterTLSConfig(profile, relaxed())
}

func Open() (*sql.DB, error) {
	if err := setup(); err != nil {
		return nil, err
	}
	c := mysql.NewConfig()
	c.Net = "tcp"
	c.Addr = "db:3306"
	c.TLSConfig = profile
	return sql.Open("mysql", c.FormatDSN())
}

func other(x int) int { return x + 1 }
