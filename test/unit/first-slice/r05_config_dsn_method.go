package config

import (
	"database/sql"
	"fmt"
	"log"

	_ "github.com/lib/pq"
)

type Config struct {
	Host     string
	Port     int
	User     string
	Password string
	Database string
	SSLMode  string
}

func Load() Config {
	return Config{Host: "pg.internal", Port: 5432, User: "api", Password: "s3cr3t-Pa55", Database: "api", SSLMode: "disable"}
}

func (c Config) ConnString() string {
	return fmt.Sprintf("host=%s port=%d user=%s password=%s dbname=%s sslmode=%s", c.Host, c.Port, c.User, c.Password, c.Database, c.SSLMode)
}

func Open() (*sql.DB, error) {
	c := Load()
	log.Printf("opening %s", c.ConnString())
	return sql.Open("postgres", c.ConnString())
}

func retries() int { return 3 }

func Backoff(i int) int { return i * retries() }
