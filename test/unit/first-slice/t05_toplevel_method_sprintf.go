package broker

import (
	"database/sql"
	"fmt"

	_ "github.com/lib/pq"
)

type Cluster struct {
	format string
	user   string
	key    string
}

func (c *Cluster) url() string {
	return fmt.Sprintf(c.format, c.user, c.key)
}

var primary = &Cluster{format: "postgres://%s:%s@db.internal:5432/app?sslmode=verify-full"}

var primaryURL = primary.url()

func Connect() (*sql.DB, error) {
	return sql.Open("postgres", primaryURL)
}
