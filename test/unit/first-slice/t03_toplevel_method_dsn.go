package store

import (
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type Settings struct {
	Host string
	Port int
	User string
	Name string
}

func (s Settings) Source() string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s", s.Host, s.Port, s.User, s.Name)
}

var defaults = Settings{Host: "db.internal", Port: 5432, User: "app", Name: "orders"}

var target = defaults.Source()

func Open() (*sql.DB, error) {
	return sql.Open("pgx", target)
}
