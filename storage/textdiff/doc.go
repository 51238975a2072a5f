// Package textdiff computes line diffs and three-way merges of page text.
// It imports nothing of the project.
package textdiff
