package entdb

import (
	"entgo.io/ent/dialect"
	"example.com/app/ent"
	_ "github.com/lib/pq"
)

type Settings struct{ URL string }

func Client(s Settings) (*ent.Client, error) {
	return ent.Open(dialect.Postgres, s.URL)
}

func Main() {
	_, _ = Client(Settings{URL: "host=ent-db user=ent dbname=ent sslmode=allow"})
}

func noop() {}
