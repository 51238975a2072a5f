package storage

import (
	"bytes"
	"context"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// Attachments follow An Otter Wiki's layout so its repositories open as
// they are: the files of page "Team/Notes" (file Team/Notes.md) live
// directly in the folder Team/Notes/, beside its sub-pages. Any file there
// that is not a page (.md) is an attachment.

// Attachments lists the attachments of a page at HEAD, in name order. A
// page without a folder has none. Not on the page-view path, so it reads
// the tree directly rather than an index.
func (w *Wiki) Attachments(ctx context.Context, page string) ([]wiki.Attachment, error) {
	if err := wiki.ValidatePageName(page); err != nil {
		return nil, err
	}
	dir, err := w.attachDir(ctx, page)
	if err != nil {
		return nil, err
	}
	return w.Repo.ListAttachments(ctx, dir)
}

// Attachment reads one attachment at HEAD: its content and blob id (which
// never changes for the same bytes, so it serves as an ETag). ENOTFOUND if
// the page has no such file.
func (w *Wiki) Attachment(ctx context.Context, page, name string) ([]byte, string, error) {
	if err := validAttachment(page, name); err != nil {
		return nil, "", err
	}
	dir, err := w.attachDir(ctx, page)
	if err != nil {
		return nil, "", err
	}
	f, err := w.Repo.FindFile(ctx, "", dir+"/"+name)
	if err != nil {
		return nil, "", err
	}
	if !gitrepo.IsPlainFile(f.Mode) {
		return nil, "", wiki.Errorf(wiki.ENOTFOUND, "%s is not an attachment", name)
	}
	data, err := w.Repo.ReadBlob(ctx, f.Blob)
	return data, f.Blob, err
}

// PutAttachment adds or replaces one attachment in one commit under the
// write lock and returns the new revision (the current one when the bytes
// are unchanged). The page must exist. EINVALID for a bad name, ETOOLARGE
// above req.MaxBlob.
func (w *Wiki) PutAttachment(ctx context.Context, req wiki.AttachmentRequest) (string, error) {
	if err := validAttachment(req.Page, req.Name); err != nil {
		return "", err
	}
	if req.MaxBlob > 0 && int64(len(req.Content)) > req.MaxBlob {
		return "", wiki.Errorf(wiki.ETOOLARGE, "%s is larger than %d bytes", req.Name, req.MaxBlob)
	}
	if req.Author == nil {
		req.Author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) error {
		cur, err := w.indexedPage(ctx, req.Page)
		if err != nil {
			return err
		}
		p := pageDir(cur) + "/" + req.Name
		verb := "Add attachment"
		if data, _, err := w.Repo.ReadFile(ctx, head, p); err == nil {
			if bytes.Equal(data, req.Content) {
				rev = head
				return nil
			}
			verb = "Update attachment"
		}
		rev, err = w.commitAttachment(ctx, head, gitrepo.FileChange{Path: p, Content: req.Content}, req.Message, verb, req.Name, cur.Name, req.Author)
		return err
	})
	return rev, err
}

// DeleteAttachment removes one attachment in one commit under the write
// lock. ENOTFOUND if it is not there.
func (w *Wiki) DeleteAttachment(ctx context.Context, page, name, message string, author *wiki.Caller) (string, error) {
	if err := validAttachment(page, name); err != nil {
		return "", err
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) error {
		dir, err := w.attachDir(ctx, page)
		if err != nil {
			return err
		}
		f, err := w.Repo.FindFile(ctx, head, dir+"/"+name)
		if err != nil {
			return err
		}
		if !gitrepo.IsPlainFile(f.Mode) {
			return wiki.Errorf(wiki.ENOTFOUND, "%s is not an attachment", name)
		}
		rev, err = w.commitAttachment(ctx, head, gitrepo.FileChange{Path: f.Path, Delete: true}, message, "Delete attachment", name, page, author)
		return err
	})
	return rev, err
}

// commitAttachment commits one attachment change on head and catches the
// indexes up.
func (w *Wiki) commitAttachment(ctx context.Context, head string, ch gitrepo.FileChange, message, verb, name, page string, author *wiki.Caller) (string, error) {
	rev, err := w.commit(ctx, author, gitrepo.CommitRequest{
		Parent:      head,
		Changes:     []gitrepo.FileChange{ch},
		AuthorName:  author.AuthorName(),
		AuthorEmail: author.AuthorEmail(),
		Message:     commitMessage(message, verb, name+" of "+page),
		When:        w.now(),
	})
	if err != nil {
		return "", err
	}
	return rev, w.afterCommit(ctx)
}

// validAttachment checks a page name and an attachment's file name: one
// path component (no "/"), not a page file, and a valid repository path.
func validAttachment(page, name string) error {
	if err := wiki.ValidatePageName(page); err != nil {
		return err
	}
	switch {
	case name == "":
		return wiki.Errorf(wiki.EINVALID, "the attachment has no file name")
	case strings.ContainsAny(name, "/\\"):
		return wiki.Errorf(wiki.EINVALID, "attachment name %q must not contain a slash", name)
	case strings.HasSuffix(strings.ToLower(name), wiki.PageExt):
		return wiki.Errorf(wiki.EINVALID, "attachment name %q ends in %s, which would make it a page", name, wiki.PageExt)
	}
	return wiki.ValidateFilePath(page + "/" + name)
}

// attachDir is the folder of a page's attachments: beside the page's own
// file when it exists (so "team/notes.md" of An Otter Wiki uses
// "team/notes/"), else named after the page.
func (w *Wiki) attachDir(ctx context.Context, page string) (string, error) {
	cur, err := w.indexedPage(ctx, page)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return page, nil
	} else if err != nil {
		return "", err
	}
	return pageDir(cur), nil
}

// pageDir is the folder named like a page's file without its extension.
func pageDir(p *pageRow) string {
	return p.File[:len(p.File)-len(wiki.PageExt)]
}
