package migrate

import (
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type Options struct {
	PgURL string
	Dir   string
}

func Run(o Options) error {
	db, err := sql.Open("pgx", o.PgURL)
	if err != nil {
		return err
	}
	defer db.Close()
	return nil
}

func usage(o Options) {
	fmt.Printf("migrating %s from %s\n", o.PgURL, o.Dir)
}
