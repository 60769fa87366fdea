package globals

import (
	"database/sql"
	"os"
	"strconv"

	_ "github.com/go-sql-driver/mysql"
)

var (
	dbHost string
	dbUser string
	dbName = "inventory"
	poolSz int
)

func init() {
	dbHost = os.Getenv("MYSQL_HOST")
	dbUser = "inventory"
	poolSz, _ = strconv.Atoi("25")
}

func address() string {
	return dbUser + "@tcp(" + dbHost + ":3306)/" + dbName + "?parseTime=true"
}

var DB *sql.DB

func Open() error {
	var err error
	DB, err = sql.Open("mysql", address())
	if err != nil {
		return err
	}
	DB.SetMaxOpenConns(poolSz)
	return nil
}

func Sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
