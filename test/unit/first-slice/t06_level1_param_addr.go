package mysqlstore

import (
	"database/sql"

	"github.com/go-sql-driver/mysql"
)

func newConfig() *mysql.Config {
	c := mysql.NewConfig()
	c.Net = "tcp"
	c.User = "orders"
	c.DBName = "orders"
	return c
}

var dbConf = newConfig()

func Open() (*sql.DB, error) {
	return sql.Open("mysql", dbConf.FormatDSN())
}

func setAddr(addr string) {
	dbConf.Addr = addr
}

func configure(region string) {
	setAddr(region + ".db.internal:3306")
}

func Bootstrap() {
	configure("eu-west-1")
}
