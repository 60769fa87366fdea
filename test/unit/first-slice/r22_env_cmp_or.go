package envcfg

import (
	"cmp"
	"database/sql"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func dbURL() string {
	return cmp.Or(os.Getenv("DATABASE_URL"), "postgres://localhost/dev?sslmode=disable")
}

func lifetime() time.Duration { return 10 * time.Minute }

func Open() (*sql.DB, error) {
	db, err := sql.Open("pgx", dbURL())
	if err != nil {
		return nil, err
	}
	db.SetConnMaxLifetime(lifetime())
	return db, nil
}

func Greeting(name string) string { return "hello " + name }
