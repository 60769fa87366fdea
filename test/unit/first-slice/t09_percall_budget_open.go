package app

import (
	"database/sql"

	"github.com/cockroachdb/pebble"
	_ "github.com/lib/pq"
)

func cache0(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache1(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache2(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache3(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache4(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache5(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache6(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func cache7(dir string) (*pebble.DB, error) {
	return pebble.Open(dir, &pebble.Options{})
}

func warm0() {
	cache0("/var/cache/0/0")
	cache0("/var/cache/0/1")
	cache1("/var/cache/0/0")
	cache1("/var/cache/0/1")
	cache2("/var/cache/0/0")
	cache2("/var/cache/0/1")
	cache3("/var/cache/0/0")
	cache3("/var/cache/0/1")
	cache4("/var/cache/0/0")
	cache4("/var/cache/0/1")
	cache5("/var/cache/0/0")
	cache5("/var/cache/0/1")
	cache6("/var/cache/0/0")
	cache6("/var/cache/0/1")
	cache7("/var/cache/0/0")
	cache7("/var/cache/0/1")
}

func warm1() {
	cache0("/var/cache/1/0")
	cache0("/var/cache/1/1")
	cache1("/var/cache/1/0")
	cache1("/var/cache/1/1")
	cache2("/var/cache/1/0")
	cache2("/var/cache/1/1")
	cache3("/var/cache/1/0")
	cache3("/var/cache/1/1")
	cache4("/var/cache/1/0")
	cache4("/var/cache/1/1")
	cache5("/var/cache/1/0")
	cache5("/var/cache/1/1")
	cache6("/var/cache/1/0")
	cache6("/var/cache/1/1")
	cache7("/var/cache/1/0")
	cache7("/var/cache/1/1")
}

func warm2() {
	cache0("/var/cache/2/0")
	cache0("/var/cache/2/1")
	cache1("/var/cache/2/0")
	cache1("/var/cache/2/1")
	cache2("/var/cache/2/0")
	cache2("/var/cache/2/1")
	cache3("/var/cache/2/0")
	cache3("/var/cache/2/1")
	cache4("/var/cache/2/0")
	cache4("/var/cache/2/1")
	cache5("/var/cache/2/0")
	cache5("/var/cache/2/1")
	cache6("/var/cache/2/0")
	cache6("/var/cache/2/1")
	cache7("/var/cache/2/0")
	cache7("/var/cache/2/1")
}

func warm3() {
	cache0("/var/cache/3/0")
	cache0("/var/cache/3/1")
	cache1("/var/cache/3/0")
	cache1("/var/cache/3/1")
	cache2("/var/cache/3/0")
	cache2("/var/cache/3/1")
	cache3("/var/cache/3/0")
	cache3("/var/cache/3/1")
	cache4("/var/cache/3/0")
	cache4("/var/cache/3/1")
	cache5("/var/cache/3/0")
	cache5("/var/cache/3/1")
	cache6("/var/cache/3/0")
	cache6("/var/cache/3/1")
	cache7("/var/cache/3/0")
	cache7("/var/cache/3/1")
}

func openAt(host string) (*sql.DB, error) {
	return sql.Open("postgres", "host="+host+" sslmode=disable")
}

func Primary() (*sql.DB, error) { return openAt("primary.db.internal") }

func Replica() (*sql.DB, error) { return openAt("replica.db.internal") }
