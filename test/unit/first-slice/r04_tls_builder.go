package tlsdb

import (
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"os"

	"github.com/go-sql-driver/mysql"
)

type Options struct {
	CAFile     string
	ServerName string
	SkipVerify bool
}

func loadPool(path string) *x509.CertPool {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(pem)
	return p
}

func (o Options) build() *tls.Config {
	return &tls.Config{
		RootCAs:            loadPool(o.CAFile),
		ServerName:         o.ServerName,
		InsecureSkipVerify: o.SkipVerify,
	}
}

var opts = Options{CAFile: "/etc/ssl/db-ca.pem", ServerName: "db.internal", SkipVerify: true}

func Connect() (*sql.DB, error) {
	if err := mysql.RegisterTLSConfig("db", opts.build()); err != nil {
		return nil, err
	}
	return sql.Open("mysql", "app:@tcp(db.internal:3306)/app?tls=db")
}

func describe(o Options) string {
	return o.ServerName + " via " + o.CAFile
}
