package repo

import (
	"database/sql"
	"fmt"

	_ "github.com/lib/pq"
)

type Conf struct {
	Host, User, Name string
}

func (c *Conf) String() string {
	return fmt.Sprintf("host=%s user=%s dbname=%s", c.Host, c.User, c.Name)
}

var conf = &Conf{Host: "10.0.0.5", User: "svc", Name: "billing"}

// openDB is swapped out in tests.
var openDB = func() (*sql.DB, error) {
	return sql.Open("postgres", conf.String())
}

func List() ([]string, error) {
	db, err := openDB()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return nil, nil
}
