package gitrepo

// HoldRefLock takes main's ref lock the way an update does and returns
// without releasing it, as a writer killed in the middle of an update
// leaves it: the lock file stays, and the kernel lock stays with the
// process until it dies.
func HoldRefLock(r *Repo) error {
	g, err := r.guard()
	if err != nil {
		return err
	}
	_, err = r.lockFile(g, MainBranch)
	return err
}
