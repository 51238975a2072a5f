package wiki

// Resolution is what a name from a URL resolved to: a page (by its exact
// name, case, spaces ≡ hyphens, an alias or a base name) or, failing that,
// a file of the wiki. Both are empty when nothing matched.
type Resolution struct {
	Page string // the page's name, as the index holds it
	File string // the file's repository path
}

// Chrome is what GitHub and Gollum wikis show around every page of a folder
// tree: the nearest _Sidebar and _Footer pages up from the page's folder,
// rendered and with their links resolved. Empty when there is none (or the
// sidebar preference is not "page").
type Chrome struct {
	Sidebar     string // sanitized HTML
	SidebarPage string // the _Sidebar page shown, for its edit link
	Footer      string // sanitized HTML
	FooterPage  string
}
