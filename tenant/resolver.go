package tenant

import (
	"net/http"

	"github.com/warren-wiki/warren/storage"
)

// Resolver finds the wiki a request is for (placeholder).
type Resolver struct {
	Robot      *storage.Robot
	Pool       *Pool
	BaseDomain string
	Wiki       http.Handler
	Platform   http.Handler
	Fail       func(http.ResponseWriter, *http.Request, error)
}

func (rv *Resolver) ServeHTTP(w http.ResponseWriter, r *http.Request) {}
