// Package gitproto speaks git's smart-HTTP wire protocol over io.Reader and
// io.Writer: pkt-lines, the ref advertisement, upload-pack (negotiation,
// shallow and deepen, the object walk, side-band) and receive-pack (commands,
// validation of what will be served, ref updates under the wiki's write
// lock, report-status), with the limits on what a request may bring.
//
// Of the project it imports gitrepo, gitpack and wiki.
package gitproto
