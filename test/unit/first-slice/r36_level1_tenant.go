package tenant

import (
	"database/sql"

	"github.com/go-sql-driver/mysql"
)

func baseConfig() *mysql.Config {
	c := mysql.NewConfig()
	c.Net = "tcp"
	c.ParseTime = true
	return c
}

var current = baseConfig()

func Open() (*sql.DB, error) {
	return sql.Open("mysql", current.FormatDSN())
}

func route(schema string) {
	current.DBName = schema
}

func selectTenant(id string) {
	route("tenant_" + id)
}

func HandleLogin(user string) {
	selectTenant("ACME")
}
