package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type User struct {
	ID    int64
	Email string
}

type Repo struct {
	db *sql.DB
}

func hostFromEnv() string {
	h := os.Getenv("DB_HOST")
	if h == "" {
		h = "localhost"
	}
	return h
}

func dsn() string {
	return fmt.Sprintf("postgres://app@%s:5432/app?sslmode=require", hostFromEnv())
}

func New() (*Repo, error) {
	db, err := sql.Open("pgx", dsn())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	return &Repo{db: db}, nil
}

func (r *Repo) Get(ctx context.Context, id int64) (*User, error) {
	row := r.db.QueryRowContext(ctx, `SELECT id, email FROM users WHERE id = $1`, id)
	var u User
	if err := row.Scan(&u.ID, &u.Email); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	return &u, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, "%v", v)
}

func (r *Repo) Handler(w http.ResponseWriter, req *http.Request) {
	u, err := r.Get(req.Context(), 1)
	if err != nil {
		log.Printf("get: %v", err)
		w.WriteHeader(500)
		return
	}
	writeJSON(w, u)
}
