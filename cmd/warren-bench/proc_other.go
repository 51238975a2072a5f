//go:build !linux

package main

import "syscall"

// childAttr is empty where the kernel cannot tie a child's life to ours;
// children are still stopped on every normal end and on interrupt.
func childAttr() *syscall.SysProcAttr { return nil }
