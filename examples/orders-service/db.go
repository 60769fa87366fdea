// Package orders talks to the orders database on Aurora PostgreSQL and to the
// legacy inventory database on RDS for MySQL.
package orders

import (
	"context"
	"crypto/tls"
	"database/sql"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib"
)

const ordersHost = "orders.cluster-c9akciq32xyz.eu-west-1.rds.amazonaws.com"

// OpenOrders opens the orders pool. sslmode=require encrypts but, under pgx,
// does not verify the server certificate.
func OpenOrders() (*sql.DB, error) {
	dsn := fmt.Sprintf("postgres://orders_app:%s@%s:5432/orders?sslmode=require",
		os.Getenv("ORDERS_DB_PASSWORD"), ordersHost)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(20)
	return db, nil
}

// OpenReporting mints one IAM token at start-up and bakes it into the pool:
// it stops working after 15 minutes.
func OpenReporting(ctx context.Context) (*pgxpool.Pool, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	token, err := auth.BuildAuthToken(ctx, ordersHost+":5432", "eu-west-1", "reporting", cfg.Credentials)
	if err != nil {
		return nil, err
	}
	dsn := fmt.Sprintf("host=%s port=5432 user=reporting password=%s dbname=orders sslmode=verify-full connect_timeout=5", ordersHost, token)
	log.Printf("connecting to reporting with %s", dsn)
	return pgxpool.New(ctx, dsn)
}

// OpenInventory connects to RDS for MySQL with a custom TLS config.
func OpenInventory() (*sql.DB, error) {
	mysql.RegisterTLSConfig("inventory", &tls.Config{
		ServerName:         "inventory.c9akciq32xyz.eu-west-1.rds.amazonaws.com",
		InsecureSkipVerify: true,
		MinVersion:         tls.VersionTLS10,
	})
	db, err := sql.Open("mysql", "inventory:S3cr3t-Inv3ntory!@tcp(inventory.c9akciq32xyz.eu-west-1.rds.amazonaws.com:3306)/inventory?tls=inventory&parseTime=true&multiStatements=true")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(10)
	db.SetMaxIdleConns(5)
	db.SetConnMaxLifetime(30 * time.Minute)
	return db, nil
}
