package wiki

import "time"

// Revision is one commit as the history shows it.
type Revision struct {
	ID      string    `json:"revision"`
	Author  string    `json:"author"`
	Email   string    `json:"email"`
	Time    time.Time `json:"time"`
	Message string    `json:"message"`
	Files   []string  `json:"files,omitempty"` // paths the commit touched, when known
}

// Change is one entry of a wiki's change log: a page touched by a commit.
type Change struct {
	Revision string    `db:"revision" json:"revision"`
	Page     string    `db:"page" json:"path"`
	Action   string    `db:"action" json:"action"` // added, modified, deleted
	Author   string    `db:"author" json:"author"`
	Message  string    `db:"message" json:"message"`
	Time     time.Time `db:"at" json:"time"`
}

// Wiki is one tenant as robot.db lists it.
type Wiki struct {
	Slug       string     `db:"slug" json:"slug"`
	Title      string     `db:"title" json:"title"`
	Owner      string     `db:"owner" json:"owner"`
	Visibility Visibility `db:"visibility" json:"visibility"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	// SettingsToken changes whenever the wiki's preferences change (and a
	// re-created wiki gets a new one), so a cached page can be checked
	// against it without reading the preferences. Never shown.
	SettingsToken string `db:"settings_token" json:"-"`
}
