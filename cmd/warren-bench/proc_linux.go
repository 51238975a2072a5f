package main

import "syscall"

// childAttr makes the kernel kill a server child if the bench dies without
// stopping it (killed, or crashed), so no server outlives a run.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
