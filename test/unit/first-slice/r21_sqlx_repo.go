package users

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
)

type Repo struct{ db *sqlx.DB }

func Connect(host, pass string) (*Repo, error) {
	db, err := sqlx.Connect("postgres", fmt.Sprintf("postgres://users:%s@%s/users", pass, host))
	if err != nil {
		return nil, err
	}
	return &Repo{db: db}, nil
}

func placeholders(n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = fmt.Sprintf("$%d", i+1)
	}
	return strings.Join(p, ",")
}

func (r *Repo) ByIDs(ctx context.Context, ids []int64) error {
	q := "SELECT * FROM users WHERE id IN (" + placeholders(len(ids)) + ")"
	_, err := r.db.QueryxContext(ctx, q)
	return err
}

func Start() {
	_, _ = Connect("users-db:5432", "hunter2hunter2")
}
