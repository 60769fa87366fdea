package sb

import (
	"database/sql"
	"strings"

	_ "github.com/lib/pq"
)

func opts(b *strings.Builder) {
	b.WriteString(" application_name=billing")
}

func build(host string) string {
	var b strings.Builder
	b.WriteString("host=")
	b.WriteString(host)
	b.WriteString(" dbname=billing")
	return b.String()
}

func Open() (*sql.DB, error) {
	return sql.Open("postgres", build("billing-db"))
}

func Join(a, b string) string {
	var s strings.Builder
	s.WriteString(a)
	s.WriteString(b)
	return s.String()
}
