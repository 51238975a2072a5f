package web

// actionCrumbs is the breadcrumb of an action on a page (edit, history,
// attachments…): the page's own crumbs with the page linked, so one tap
// leads back to it, then the action.
func actionCrumbs(v *view, name, action string) []crumb {
	cs := pageCrumbs(v, name)
	cs[len(cs)-1].URL = v.PageURL(name)
	return append(cs, crumb{Label: action})
}
