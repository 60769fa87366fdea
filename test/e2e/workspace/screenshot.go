package main

import "database/sql"

// Shown in test-results/editor.png; the suites never edit it.
func connect() (*sql.DB, error) {
	dsn := "postgres://app@orders.abc123.eu-west-1.rds.amazonaws.com/orders?sslmode=require"
	return sql.Open("pgx", dsn)
}
