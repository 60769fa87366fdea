package debugtls

import (
	"crypto/tls"
	"database/sql"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
)

const keyLogEnv = "SSLKEYLOGFILE"

type Debugger struct {
	path string
}

func (d *Debugger) Enable() {
	os.Setenv(keyLogEnv, d.path)
}

func writer(path string) *os.File {
	f, _ := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0600)
	return f
}

func (d *Debugger) config() *tls.Config {
	return &tls.Config{KeyLogWriter: writer(d.path)}
}

func Open() (*sql.DB, error) {
	return sql.Open("pgx", "postgres://db/app")
}
