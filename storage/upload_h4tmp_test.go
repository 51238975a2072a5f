package storage_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage"
)

func BenchmarkH4Upload(b *testing.B) {
	dir := "/tmp/h4/repo.git"
	repo := mustOpenRepo(b, dir)
	head := strings.TrimSpace(runGit(b, dir, "rev-parse", "main"))
	body := pkt("want "+head+" multi_ack_detailed side-band-64k ofs-delta thin-pack no-progress\n", "", "done\n")
	for i := 0; i < b.N; i++ {
		if err := storage.UploadPack(context.Background(), repo, bytes.NewReader(body), io.Discard, storage.UploadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
