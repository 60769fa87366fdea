package worker

import (
	"database/sql"

	"example.com/app/settings"
	"go.uber.org/zap"
	_ "github.com/lib/pq"
)

type Worker struct {
	log *zap.SugaredLogger
	st  *settings.Settings
}

func NewWorker(l *zap.SugaredLogger, st *settings.Settings) *Worker { return &Worker{log: l, st: st} }

func (w *Worker) start() {
	w.log.Infof("worker starting, queue=%s store=%s", w.st.Queue, w.st.GetPgURL())
}

func (w *Worker) store() (*sql.DB, error) {
	return sql.Open("postgres", w.st.Database())
}
