// Package gitproto speaks git's smart-HTTP wire protocol over io.Reader and
// io.Writer: pkt-lines, the ref advertisement, upload-pack (negotiation,
// shallow and deepen, the object walk, side-band) and receive-pack (commands,
// validation of what will be served, ref updates under the wiki's write
// lock, report-status), with the limits on what a request may bring.
// Receive-pack hands the caller two hooks: Check sees the whole push (its
// updates, the paths each changes, the pack's size) before anything is
// installed and may refuse it as a whole; Moved learns which updates took
// effect and whether they rewrote history.
//
// Of the project it imports gitrepo, gitpack and wiki.
package gitproto
