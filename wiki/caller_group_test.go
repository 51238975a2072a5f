package wiki_test

import (
	"slices"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestLoginNamedLikeGroupIsNoPrincipal: a caller whose login looks like a
// group principal never matches that group's grants, whatever the case.
func TestLoginNamedLikeGroupIsNoPrincipal(t *testing.T) {
	for _, login := range []string{"group:staff", "GROUP:staff", "Group:Staff"} {
		c := &wiki.Caller{Login: login, Groups: []string{"readers"}}
		if got := c.Principals(); !slices.Equal(got, []string{"group:readers"}) {
			t.Errorf("Principals of %q = %v, want only its real groups", login, got)
		}
		if err := wiki.ValidatePrincipal(login); login != "group:staff" && err == nil {
			t.Errorf("ValidatePrincipal(%q) accepted a group prefix in another case", login)
		}
	}
}
