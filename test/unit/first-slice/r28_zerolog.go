package zl

import (
	"database/sql"

	"github.com/rs/zerolog/log"
	_ "github.com/go-sql-driver/mysql"
)

type Cfg struct {
	DSN  string
	Port int
}

func Open(c Cfg) (*sql.DB, error) {
	log.Info().Str("dsn", c.DSN).Msg("opening")
	return sql.Open("mysql", c.DSN)
}

func announce(c Cfg) {
	log.Info().Int("port", c.Port).Msg("ready")
}
