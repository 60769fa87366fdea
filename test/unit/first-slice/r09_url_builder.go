package urlb

import (
	"database/sql"
	"net/url"

	_ "github.com/lib/pq"
)

func query() url.Values {
	q := url.Values{}
	q.Set("sslmode", "disable")
	q.Set("connect_timeout", "5")
	return q
}

func hostPort() string {
	return "db.internal:5432"
}

func build(user, pw string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(user, pw),
		Host:     hostPort(),
		Path:     "/reports",
		RawQuery: query().Encode(),
	}
	return u.String()
}

func Open(pw string) (*sql.DB, error) {
	return sql.Open("postgres", build("reports", pw))
}

func Caller() {
	_, _ = Open(readPw())
}

func readPw() string { return "" }
