package wiki

import "time"

// TokenRequest asks for a new personal access token. The web UI, the API
// and the CLI all fill one and call the same robot service.
type TokenRequest struct {
	User    string    // the login the token acts as
	Name    string    // a note to recognise it by
	Wiki    string    // "" = every wiki the user may use
	Role    Role      // the highest role it may use
	Expires time.Time // zero = never
	// PlatformAdmin makes a token that acts as a platform admin. Only a
	// platform admin may ask for one, and only by setting this on purpose:
	// no other token ever carries platform-admin rights.
	PlatformAdmin bool
}
