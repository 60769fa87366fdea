package gormdb

import (
	"fmt"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

type DB struct {
	Host string
	Name string
}

func (d DB) dialector() gorm.Dialector {
	return postgres.Open(fmt.Sprintf("host=%s dbname=%s sslmode=disable", d.Host, d.Name))
}

func Open(d DB) (*gorm.DB, error) {
	g, err := gorm.Open(d.dialector(), &gorm.Config{})
	if err != nil {
		return nil, err
	}
	s, err := g.DB()
	if err != nil {
		return nil, err
	}
	s.SetMaxOpenConns(10)
	s.SetConnMaxLifetime(time.Hour)
	return g, nil
}

type Page struct{ N, Size int }

func (p Page) Offset() int { return p.N * p.Size }
