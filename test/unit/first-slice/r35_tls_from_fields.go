package tf

import (
	"crypto/tls"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

type Security struct {
	Insecure bool
	Min      uint16
}

func (s Security) Config() *tls.Config {
	return &tls.Config{InsecureSkipVerify: s.Insecure, MinVersion: s.Min}
}

var sec = Security{Insecure: true, Min: tls.VersionTLS11}

func Open() (*sql.DB, error) {
	cc, err := pgx.ParseConfig("postgres://app@db/app")
	if err != nil {
		return nil, err
	}
	cc.TLSConfig = sec.Config()
	return stdlib.OpenDB(*cc), nil
}

func audit(s Security) bool { return s.Insecure }
