package cl

import (
	"database/sql"
	"fmt"

	_ "github.com/lib/pq"
)

var defaultPort = 5432

var fmtHost = func(h string) string { return fmt.Sprintf("%s:%d", h, defaultPort) }

func dial(host string) (*sql.DB, error) {
	return sql.Open("postgres", "postgres://svc@"+fmtHost(host)+"/svc?sslmode=require")
}

func Primary() (*sql.DB, error) { return dial("10.1.0.1") }

func double(x int) int { return 2 * x }
