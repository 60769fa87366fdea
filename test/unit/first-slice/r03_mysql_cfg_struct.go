package mysqlrepo

import (
	"crypto/tls"
	"database/sql"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

type DBConfig struct {
	User     string
	Password string
	Host     string
	Name     string
	TLS      bool
}

func (c DBConfig) DSN() string {
	m := mysql.NewConfig()
	m.User = c.User
	m.Passwd = c.Password
	m.Net = "tcp"
	m.Addr = c.Host
	m.DBName = c.Name
	if c.TLS {
		m.TLSConfig = "custom"
	}
	return m.FormatDSN()
}

func init() {
	_ = mysql.RegisterTLSConfig("custom", &tls.Config{InsecureSkipVerify: true})
}

func normalize(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

type Store struct {
	cfg DBConfig
	db  *sql.DB
}

func (s *Store) Open() error {
	db, err := sql.Open("mysql", s.cfg.DSN())
	if err != nil {
		return err
	}
	db.SetConnMaxLifetime(3 * time.Minute)
	s.db = db
	return nil
}

func (s *Store) Names() []string {
	return []string{normalize("A"), normalize("B")}
}
