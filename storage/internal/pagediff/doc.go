// Package pagediff holds what the safety net computes from page texts, in
// the domain's terms: numbered diff lines with word marks, line counts,
// whether a file is text, the three-way merge that reverts a commit in one
// file, and blame (which commit last changed each line, given a page's
// history). It computes on texts; storage reads them from git.
//
// Of the project it imports storage/textdiff and wiki.
package pagediff
