package fmtdsn

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql"
)

func layout() string {
	return "%s:%s@tcp(%s)/%s?tls=skip-verify"
}

func env(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

func Open() (*sql.DB, error) {
	user := env("DB_USER", "app")
	pass := env("DB_PASS", "")
	return sql.Open("mysql", fmt.Sprintf(layout(), user, pass, "mysql.internal:3306", "app"))
}

func Version() string { return "1.2.3" }
