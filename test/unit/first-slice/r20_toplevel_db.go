package main

import (
	"database/sql"
	"fmt"
	"log"
	"net/http"

	_ "github.com/lib/pq"
)

type Conf struct {
	Host string
	DB   string
}

func (c Conf) Addr() string {
	return fmt.Sprintf("host=%s dbname=%s", c.Host, c.DB)
}

var conf = Conf{Host: "pg-primary", DB: "shop"}

var db = mustOpen(conf.Addr())

func mustOpen(s string) *sql.DB {
	d, err := sql.Open("postgres", s)
	if err != nil {
		log.Fatal(err)
	}
	return d
}

func handler(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "ok")
}

func main() {
	http.HandleFunc("/", handler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
