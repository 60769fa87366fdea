package pool

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type PoolConfig = pgxpool.Config

func applyLimits(c *PoolConfig) {
	c.MaxConns = 10
	c.MinConns = 2
	c.MaxConnLifetime = time.Hour
}

func registerTypes(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, "SET application_name = 'api'")
	return err
}

func label(prefix string, n int) string {
	return fmt.Sprintf("%s-%d", prefix, n)
}

func NewPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	applyLimits(cfg)
	cfg.AfterConnect = registerTypes
	return pgxpool.NewWithConfig(ctx, cfg)
}

func Main(ctx context.Context) {
	p, err := NewPool(ctx, "postgres://svc@db:5432/main?sslmode=disable")
	if err != nil {
		panic(err)
	}
	defer p.Close()
	_ = label("worker", 3)
}
