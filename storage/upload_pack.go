package storage

import (
	"context"
	"io"
)

// UploadOptions tune one upload-pack request (placeholder).
type UploadOptions struct{}

// AdvertiseRefs writes the smart-HTTP ref advertisement for service
// ("git-upload-pack" or "git-receive-pack"), including the "# service=" line
// (placeholder: the owner replaces the body).
func AdvertiseRefs(ctx context.Context, repo *Repo, service string, w io.Writer) error {
	return errTODO
}

// UploadPack serves one stateless-rpc git-upload-pack request (placeholder).
func UploadPack(ctx context.Context, repo *Repo, req io.Reader, w io.Writer, opt UploadOptions) error {
	return errTODO
}
