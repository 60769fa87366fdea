package az

import (
	"database/sql"
	"net/url"

	"github.com/microsoft/go-mssqldb/azuread"
)

func server() string { return "orders.database.windows.net" }

func params() url.Values {
	v := url.Values{}
	v.Add("database", "orders")
	v.Add("fedauth", azuread.ActiveDirectoryDefault)
	return v
}

func Open() (*sql.DB, error) {
	u := url.URL{Scheme: "sqlserver", Host: server(), RawQuery: params().Encode()}
	return sql.Open(azuread.DriverName, u.String())
}

func ping() bool { return true }
