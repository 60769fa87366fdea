package jobs

import (
	"database/sql"
	"sync"
	"time"

	_ "github.com/microsoft/go-mssqldb"
)

type Job func(db *sql.DB) error

var registry = map[string]Job{}

func Register(name string, j Job) { registry[name] = j }

func cleanup(db *sql.DB) error {
	_, err := db.Exec("DELETE FROM sessions WHERE expires < GETDATE()")
	return err
}

func RunAll() {
	db, err := sql.Open("sqlserver", "sqlserver://svc@mssql.internal:1433?database=app&encrypt=disable")
	if err != nil {
		return
	}
	var wg sync.WaitGroup
	for name, j := range registry {
		wg.Add(1)
		go func(n string, f Job) {
			defer wg.Done()
			_ = f(db)
			_ = n
		}(name, j)
	}
	wg.Wait()
}

func init() {
	Register("cleanup", cleanup)
}

func tick() time.Duration { return time.Second }
