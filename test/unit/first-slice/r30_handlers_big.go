package api

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type API struct{ db *sql.DB }

func New(url string) (*API, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	return &API{db: db}, nil
}

func (a *API) list(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	rows, err := a.db.QueryContext(r.Context(), "SELECT id FROM items LIMIT $1", limit)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	_ = json.NewEncoder(w).Encode(ids)
}

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) Routes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/items", a.list)
	m.HandleFunc("/health", a.health)
	return m
}

func Run() error {
	a, err := New("postgres://api@db/api?sslmode=disable")
	if err != nil {
		return err
	}
	return http.ListenAndServe(":8080", a.Routes())
}
