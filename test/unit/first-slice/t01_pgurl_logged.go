package server

import (
	"database/sql"
	"log"

	"example.com/app/config"
	_ "github.com/jackc/pgx/v5/stdlib"
)

type Server struct {
	cfg *config.Config
	db  *sql.DB
}

func (s *Server) Open() error {
	db, err := sql.Open("pgx", s.cfg.Database)
	if err != nil {
		return err
	}
	s.db = db
	return nil
}

// Called from main.go in another file.
func (s *Server) announce() {
	log.Printf("server ready; store at %s", s.cfg.PgURL)
}

func (s *Server) healthz() string {
	return "ok"
}
