package main

import "database/sql"

func main() {
	db, err := sql.Open("pgx", "postgres://app@db.example.com/app?sslmode=disable")
	_, _ = db, err
}
