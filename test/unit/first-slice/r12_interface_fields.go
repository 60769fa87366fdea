package svc

import (
	"context"
	"database/sql"
	"log"

	_ "github.com/lib/pq"
)

type Querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

type Service struct {
	q   Querier
	log *log.Logger
}

type Settings struct {
	DatabaseURL string
	Port        int
}

func NewService(s Settings) (*Service, error) {
	db, err := sql.Open("postgres", s.DatabaseURL)
	if err != nil {
		return nil, err
	}
	return &Service{q: db, log: log.Default()}, nil
}

func (s *Service) Count(ctx context.Context) (int, error) {
	rows, err := s.q.QueryContext(ctx, "SELECT count(*) FROM t")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	return 0, nil
}

func (s *Service) report(st Settings) {
	s.log.Printf("listening on %d", st.Port)
}

func (s *Service) trace(st Settings) {
	s.log.Println("config", st.DatabaseURL)
}
