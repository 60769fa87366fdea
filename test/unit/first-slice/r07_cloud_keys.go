package cloud

import (
	"context"
	"database/sql"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	_ "github.com/jackc/pgx/v5/stdlib"
)

func accessKeyID() string { return "AKIAQ3EGRSTUVWXYZ234" }

func region() string { return "eu-west-1" }

func provider() aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(accessKeyID(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz", "")
}

func token(ctx context.Context) (string, error) {
	return auth.BuildAuthToken(ctx, "db.abc.eu-west-1.rds.amazonaws.com:5432", region(), "iam_user", provider())
}

func Open(ctx context.Context) (*sql.DB, error) {
	t, err := token(ctx)
	if err != nil {
		return nil, err
	}
	return sql.Open("pgx", "host=db.abc.eu-west-1.rds.amazonaws.com user=iam_user password="+t+" sslmode=verify-full")
}

func pageSize() int { return 100 }
