package fb

import (
	"context"

	"github.com/jackc/pgx/v5"
)

func primary() string { return "postgres://app@db-a,db-b/app?sslmode=prefer" }

func Connect(ctx context.Context) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(primary())
	if err != nil {
		return nil, err
	}
	for _, f := range cfg.Fallbacks {
		f.TLSConfig = nil
	}
	return pgx.ConnectConfig(ctx, cfg)
}

func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}
