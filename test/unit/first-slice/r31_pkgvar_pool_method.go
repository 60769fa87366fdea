package store

import (
	"context"
	"net"
	"os"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"
)

type Env struct {
	Host string
	Port int
	Name string
	User string
}

func load() Env {
	port, _ := strconv.Atoi(os.Getenv("PORT"))
	return Env{Host: "orders-db", Port: port, Name: "orders", User: "orders"}
}

func (e Env) URL() string {
	return "postgres://" + e.User + "@" + net.JoinHostPort(e.Host, strconv.Itoa(e.Port)) + "/" + e.Name
}

var env = load()

var Pool = mustPool(env.URL())

func mustPool(u string) *pgxpool.Pool {
	p, err := pgxpool.New(context.Background(), u)
	if err != nil {
		panic(err)
	}
	return p
}
