package mv

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

type Hooks struct {
	role string
}

func (h *Hooks) before(ctx context.Context, cc *pgx.ConnConfig) error {
	cc.RuntimeParams["role"] = h.role
	return nil
}

func (h *Hooks) after(ctx context.Context, c *pgx.Conn) error {
	_, err := c.Exec(ctx, "SET ROLE "+h.role)
	return err
}

func Pool(ctx context.Context, h *Hooks) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig("postgres://api@db/api?sslmode=verify-full")
	if err != nil {
		return nil, err
	}
	cfg.BeforeConnect = h.before
	cfg.AfterConnect = h.after
	return pgxpool.NewWithConfig(ctx, cfg)
}

func unused(db *sql.DB) {}
