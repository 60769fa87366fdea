package bc

import (
	"context"
	"database/sql"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

const endpoint = "mydb.cluster-abc.eu-west-1.rds.amazonaws.com:5432"

func refresh(ctx context.Context, cc *pgx.ConnConfig) error {
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	t, err := auth.BuildAuthToken(ctx, endpoint, "eu-west-1", "app", awsCfg.Credentials)
	if err != nil {
		return err
	}
	cc.Password = t
	return nil
}

func Pool(ctx context.Context) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig("postgres://app@" + endpoint + "/app?sslmode=verify-full")
	if err != nil {
		return nil, err
	}
	cfg.BeforeConnect = refresh
	return pgxpool.NewWithConfig(ctx, cfg)
}

func Std(c *pgx.ConnConfig) *sql.DB { return stdlib.OpenDB(*c) }
