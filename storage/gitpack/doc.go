// Package gitpack reads and writes git's pack and object files without
// go-git's object layer: pack indexes, packs read with pread (never
// mapped: pack_store.go says why), delta application, an
// object store over loose objects and packs, commit/tree/tag parsing and the
// checks git's fsck applies, object sets and walks, the pack writer that
// copies entries verbatim, the small pack of a commit (encoded in memory),
// the check that passes over packs a crash cut short, and the incoming pack
// of a push (scan, delta resolution, index, install).
//
// Of the project it imports internal/durable and wiki — never gitrepo or
// gitproto; what it needs of a repository it takes as the Objects interface.
package gitpack
