package pgstore

import (
	"database/sql"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var endpoint = url.URL{Host: "localhost:5432", Path: "/app"}

func Open() (*sql.DB, error) {
	endpoint.Scheme = "postgres"
	endpoint.RawQuery = "sslmode=verify-full"
	return sql.Open("pgx", endpoint.String())
}

func setHost(h string) {
	endpoint.Host = h
}

func useRegion(region string) {
	setHost(region + ".db.example.internal:5432")
}

func Setup() {
	useRegion("eu-west-1")
}
