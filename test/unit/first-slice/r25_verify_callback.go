package pin

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"

	"github.com/go-sql-driver/mysql"
)

var pinned = []byte{0x01, 0x02}

func check(raw [][]byte, _ [][]*x509.Certificate) error {
	sum := sha256.Sum256(raw[0])
	if !bytes.Equal(sum[:], pinned) {
		return errors.New("pin mismatch")
	}
	return nil
}

func Open() (*sql.DB, error) {
	c := &tls.Config{InsecureSkipVerify: true, VerifyPeerCertificate: check}
	if err := mysql.RegisterTLSConfig("pinned", c); err != nil {
		return nil, err
	}
	return sql.Open("mysql", "app@tcp(db:3306)/app?tls=pinned")
}

func digest(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}
