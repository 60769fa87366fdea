package main

import "database/sql"

func openReports() (*sql.DB, error) {
	return sql.Open("pgx", "postgres://reports@reports.example.com/reports?sslmode=disable")
}
